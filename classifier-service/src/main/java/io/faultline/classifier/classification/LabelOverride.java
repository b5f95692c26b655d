package io.faultline.classifier.classification;

/**
 * Labels an operator pinned on a group. A null component leaves that field to the rules, so an
 * operator can correct the severity alone without freezing the category.
 */
public record LabelOverride(Severity severity, Category category, BusinessImpact businessImpact, String workflow) {

    public boolean isEmpty() {
        return severity == null && category == null && businessImpact == null && workflow == null;
    }
}
