package io.faultline.classifier.rates;

/**
 * What error rates are counted per. Keys: a group id; a project id; {@code projectId/workflow}
 * (the workflow from the event's classification; events without one count for their project only).
 */
public enum RateDimension {
    GROUP("group"),
    PROJECT("project"),
    WORKFLOW("workflow");

    private final String label;

    RateDimension(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** The windowed count store of this dimension and window, e.g. {@code group-rate-5m-store}. */
    public String storeName(RateWindow window) {
        return label + "-rate-" + window.label() + "-store";
    }
}
