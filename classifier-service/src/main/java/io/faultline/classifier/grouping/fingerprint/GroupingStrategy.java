package io.faultline.classifier.grouping.fingerprint;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * One named step of the grouping pipeline. The first strategy that contributes decides the group;
 * a strategy that has nothing to say about an event returns empty and the next one is asked.
 */
public interface GroupingStrategy {

    /** Stable name, shown to operators when they ask how an event was grouped. */
    String name();

    /**
     * @param defaultGrouping what the default strategies (stack, message, fallback) make of the
     *     event; only fingerprints using {@code {{ default }}} call it, so it is computed lazily
     */
    Optional<Contribution> contribute(GroupableEvent event, Supplier<Contribution> defaultGrouping);
}
