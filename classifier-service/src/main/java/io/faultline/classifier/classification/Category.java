package io.faultline.classifier.classification;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What broke: the technical or business area whose failure the error reports. */
public enum Category {
    AUTHENTICATION,
    PAYMENT,
    BOOKING,
    DATABASE,
    EXTERNAL_API,
    VALIDATION,
    PERFORMANCE,
    SECURITY,
    USER_EXPERIENCE,
    BUSINESS_LOGIC;

    /** The name on the wire and in rule files. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Category> fromWire(String name) {
        return Arrays.stream(values()).filter(v -> v.wireName().equals(name)).findFirst();
    }
}
