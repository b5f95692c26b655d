package io.faultline.classifier.config;

import io.smallrye.config.ConfigMapping;
import java.nio.file.Path;
import java.util.Optional;

/** Where the operator's rule files are; the shipped defaults apply when unset. */
@ConfigMapping(prefix = "faultline")
public interface ClassifierConfig {

    Classification classification();

    Grouping grouping();

    interface Classification {
        /** {@code FAULTLINE_CLASSIFICATION_RULES_FILE}: replaces the shipped classification-rules.yaml. */
        Optional<Path> rulesFile();
    }

    interface Grouping {
        /** {@code FAULTLINE_GROUPING_RULES_FILE}: operator fingerprint rules (none by default). */
        Optional<Path> rulesFile();
    }
}
