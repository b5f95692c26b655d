package io.faultline.classifier.rates;

import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Which instance of the classifier holds a key's rate stores. A project's stores (its groups', its
 * workflows' and its own) live in the task of its partition; with several instances a key is held
 * by one of them, and a query elsewhere must be answered by that one.
 */
public interface RateOwners {

    /** Whether this instance holds the group (its state is in one of this instance's tasks). */
    boolean holdsGroup(String groupId);

    /** The instance holding a project's or workflow's stores; empty when it is this one. */
    Optional<HostInfo> ownerOfScope(String scope);

    /** The other instances, to ask for a group this one does not hold. */
    List<HostInfo> others();
}
