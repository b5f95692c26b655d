package io.faultline.impact.service;

import io.faultline.impact.config.SlaConfig;
import io.faultline.impact.model.SlaReport;
import io.faultline.impact.model.SlaReport.AutoResolution;
import io.faultline.impact.model.SlaReport.CountCompliance;
import io.faultline.impact.model.SlaReport.ErrorBudget;
import io.faultline.impact.model.SlaReport.RateCompliance;
import io.faultline.impact.model.SlaReport.ResolveTimeCompliance;
import io.faultline.impact.repository.ImpactQueries.ResolveTimes;
import io.faultline.impact.repository.ImpactQueries.Totals;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/** Compares measured figures with the SLA targets. Pure, so the rules are unit-tested. */
public final class SlaEvaluator {

    static final List<String> PRIORITIES = List.of("critical", "high", "medium", "low");

    /** Targets, decoupled from the config interface so tests can state them directly. */
    public record Targets(
            double errorRate,
            double criticalErrorRate,
            long revenueBlockingErrors,
            Map<String, Duration> timeToResolve,
            double autoResolution,
            Duration budgetWindow) {

        public static Targets of(SlaConfig c) {
            return new Targets(
                    c.errorRateTarget(),
                    c.criticalErrorRateTarget(),
                    c.revenueBlockingErrorTarget(),
                    Map.of(
                            "critical",
                            c.mttrCritical(),
                            "high",
                            c.mttrHigh(),
                            "medium",
                            c.mttrMedium(),
                            "low",
                            c.mttrLow()),
                    c.autoResolutionTarget(),
                    c.budgetWindow());
        }
    }

    private final Targets targets;

    public SlaEvaluator(Targets targets) {
        this.targets = targets;
    }

    /**
     * @param window totals of [from, to); budget totals of the budget window ending at {@code to};
     *     lastHour totals of the hour ending at {@code to}
     */
    public SlaReport evaluate(
            Instant from,
            Instant to,
            Totals window,
            Totals budget,
            Totals lastHour,
            List<ResolveTimes> resolveTimes,
            long actionableGroups,
            long autoResolvedGroups) {
        RateCompliance overall = rate(window.errors(), window.requests(), targets.errorRate());
        RateCompliance critical = rate(window.criticalErrors(), window.requests(), targets.criticalErrorRate());
        CountCompliance revenueBlocking = new CountCompliance(
                window.revenueBlockingErrors(),
                targets.revenueBlockingErrors(),
                window.revenueBlockingErrors() <= targets.revenueBlockingErrors());
        List<ResolveTimeCompliance> ttr = new ArrayList<>();
        for (String priority : PRIORITIES) {
            Duration target = targets.timeToResolve().get(priority);
            ResolveTimes t = resolveTimes.stream()
                    .filter(r -> priority.equals(r.priority()))
                    .findFirst()
                    .orElse(null);
            if (t == null || t.resolved() == 0) {
                ttr.add(new ResolveTimeCompliance(priority, target, 0, 0, null, null, null, true));
            } else {
                ttr.add(new ResolveTimeCompliance(
                        priority,
                        target,
                        t.resolved(),
                        t.withinTarget(),
                        t.meanMillis() / 1000.0,
                        t.p95Millis() / 1000.0,
                        t.maxMillis() / 1000.0,
                        t.meanMillis() <= target.toMillis()));
            }
        }
        Double autoRate = actionableGroups == 0 ? null : Math.min(1.0, (double) autoResolvedGroups / actionableGroups);
        AutoResolution auto = new AutoResolution(
                actionableGroups,
                autoResolvedGroups,
                autoRate,
                targets.autoResolution(),
                autoRate == null || autoRate >= targets.autoResolution());
        List<ErrorBudget> budgets = List.of(
                budget("error_rate", targets.errorRate(), budget, lastHour, Totals::errors),
                budget("critical_error_rate", targets.criticalErrorRate(), budget, lastHour, Totals::criticalErrors));
        boolean compliant = overall.compliant()
                && critical.compliant()
                && revenueBlocking.compliant()
                && ttr.stream().allMatch(ResolveTimeCompliance::compliant)
                && auto.compliant();
        return new SlaReport(from, to, compliant, overall, critical, revenueBlocking, ttr, auto, budgets);
    }

    static RateCompliance rate(long errors, long requests, double target) {
        if (requests == 0) {
            return new RateCompliance(errors, 0, null, target, errors == 0);
        }
        double rate = (double) errors / requests;
        return new RateCompliance(errors, requests, rate, target, rate < target);
    }

    ErrorBudget budget(String objective, double target, Totals budget, Totals lastHour, ToLongFunction<Totals> errors) {
        long consumed = errors.applyAsLong(budget);
        double allowed = target * budget.requests();
        // no budget (no traffic or a zero target): untouched is fully remaining, any error is unbounded
        Double remaining = null;
        if (allowed > 0) {
            remaining = 1.0 - consumed / allowed;
        } else if (consumed == 0) {
            remaining = 1.0;
        }
        return new ErrorBudget(
                objective,
                targets.budgetWindow(),
                target,
                budget.requests(),
                allowed,
                consumed,
                remaining,
                burn(consumed, budget.requests(), target),
                burn(errors.applyAsLong(lastHour), lastHour.requests(), target));
    }

    static Double burn(long errors, long requests, double target) {
        if (requests == 0 || target <= 0) {
            return null;
        }
        return ((double) errors / requests) / target;
    }
}
