package io.faultline.classifier.config;

import io.faultline.classifier.detection.DetectionSettings;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Where the operator's rule files are (the shipped defaults apply when unset) and how detectors judge. */
@ConfigMapping(prefix = "faultline")
public interface ClassifierConfig {

    Classification classification();

    Grouping grouping();

    Detection detection();

    interface Classification {
        /** {@code FAULTLINE_CLASSIFICATION_RULES_FILE}: replaces the shipped classification-rules.yaml. */
        Optional<Path> rulesFile();
    }

    interface Grouping {
        /** {@code FAULTLINE_GROUPING_RULES_FILE}: operator fingerprint rules (none by default). */
        Optional<Path> rulesFile();
    }

    interface Detection {
        /** {@code faultline.detection.grace}: how late (event time) an error or traffic sample may arrive and still count. */
        @WithDefault("5m")
        Duration grace();

        /** {@code faultline.detection.spike.*}: see {@link io.faultline.classifier.detection.SpikeThreshold}. */
        Spike spike();

        /** {@code faultline.detection.slo.*}. */
        Slo slo();

        interface Spike {
            /** No spike below this many events in an hour. */
            @WithDefault("10")
            double floor();

            /** Full week of history: the hour must exceed this × the weekly hourly mean... */
            @WithDefault("5")
            double multiplier();

            /** ...and mean + this many standard deviations. */
            @WithDefault("5")
            double burstyStdMultiplier();

            /** Less than a week: median + this many MADs. */
            @WithDefault("5")
            double madMultiplier();
        }

        interface Slo {
            /** Allowed error rate; 0.001 = 99.9% of requests succeed. Burn rates are multiples of it. */
            @WithDefault("0.001")
            double errorRateTarget();
        }

        default DetectionSettings settings() {
            return new DetectionSettings(
                    grace(),
                    spike().floor(),
                    spike().multiplier(),
                    spike().burstyStdMultiplier(),
                    spike().madMultiplier(),
                    slo().errorRateTarget());
        }
    }
}
