package io.faultline.classifier.detection;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The multi-window, multi-burn-rate SLO alert of the Google SRE workbook ("Alerting on SLOs",
 * table 5-8): a window pair fires when the error budget burns at least {@code factor} times too
 * fast over both its long window (the burn is significant) and its short window (it is still
 * going on). Pairs are ordered most urgent first; the first that fires is the one reported.
 *
 * <p>Counts live in {@link #BUCKET}-wide buckets; every window is a whole number of buckets
 * ending at the evaluation point, so a replay of the same records gives the same answer.
 */
public final class BurnRateRule {

    public static final Duration BUCKET = Duration.ofMinutes(5);

    public record WindowPair(String name, Duration longWindow, Duration shortWindow, double factor, String severity) {}

    public static final List<WindowPair> PAIRS = List.of(
            new WindowPair("1h/5m", Duration.ofHours(1), Duration.ofMinutes(5), 14.4, "critical"),
            new WindowPair("6h/30m", Duration.ofHours(6), Duration.ofMinutes(30), 6, "high"),
            new WindowPair("1d/2h", Duration.ofDays(1), Duration.ofHours(2), 3, "medium"),
            new WindowPair("3d/6h", Duration.ofDays(3), Duration.ofHours(6), 1, "low"));

    /** The longest window any pair looks at: how much history the bucket store must keep. */
    public static final Duration HORIZON = Duration.ofDays(3);

    /** Errors and requests counted in the bucket starting at {@code startMs}. */
    public record Bucket(long startMs, long errors, long requests) {}

    /** What one window saw: its counts and burn rate (error rate ÷ allowed error rate). */
    public record WindowBurn(long startMs, long endMs, long errors, long requests, double burnRate) {}

    /** A firing pair. */
    public record Burn(WindowPair pair, WindowBurn longWindow, WindowBurn shortWindow) {}

    /** A burn rate of exactly the factor fires, though 0.006 / 0.001 is not exactly 6 in binary. */
    private static final double TOLERANCE = 1e-9;

    private final double errorRateTarget;

    public BurnRateRule(double errorRateTarget) {
        this.errorRateTarget = errorRateTarget;
    }

    /** The most urgent pair firing over the windows that end at {@code endMs}, if any. */
    public Optional<Burn> evaluate(List<Bucket> buckets, long endMs) {
        return firing(buckets, endMs).stream().findFirst();
    }

    /** Every pair firing over the windows that end at {@code endMs}, most urgent first. */
    public List<Burn> firing(List<Bucket> buckets, long endMs) {
        List<Burn> firing = new ArrayList<>();
        for (WindowPair pair : PAIRS) {
            WindowBurn longBurn = window(buckets, endMs, pair.longWindow());
            WindowBurn shortBurn = window(buckets, endMs, pair.shortWindow());
            if (longBurn.requests() > 0
                    && shortBurn.requests() > 0
                    && longBurn.burnRate() >= pair.factor() - TOLERANCE
                    && shortBurn.burnRate() >= pair.factor() - TOLERANCE) {
                firing.add(new Burn(pair, longBurn, shortBurn));
            }
        }
        return firing;
    }

    WindowBurn window(List<Bucket> buckets, long endMs, Duration size) {
        long startMs = endMs - size.toMillis();
        long errors = 0;
        long requests = 0;
        for (Bucket b : buckets) {
            if (b.startMs() >= startMs && b.startMs() < endMs) {
                errors += b.errors();
                requests += b.requests();
            }
        }
        // error events and request counts come from different senders: never more than 100% errors
        double errorRate = requests == 0 ? 0 : Math.min(errors, requests) / (double) requests;
        return new WindowBurn(startMs, endMs, errors, requests, errorRate / errorRateTarget);
    }
}
