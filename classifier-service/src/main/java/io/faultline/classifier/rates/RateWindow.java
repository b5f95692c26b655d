package io.faultline.classifier.rates;

import java.time.Duration;

/** The tumbling event-time windows error rates are counted over, and how long each is kept. */
public enum RateWindow {
    ONE_MINUTE("1m", Duration.ofMinutes(1), Duration.ofHours(2)),
    FIVE_MINUTES("5m", Duration.ofMinutes(5), Duration.ofDays(1)),
    ONE_HOUR("1h", Duration.ofHours(1), Duration.ofDays(8));

    private final String label;
    private final Duration size;
    private final Duration retention;

    RateWindow(String label, Duration size, Duration retention) {
        this.label = label;
        this.size = size;
        this.retention = retention;
    }

    public String label() {
        return label;
    }

    public Duration size() {
        return size;
    }

    /** At least size + grace; queried windows older than this are gone. */
    public Duration retention(Duration grace) {
        Duration minimum = size.plus(grace);
        return retention.compareTo(minimum) >= 0 ? retention : minimum;
    }
}
