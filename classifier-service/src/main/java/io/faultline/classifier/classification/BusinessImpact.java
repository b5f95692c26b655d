package io.faultline.classifier.classification;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What the error costs the business, worst first. */
public enum BusinessImpact {
    REVENUE_BLOCKING,
    USER_BLOCKING,
    EXPERIENCE_DEGRADING,
    OPERATIONAL,
    MONITORING;

    /** The name on the wire and in rule files. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<BusinessImpact> fromWire(String name) {
        return Arrays.stream(values()).filter(v -> v.wireName().equals(name)).findFirst();
    }
}
