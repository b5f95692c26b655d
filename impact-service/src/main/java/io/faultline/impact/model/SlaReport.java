package io.faultline.impact.model;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** SLA / SLO compliance over a window; see docs/impact-model.md for every formula. */
public record SlaReport(
        Instant from,
        Instant to,
        boolean compliant,
        RateCompliance errorRate,
        RateCompliance criticalErrorRate,
        CountCompliance revenueBlockingErrors,
        List<ResolveTimeCompliance> timeToResolve,
        AutoResolution autoResolution,
        List<ErrorBudget> errorBudgets) {

    /** {@code rate} is null without traffic; then compliant means no errors at all. */
    public record RateCompliance(long errors, long requests, Double rate, double target, boolean compliant) {}

    public record CountCompliance(long count, long target, boolean compliant) {}

    /** Compliant when the mean time to resolve (MTTR) is within target; no resolutions = compliant. */
    public record ResolveTimeCompliance(
            String priority,
            Duration target,
            long resolved,
            long withinTarget,
            Double meanSeconds,
            Double p95Seconds,
            Double maxSeconds,
            boolean compliant) {}

    /** {@code rate} is null when nothing was actionable. */
    public record AutoResolution(
            long actionableGroups, long autoResolvedGroups, Double rate, double target, boolean compliant) {}

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
}
