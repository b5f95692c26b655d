package io.faultline.classifier.classification;

/**
 * One rule of the rule file: when the event matches {@code when} and not {@code unless}, the rule
 * offers a value for each field it sets. Null set-values are fields the rule leaves alone.
 *
 * @param unless null when the rule has no exception
 * @param workflowFromTag the tag whose value is the workflow; the rule offers nothing when the tag
 *     is missing or names no known workflow
 * @param generic a last-resort heuristic (a type name that says "timeout", a status we answered):
 *     the learned fallback may overrule the category and severity it decides, as it may the
 *     defaults
 */
record ClassificationRule(
        String id,
        RuleCondition when,
        RuleCondition unless,
        Severity severity,
        Category category,
        BusinessImpact businessImpact,
        String workflow,
        String workflowFromTag,
        boolean generic) {

    boolean sets(LabelField field) {
        return switch (field) {
            case WORKFLOW -> workflow != null || workflowFromTag != null;
            case CATEGORY -> category != null;
            case SEVERITY -> severity != null;
            case BUSINESS_IMPACT -> businessImpact != null;
        };
    }

    /** The earliest field this rule sets. */
    LabelField firstFieldSet() {
        for (LabelField field : LabelField.values()) {
            if (sets(field)) {
                return field;
            }
        }
        throw new IllegalStateException("rule sets nothing: " + id);
    }
}
