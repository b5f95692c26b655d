package io.faultline.classifier.rates;

import java.time.Instant;
import java.util.List;

/**
 * Error counts of one group, project or workflow in the tumbling windows around {@code asOf}.
 *
 * @param dimension group, project or workflow
 * @param key the group id, project id or {@code projectId/workflow}
 * @param windows one entry per window size, 1m, 5m, 1h
 */
public record ErrorRates(String dimension, String key, Instant asOf, List<WindowRate> windows) {

    /**
     * @param window 1m, 5m or 1h
     * @param start start of the window holding {@code asOf} (still filling)
     * @param end its end
     * @param count errors in it so far
     * @param previousCount errors in the window before it, complete unless events are still late
     */
    public record WindowRate(String window, Instant start, Instant end, long count, long previousCount) {}

    public WindowRate window(RateWindow window) {
        return windows.stream()
                .filter(w -> w.window().equals(window.label()))
                .findFirst()
                .orElseThrow();
    }
}
