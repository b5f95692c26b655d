package io.faultline.classifier.grouping.fingerprint;

import static io.faultline.classifier.grouping.fingerprint.Contribution.component;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The last resort for an event with neither exception nor message: one group per transaction (or
 * one per project when there is none), rather than one group per event.
 */
public final class FallbackStrategy implements GroupingStrategy {

    public static final String NAME = "fallback";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Optional<Contribution> contribute(GroupableEvent event, Supplier<Contribution> defaultGrouping) {
        String transaction = event.transaction();
        List<String> components = transaction == null || transaction.isBlank()
                ? List.of(component("fallback", "no exception or message"))
                : List.of(component("fallback", "no exception or message"), component("transaction", transaction));
        return Optional.of(new Contribution(NAME, components, null));
    }
}
