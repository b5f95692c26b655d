package io.faultline.classifier.grouping.fingerprint;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The fingerprint the SDK sent with the event ({@code event.fingerprint}) replaces the default
 * grouping, with Sentry's variables. A fingerprint made only of {@code {{ default }}} means "group
 * as usual" and yields exactly the default group, as in Sentry.
 */
public final class ClientFingerprintStrategy implements GroupingStrategy {

    public static final String NAME = "client-fingerprint";

    private final FingerprintVariables variables;

    public ClientFingerprintStrategy(FingerprintVariables variables) {
        this.variables = variables;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Optional<Contribution> contribute(GroupableEvent event, Supplier<Contribution> defaultGrouping) {
        List<String> fingerprint =
                event.fingerprint().stream().filter(entry -> !entry.isBlank()).toList();
        boolean onlyDefault = fingerprint.stream().allMatch(entry -> FingerprintVariables.variableIn(entry)
                .filter(FingerprintVariables.DEFAULT::equals)
                .isPresent());
        if (onlyDefault) {
            return Optional.empty();
        }
        List<String> components = variables.components(fingerprint, event, defaultGrouping);
        String template = usesDefault(fingerprint) ? defaultGrouping.get().template() : null;
        return Optional.of(new Contribution(NAME, components, template));
    }

    static boolean usesDefault(List<String> fingerprint) {
        return fingerprint.stream().anyMatch(entry -> FingerprintVariables.variableIn(entry)
                .filter(FingerprintVariables.DEFAULT::equals)
                .isPresent());
    }
}
