package io.faultline.resolver.engine;

import io.faultline.resolver.runbook.VerificationSpec;
import java.time.Duration;
import java.time.Instant;

/** Judges a verification from the group's arrivals; pure so the rules are unit-tested. */
public final class Verdicts {

    /** The verdict and the observation it rests on, for the audit trail. */
    public record Verdict(boolean passed, String observation) {}

    private Verdicts() {}

    public static Verdict judge(
            VerificationSpec spec, OccurrenceLog log, String groupId, Instant actedAt, Instant now) {
        if (spec instanceof VerificationSpec.QuietFor q) {
            int n = log.count(groupId, actedAt, now);
            return new Verdict(
                    n == 0, n + " new occurrence(s) in the " + q.window().toSeconds() + "s after the action");
        }
        VerificationSpec.RateBelow r = (VerificationSpec.RateBelow) spec;
        Duration span = r.window().compareTo(Duration.ofMinutes(1)) < 0 ? r.window() : Duration.ofMinutes(1);
        Instant from = now.minus(span).isAfter(actedAt) ? now.minus(span) : actedAt;
        int n = log.count(groupId, from, now);
        long millis = Math.max(1, Duration.between(from, now).toMillis());
        double perMinute = n * 60_000.0 / millis;
        return new Verdict(
                perMinute < r.perMinute(),
                String.format(
                        "%.2f/min (%d in the last %ds), threshold %.2f/min",
                        perMinute, n, millis / 1000, r.perMinute()));
    }
}
