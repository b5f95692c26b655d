package io.faultline.classifier.detection;

import java.time.Duration;

/**
 * The knobs of the windowed detectors, bound from {@code faultline.detection.*}.
 *
 * @param grace how long after a window ends a late event still counts in it (event time)
 * @param spikeFloor no spike below this many events in an hour, whatever the baseline
 * @param spikeMultiplier with a full week of history: the hour must exceed this many times the
 *     weekly hourly mean (Sentry's "spike" limit)
 * @param burstyStdMultiplier with a full week of history: or this many standard deviations above
 *     the mean (Sentry's "bursty" limit); the larger of the two applies
 * @param madMultiplier with less than a week of history: median + this many MADs of the hours seen
 * @param errorRateTarget the SLO's allowed error rate (0.001 = 99.9% of requests succeed): the
 *     error budget burn rates are measured against
 */
public record DetectionSettings(
        Duration grace,
        double spikeFloor,
        double spikeMultiplier,
        double burstyStdMultiplier,
        double madMultiplier,
        double errorRateTarget) {

    public DetectionSettings {
        if (grace.isNegative()) {
            throw new IllegalArgumentException("grace must not be negative: " + grace);
        }
        if (!(errorRateTarget > 0 && errorRateTarget < 1)) {
            throw new IllegalArgumentException("errorRateTarget must be in (0, 1): " + errorRateTarget);
        }
    }

    public static DetectionSettings defaults() {
        return new DetectionSettings(Duration.ofMinutes(5), 10, 5, 5, 5, 0.001);
    }
}
