package io.faultline.classifier.streams;

import io.faultline.classifier.classification.BusinessImpact;
import io.faultline.classifier.classification.Category;
import io.faultline.classifier.classification.LabelOverride;
import io.faultline.classifier.classification.Severity;

/**
 * The stored form of a relabel: {@code severity|category|businessImpact|workflow}, wire names, an
 * empty field for a label left to the rules. Plain text so the changelog reads in a console.
 */
final class LabelOverrides {

    private LabelOverrides() {}

    static String encode(LabelOverride o) {
        return String.join(
                "|",
                o.severity() == null ? "" : o.severity().wireName(),
                o.category() == null ? "" : o.category().wireName(),
                o.businessImpact() == null ? "" : o.businessImpact().wireName(),
                o.workflow() == null ? "" : o.workflow());
    }

    static LabelOverride decode(String stored) {
        String[] f = stored.split("\\|", -1);
        return new LabelOverride(
                Severity.fromWire(field(f, 0)).orElse(null),
                Category.fromWire(field(f, 1)).orElse(null),
                BusinessImpact.fromWire(field(f, 2)).orElse(null),
                field(f, 3));
    }

    private static String field(String[] fields, int i) {
        return i < fields.length && !fields[i].isEmpty() ? fields[i] : null;
    }
}
