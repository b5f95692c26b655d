package io.faultline.classifier.grouping.fingerprint;

import static io.faultline.classifier.grouping.fingerprint.Contribution.component;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The operator's fingerprint rules. As in Sentry, a matching server-side rule overrides even the
 * fingerprint an SDK sent: the operator sees every service of the project, one SDK call site does
 * not. The rule's id is the first component, so a group says which rule made it.
 */
public final class FingerprintRuleStrategy implements GroupingStrategy {

    public static final String NAME = "fingerprint-rule";

    private final FingerprintRules rules;
    private final FingerprintVariables variables;

    public FingerprintRuleStrategy(FingerprintRules rules, FingerprintVariables variables) {
        this.rules = rules;
        this.variables = variables;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Optional<Contribution> contribute(GroupableEvent event, Supplier<Contribution> defaultGrouping) {
        return rules.firstMatch(event).map(rule -> {
            List<String> components = new ArrayList<>();
            components.add(component("rule", rule.id()));
            components.addAll(variables.components(rule.fingerprint(), event, defaultGrouping));
            String template = ClientFingerprintStrategy.usesDefault(rule.fingerprint())
                    ? defaultGrouping.get().template()
                    : null;
            String title = rule.title() == null ? null : variables.interpolate(rule.title(), event);
            return new Contribution(NAME, components, template, title);
        });
    }
}
