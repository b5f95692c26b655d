package io.faultline.classifier.classification;

/**
 * The fields a rule can set, in the order they are decided. A rule may condition on a field decided
 * before the ones it sets (e.g. set the impact of any {@code payment} category), never after.
 */
public enum LabelField {
    WORKFLOW("workflow"),
    CATEGORY("category"),
    SEVERITY("severity"),
    BUSINESS_IMPACT("businessImpact");

    private final String key;

    LabelField(String key) {
        this.key = key;
    }

    /** The key in rule files and in {@link ClassificationResult#rules()}. */
    public String key() {
        return key;
    }
}
