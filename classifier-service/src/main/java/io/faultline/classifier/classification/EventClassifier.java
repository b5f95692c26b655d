package io.faultline.classifier.classification;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Labels events from the rules of a rule file, explaining each label by the id of the rule that
 * decided it.
 *
 * <p>Precedence: an operator override for the event's group wins (rule id
 * {@code override:<groupId>}); otherwise each field is decided, in the order workflow, category,
 * severity, businessImpact, by the first rule in file order that sets the field and matches; a
 * field no rule decides takes the file's default (rule id {@code default}). A rule that sets
 * several fields may thus decide some of them while earlier rules decide others.
 *
 * <p>Thread-safe: the rules are immutable and overrides are read through a concurrent store.
 */
public final class EventClassifier {

    private final ClassificationRules rules;
    private final GroupLabelOverrides overrides;

    public EventClassifier(ClassificationRules rules, GroupLabelOverrides overrides) {
        this.rules = Objects.requireNonNull(rules, "rules");
        this.overrides = Objects.requireNonNull(overrides, "overrides");
    }

    /** A classifier over the shipped rules with in-memory overrides. */
    public static EventClassifier withDefaultRules() {
        return new EventClassifier(ClassificationRules.loadDefault(), new InMemoryGroupLabelOverrides());
    }

    /**
     * Pins labels on a group; they apply to the group's next event. Null components keep deciding
     * by rules; an all-null override removes the pin.
     */
    public void relabel(String groupId, LabelOverride override) {
        overrides.put(groupId, override);
    }

    public void clearRelabel(String groupId) {
        overrides.remove(groupId);
    }

    public ClassificationResult classify(ClassificationInput input) {
        Optional<LabelOverride> override = overrides.forGroup(input.groupId());
        String overrideId = "override:" + input.groupId();
        // Whether each rule's event conditions hold is computed at most once per event.
        Boolean[] eventMatch = new Boolean[rules.rules().size()];

        String workflowRule = ClassificationRules.DEFAULT_RULE_ID;
        String workflow = null;
        if (override.isPresent() && override.get().workflow() != null) {
            workflow = override.get().workflow();
            workflowRule = overrideId;
        } else {
            RuleCondition.Decided nothing = new RuleCondition.Decided(null, null, null);
            for (int i = 0; i < eventMatch.length; i++) {
                ClassificationRule rule = rules.rules().get(i);
                if (rule.sets(LabelField.WORKFLOW) && matches(rule, i, input, nothing, eventMatch)) {
                    String offered = workflowOffered(rule, input);
                    if (offered != null) {
                        workflow = offered;
                        workflowRule = rule.id();
                        break;
                    }
                }
            }
        }

        Category category = rules.defaultCategory();
        String categoryRule = ClassificationRules.DEFAULT_RULE_ID;
        if (override.isPresent() && override.get().category() != null) {
            category = override.get().category();
            categoryRule = overrideId;
        } else {
            int i = firstMatch(LabelField.CATEGORY, input, new RuleCondition.Decided(workflow, null, null), eventMatch);
            if (i >= 0) {
                category = rules.rules().get(i).category();
                categoryRule = rules.rules().get(i).id();
            }
        }

        RuleCondition.Decided decided = new RuleCondition.Decided(workflow, category, null);
        Severity severity = rules.defaultSeverity();
        String severityRule = ClassificationRules.DEFAULT_RULE_ID;
        if (override.isPresent() && override.get().severity() != null) {
            severity = override.get().severity();
            severityRule = overrideId;
        } else {
            int i = firstMatch(LabelField.SEVERITY, input, decided, eventMatch);
            if (i >= 0) {
                severity = rules.rules().get(i).severity();
                severityRule = rules.rules().get(i).id();
            }
        }

        BusinessImpact impact = rules.defaultBusinessImpact();
        String impactRule = ClassificationRules.DEFAULT_RULE_ID;
        if (override.isPresent() && override.get().businessImpact() != null) {
            impact = override.get().businessImpact();
            impactRule = overrideId;
        } else {
            int i = firstMatch(
                    LabelField.BUSINESS_IMPACT,
                    input,
                    new RuleCondition.Decided(workflow, category, severity),
                    eventMatch);
            if (i >= 0) {
                impact = rules.rules().get(i).businessImpact();
                impactRule = rules.rules().get(i).id();
            }
        }

        List<String> explanation = new ArrayList<>(4);
        explanation.add(LabelField.SEVERITY.key() + "=" + severityRule);
        explanation.add(LabelField.CATEGORY.key() + "=" + categoryRule);
        explanation.add(LabelField.BUSINESS_IMPACT.key() + "=" + impactRule);
        explanation.add(LabelField.WORKFLOW.key() + "=" + workflowRule);
        return new ClassificationResult(severity, category, impact, workflow, explanation);
    }

    private int firstMatch(
            LabelField field, ClassificationInput input, RuleCondition.Decided decided, Boolean[] eventMatch) {
        for (int i = 0; i < eventMatch.length; i++) {
            ClassificationRule rule = rules.rules().get(i);
            if (rule.sets(field) && matches(rule, i, input, decided, eventMatch)) {
                return i;
            }
        }
        return -1;
    }

    private boolean matches(
            ClassificationRule rule,
            int index,
            ClassificationInput input,
            RuleCondition.Decided decided,
            Boolean[] eventMatch) {
        if (!rule.when().matchesDecided(decided)) {
            return false;
        }
        RuleCondition unless = rule.unless();
        boolean unlessReadsDecided = unless != null && unless.readsDecided() != null;
        if (eventMatch[index] == null) {
            boolean match = rule.when().matchesEvent(input, rules.hierarchy());
            if (match && unless != null && !unlessReadsDecided) {
                match = !unless.matchesEvent(input, rules.hierarchy());
            }
            eventMatch[index] = match;
        }
        if (!eventMatch[index]) {
            return false;
        }
        // An unless on decided fields depends on what is decided so far, so it is not cached.
        return !unlessReadsDecided
                || !(unless.matchesDecided(decided) && unless.matchesEvent(input, rules.hierarchy()));
    }

    private String workflowOffered(ClassificationRule rule, ClassificationInput input) {
        if (rule.workflow() != null) {
            return rule.workflow();
        }
        String tag = input.tags().get(rule.workflowFromTag());
        if (tag == null) {
            return null;
        }
        String name = tag.trim().toLowerCase(Locale.ROOT).replace('-', '_').replace(' ', '_');
        return rules.workflows().contains(name) ? name : null;
    }
}
