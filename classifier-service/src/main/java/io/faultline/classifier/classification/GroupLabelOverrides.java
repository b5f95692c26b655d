package io.faultline.classifier.classification;

import java.util.Optional;

/**
 * Operator relabels by group id. The classifier reads it on every event, so a relabel applies to
 * the group's next event at once; implementations must be safe for concurrent reads and writes.
 */
public interface GroupLabelOverrides {

    Optional<LabelOverride> forGroup(String groupId);

    /** Replaces the group's override; an empty override removes it. */
    void put(String groupId, LabelOverride override);

    void remove(String groupId);
}
