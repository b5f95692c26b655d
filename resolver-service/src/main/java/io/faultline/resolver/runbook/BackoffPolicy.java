package io.faultline.resolver.runbook;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff between tries of one action. Jitter spreads the retries of many attempts
 * that failed together (one outage, many groups) so they do not hit the target in lockstep.
 *
 * @param jitter fraction of the delay that is randomised, 0 (none) to 1 (anywhere in 0..2x)
 */
public record BackoffPolicy(Duration initial, Duration max, double multiplier, double jitter) {

    public static final BackoffPolicy DEFAULT =
            new BackoffPolicy(Duration.ofSeconds(1), Duration.ofMinutes(1), 2.0, 0.2);

    /**
     * Delay before try {@code nextTry} (2 = the first retry).
     *
     * @param random a value in [0, 1)
     */
    public Duration delayBefore(int nextTry, DoubleSupplier random) {
        double base = initial.toMillis() * Math.pow(multiplier, Math.max(0, nextTry - 2));
        double capped = Math.min(base, max.toMillis());
        double jittered = capped * (1 + jitter * (2 * random.getAsDouble() - 1));
        return Duration.ofMillis(Math.round(Math.max(0, Math.min(jittered, max.toMillis()))));
    }
}
