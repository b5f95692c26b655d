package io.faultline.impact.service;

import io.faultline.impact.config.SlaConfig;
import io.faultline.impact.model.ImpactReport;
import io.faultline.impact.model.SlaReport;
import io.faultline.impact.model.SlaReport.AutoResolution;
import io.faultline.impact.model.SlaReport.Budget;
import io.faultline.impact.model.SlaReport.CountCompliance;
import io.faultline.impact.model.SlaReport.ErrorBudget;
import io.faultline.impact.model.SlaReport.Objective;
import io.faultline.impact.model.SlaReport.RateCompliance;
import io.faultline.impact.model.SlaReport.ResolveTimeCompliance;
import io.faultline.impact.model.SlaReport.Verdict;
import io.faultline.impact.model.WorkflowImpact;
import io.faultline.impact.repository.ImpactQueries.OpenGroups;
import io.faultline.impact.repository.ImpactQueries.ResolveTimes;
import io.faultline.impact.repository.ImpactQueries.Totals;
import io.faultline.impact.workflow.Workflow;
import io.faultline.schemas.Vocabulary;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/** Compares measured figures with the SLA targets. Pure, so the rules are unit-tested. */
public final class SlaEvaluator {

    /** The severities with a time-to-resolve target: all but info, most urgent first. */
    static final List<String> PRIORITIES =
            Vocabulary.SEVERITIES.stream().filter(s -> !"info".equals(s)).toList();

    /** Targets, decoupled from the config interface so tests can state them directly. */
    public record Targets(
            double errorRate,
            double criticalErrorRate,
            long revenueBlockingErrors,
            Map<String, Duration> timeToResolve,
            double timeToResolveAllowedMisses,
            double autoResolution,
            Map<String, Double> workflowSuccess,
            double healthScore,
            Duration budgetWindow) {

        public static Targets of(SlaConfig c, List<Workflow> workflows) {
            Map<String, Double> success = new LinkedHashMap<>();
            for (Workflow w : workflows) {
                if (w.successTarget() != null) {
                    success.put(w.name(), w.successTarget());
                }
            }
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
                    c.timeToResolveAllowedMisses(),
                    c.autoResolutionTarget(),
                    success,
                    c.healthScoreTarget(),
                    c.budgetWindow());
        }

        /** Critical, high, medium, low targets in milliseconds, the order the queries take them. */
        public long[] timeToResolveMillis() {
            return PRIORITIES.stream()
                    .mapToLong(p -> timeToResolve.get(p).toMillis())
                    .toArray();
        }
    }

    /**
     * What was measured. window: totals of [from, to); budget: of the budget window ending at
     * {@code to}; lastHour: of the hour ending at {@code to}; impact: the workflows' impact of
     * [from, to) (success rates, health score).
     */
    public record Measurements(
            Totals window,
            Totals budget,
            Totals lastHour,
            List<ResolveTimes> resolveTimes,
            List<OpenGroups> openGroups,
            long actionableGroups,
            long autoResolvedGroups,
            long autoResolvedErrors,
            ImpactReport impact) {}

    private final Targets targets;

    public SlaEvaluator(Targets targets) {
        this.targets = targets;
    }

    public SlaReport evaluate(Instant from, Instant to, Measurements m) {
        Totals window = m.window();
        List<Objective> objectives = new ArrayList<>();
        boolean nothingReported = window.requests() == 0 && window.errors() == 0;

        RateCompliance overall = rate(window.errors(), window.requests(), targets.errorRate(), "errors");
        objectives.add(rateObjective("error_rate", "Error rate", overall));
        RateCompliance critical =
                rate(window.criticalErrors(), window.requests(), targets.criticalErrorRate(), "critical errors");
        objectives.add(rateObjective("critical_error_rate", "Critical error rate", critical));

        CountCompliance revenueBlocking = revenueBlocking(window, nothingReported);
        objectives.add(new Objective(
                "revenue_blocking_errors",
                "Revenue-blocking errors",
                revenueBlocking.verdict(),
                revenueBlocking.reason(),
                (double) revenueBlocking.count(),
                revenueBlocking.target(),
                "<=",
                Budget.of("errors", revenueBlocking.target(), revenueBlocking.count())));

        List<ResolveTimeCompliance> ttr = new ArrayList<>();
        for (String priority : PRIORITIES) {
            ResolveTimeCompliance t = timeToResolve(priority, m);
            ttr.add(t);
            long due = t.resolved() + t.openPastTarget();
            long misses = t.resolved() - t.withinTarget() + t.openPastTarget();
            objectives.add(new Objective(
                    "time_to_resolve_" + priority,
                    "Time to resolve, " + priority,
                    t.verdict(),
                    t.reason(),
                    t.p95Seconds(),
                    t.target().toMillis() / 1000.0,
                    "<=",
                    Budget.of("groups past target", targets.timeToResolveAllowedMisses() * due, misses)));
        }

        AutoResolution auto = autoResolution(window.errors(), m);
        objectives.add(new Objective(
                "auto_resolution_errors",
                "Auto-resolution, the first user's definition: share of errors auto-resolved",
                verdictOfShare(auto.errorShare(), targets.autoResolution()),
                auto.errorShare() == null ? "no error in the window, so no share of errors to auto-resolve" : null,
                auto.errorShare(),
                targets.autoResolution(),
                ">",
                Budget.of(
                        "errors not auto-resolved",
                        (1 - targets.autoResolution()) * auto.errors(),
                        auto.errors() - auto.autoResolvedErrors())));
        objectives.add(new Objective(
                "auto_resolution_groups",
                "Auto-resolution, Faultline's definition: share of actionable groups (a runbook matched)"
                        + " auto-resolved",
                auto.verdict(),
                auto.reason(),
                auto.rate(),
                targets.autoResolution(),
                ">",
                Budget.of(
                        "actionable groups not auto-resolved",
                        (1 - targets.autoResolution()) * auto.actionableGroups(),
                        auto.actionableGroups() - auto.autoResolvedGroups())));

        targets.workflowSuccess().forEach((workflow, target) -> objectives.add(workflowSuccess(workflow, target, m)));
        objectives.add(health(m.impact(), nothingReported));

        List<ErrorBudget> budgets = List.of(
                budget("error_rate", targets.errorRate(), m.budget(), m.lastHour(), Totals::errors),
                budget(
                        "critical_error_rate",
                        targets.criticalErrorRate(),
                        m.budget(),
                        m.lastHour(),
                        Totals::criticalErrors));

        List<String> breached = objectives.stream()
                .filter(o -> o.verdict() == Verdict.BREACHED)
                .map(Objective::id)
                .toList();
        List<String> noData = objectives.stream()
                .filter(o -> o.verdict() == Verdict.NO_DATA)
                .map(Objective::id)
                .toList();
        Verdict verdict;
        String reason;
        if (!breached.isEmpty()) {
            verdict = Verdict.BREACHED;
            reason = "breached: " + String.join(", ", breached);
        } else if (noData.size() == objectives.size()) {
            verdict = Verdict.NO_DATA;
            reason = "nothing in the window could be measured against a target";
        } else {
            verdict = Verdict.COMPLIANT;
            reason = noData.isEmpty() ? null : "every measured target met; no data for " + String.join(", ", noData);
        }
        return new SlaReport(
                from,
                to,
                verdict == Verdict.COMPLIANT,
                verdict,
                reason,
                overall,
                critical,
                revenueBlocking,
                ttr,
                auto,
                budgets,
                objectives);
    }

    /**
     * Compliant when strictly below the target. Without traffic there is no rate: errors breach
     * (they cannot be shown to be within target), no errors is no data.
     */
    static RateCompliance rate(long errors, long requests, double target, String what) {
        if (requests == 0) {
            return errors == 0
                    ? new RateCompliance(
                            0, 0, null, target, false, Verdict.NO_DATA, "no traffic and no " + what + " in the window")
                    : new RateCompliance(
                            errors,
                            0,
                            null,
                            target,
                            false,
                            Verdict.BREACHED,
                            errors + " " + what + " and no traffic reported: without traffic only zero complies");
        }
        double rate = (double) errors / requests;
        boolean met = rate < target;
        return new RateCompliance(
                errors,
                requests,
                rate,
                target,
                met,
                met ? Verdict.COMPLIANT : Verdict.BREACHED,
                met ? null : "rate " + rate + " is not below " + target);
    }

    private static Objective rateObjective(String id, String name, RateCompliance r) {
        return new Objective(
                id,
                name,
                r.verdict(),
                r.reason(),
                r.rate(),
                r.target(),
                "<",
                Budget.of("errors", r.target() * r.requests(), r.errors()));
    }

    private CountCompliance revenueBlocking(Totals window, boolean nothingReported) {
        long count = window.revenueBlockingErrors();
        long target = targets.revenueBlockingErrors();
        if (count <= target && nothingReported) {
            return new CountCompliance(count, target, false, Verdict.NO_DATA, "no traffic and no errors in the window");
        }
        boolean met = count <= target;
        return new CountCompliance(
                count,
                target,
                met,
                met ? Verdict.COMPLIANT : Verdict.BREACHED,
                met ? null : count + " revenue-blocking errors, " + target + " allowed");
    }

    /**
     * The groups of a priority due in the window: resolved in it, or open past the target at its
     * end. No group due is no data; more misses than the allowed share of the due groups breaches.
     */
    ResolveTimeCompliance timeToResolve(String priority, Measurements m) {
        Duration target = targets.timeToResolve().get(priority);
        ResolveTimes t = m.resolveTimes().stream()
                .filter(r -> priority.equals(r.priority()))
                .findFirst()
                .orElse(new ResolveTimes(priority, 0, 0, 0, 0, 0, 0));
        OpenGroups open = m.openGroups().stream()
                .filter(o -> priority.equals(o.priority()))
                .findFirst()
                .orElse(new OpenGroups(priority, 0, 0, 0));
        long due = t.resolved() + open.pastTarget();
        boolean timed = t.resolved() > 0;
        Double worst = null;
        if (due > 0) {
            worst = Math.max(timed ? t.maxMillis() : 0, open.pastTarget() > 0 ? open.oldestPastTargetMillis() : 0)
                    / 1000.0;
        }
        Verdict verdict;
        String reason;
        long misses = t.resolved() - t.withinTarget() + open.pastTarget();
        if (due == 0) {
            verdict = Verdict.NO_DATA;
            reason = "no " + priority + "-priority group was resolved in the window or open past its "
                    + target.toString().substring(2).toLowerCase() + " target at its end"
                    + (open.withinTarget() > 0 ? " (" + open.withinTarget() + " open, not yet due)" : "");
        } else if (misses > targets.timeToResolveAllowedMisses() * due) {
            verdict = Verdict.BREACHED;
            reason = misses + " of " + due + " due group(s) past the target (" + open.pastTarget() + " still open)";
        } else {
            verdict = Verdict.COMPLIANT;
            reason = null;
        }
        return new ResolveTimeCompliance(
                priority,
                target,
                t.resolved(),
                t.withinTarget(),
                timed ? t.meanMillis() / 1000.0 : null,
                timed ? t.p95Millis() / 1000.0 : null,
                timed ? t.maxMillis() / 1000.0 : null,
                verdict == Verdict.COMPLIANT,
                timed ? t.p50Millis() / 1000.0 : null,
                worst,
                open.pastTarget(),
                open.withinTarget(),
                verdict,
                reason);
    }

    private AutoResolution autoResolution(long errors, Measurements m) {
        long actionable = m.actionableGroups();
        Double rate = actionable == 0 ? null : Math.min(1.0, (double) m.autoResolvedGroups() / actionable);
        Verdict verdict = verdictOfShare(rate, targets.autoResolution());
        Double errorShare = errors == 0 ? null : Math.min(1.0, (double) m.autoResolvedErrors() / errors);
        return new AutoResolution(
                actionable,
                m.autoResolvedGroups(),
                rate,
                targets.autoResolution(),
                verdict == Verdict.COMPLIANT,
                verdict,
                rate == null ? "nothing actionable in the window: no runbook matched a group" : null,
                errors,
                m.autoResolvedErrors(),
                errorShare);
    }

    /** A share must be strictly above its target; no share (nothing to divide by) is no data. */
    private static Verdict verdictOfShare(Double share, double target) {
        if (share == null) {
            return Verdict.NO_DATA;
        }
        return share > target ? Verdict.COMPLIANT : Verdict.BREACHED;
    }

    /** Success = 1 − min(1, errors / requests) of the workflow, strictly above its target. */
    private static Objective workflowSuccess(String workflow, double target, Measurements m) {
        WorkflowImpact w = m.impact().workflows().stream()
                .filter(i -> workflow.equals(i.workflow()))
                .findFirst()
                .orElse(null);
        long requests = w == null ? 0 : w.requests();
        long errors = w == null ? 0 : w.errors();
        Double success = requests == 0 ? null : 1.0 - Math.min(1.0, (double) errors / requests);
        Verdict verdict;
        String reason = null;
        if (success != null) {
            verdict = verdictOfShare(success, target);
        } else if (errors > 0) {
            verdict = Verdict.BREACHED;
            reason = errors + " errors in " + workflow + " and no traffic reported: without traffic only zero complies";
        } else {
            verdict = Verdict.NO_DATA;
            reason = "no traffic and no errors in " + workflow + " in the window";
        }
        return new Objective(
                "workflow_success_" + workflow,
                "Success rate, " + workflow,
                verdict,
                reason,
                success,
                target,
                ">",
                Budget.of("failed requests", (1 - target) * requests, errors));
    }

    /**
     * The weighted health score (methodology compliance) as a fraction; its budget is in degraded
     * window minutes (weighted): (1 − target) × window minutes allowed.
     */
    private Objective health(ImpactReport impact, boolean nothingReported) {
        double score = impact.healthScore() / 100.0;
        double target = targets.healthScore();
        Verdict verdict = nothingReported ? Verdict.NO_DATA : verdictOfShare(score, target);
        return new Objective(
                "health_score",
                "Health score (methodology compliance)",
                verdict,
                nothingReported ? "no traffic and no errors in the window: every minute is trivially healthy" : null,
                nothingReported ? null : score,
                target,
                ">",
                Budget.of(
                        "degraded minutes (weighted)",
                        (1 - target) * impact.windowMinutes(),
                        (1 - score) * impact.windowMinutes()));
    }

    ErrorBudget budget(String objective, double target, Totals budget, Totals lastHour, ToLongFunction<Totals> errors) {
        long consumed = errors.applyAsLong(budget);
        double allowed = target * budget.requests();
        return new ErrorBudget(
                objective,
                targets.budgetWindow(),
                target,
                budget.requests(),
                allowed,
                consumed,
                Budget.of("errors", allowed, consumed).remaining(),
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
