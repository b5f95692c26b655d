package io.faultline.impact.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * SLA / SLO compliance over a window; see docs/impact-model.md for every formula. Every objective
 * has a {@link Verdict}; {@code compliant} fields, kept for older readers, are true only for the
 * verdict {@code compliant} (no data is not compliance). {@code objectives} lists every target
 * once, uniformly, with its error budget.
 */
public record SlaReport(
        Instant from,
        Instant to,
        boolean compliant,
        Verdict verdict,
        String reason,
        RateCompliance errorRate,
        RateCompliance criticalErrorRate,
        CountCompliance revenueBlockingErrors,
        List<ResolveTimeCompliance> timeToResolve,
        AutoResolution autoResolution,
        List<ErrorBudget> errorBudgets,
        List<Objective> objectives) {

    /** What a target's figure says: met, missed, or nothing measured that could say either. */
    public enum Verdict {
        @JsonProperty("compliant")
        COMPLIANT,
        @JsonProperty("breached")
        BREACHED,
        @JsonProperty("no_data")
        NO_DATA
    }

    /** {@code rate} is null without traffic; then errors breach and no errors is no data. */
    public record RateCompliance(
            long errors,
            long requests,
            Double rate,
            double target,
            boolean compliant,
            Verdict verdict,
            String reason) {}

    public record CountCompliance(long count, long target, boolean compliant, Verdict verdict, String reason) {}

    /**
     * Groups of one priority due in the window: resolved in it ({@code resolved}, timed: p50, p95,
     * mean, max) or still open past the target at its end ({@code openPastTarget}); worst is the
     * longest of those, an open group's age counting as a time it has already taken.
     */
    public record ResolveTimeCompliance(
            String priority,
            Duration target,
            long resolved,
            long withinTarget,
            Double meanSeconds,
            Double p95Seconds,
            Double maxSeconds,
            boolean compliant,
            Double p50Seconds,
            Double worstSeconds,
            long openPastTarget,
            long openWithinTarget,
            Verdict verdict,
            String reason) {}

    /**
     * Faultline's definition (groups): {@code rate} = auto-resolved / actionable groups, null when
     * nothing was actionable. The first user's (errors): {@code errorShare} = errors auto-resolved /
     * errors, null without errors. The verdicts of both are in {@code objectives}.
     */
    public record AutoResolution(
            long actionableGroups,
            long autoResolvedGroups,
            Double rate,
            double target,
            boolean compliant,
            Verdict verdict,
            String reason,
            long errors,
            long autoResolvedErrors,
            Double errorShare) {}

    /**
     * allowed = target × requests over the budget window; remaining = 1 − consumed / allowed (may go
     * negative: the budget is overspent); burn rate = observed rate / target (1 = spending exactly
     * the budget).
     */
    public record ErrorBudget(
            String objective,
            Duration window,
            double target,
            long requests,
            double allowedErrors,
            long consumedErrors,
            Double remaining,
            Double burnRate,
            Double burnRateLastHour) {}

    /**
     * One target of the table. {@code actual} and {@code target} are fractions (0..1) or, for time
     * to resolve, seconds (p95 of the resolved); {@code comparison} says how they are compared
     * ({@code <}, {@code <=}, {@code >}).
     */
    public record Objective(
            String id,
            String name,
            Verdict verdict,
            String reason,
            Double actual,
            double target,
            String comparison,
            Budget budget) {}

    /**
     * Over the report window: how much of the bad the target allows ({@code allowed}), how much
     * happened ({@code consumed}), {@code remaining} = 1 − consumed / allowed (negative when
     * overspent; 1 when nothing was allowed and nothing consumed; null when something was consumed
     * and nothing allowed).
     */
    public record Budget(String unit, double allowed, double consumed, Double remaining) {

        public static Budget of(String unit, double allowed, double consumed) {
            Double remaining = null;
            if (allowed > 0) {
                remaining = 1.0 - consumed / allowed;
            } else if (consumed <= 0) {
                remaining = 1.0;
            }
            return new Budget(unit, allowed, consumed, remaining);
        }
    }
}
