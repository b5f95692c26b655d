package io.faultline.classifier.classification;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** How urgently a human must look at an error, most urgent first. */
public enum Severity {
    CRITICAL,
    HIGH,
    MEDIUM,
    LOW,
    INFO;

    /** The name on the wire and in rule files. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Severity> fromWire(String name) {
        return Arrays.stream(values()).filter(v -> v.wireName().equals(name)).findFirst();
    }
}
