package io.faultline.impact.service;

import io.faultline.impact.model.ImpactReport;
import io.faultline.impact.model.MinuteCounts;
import io.faultline.impact.model.WorkflowCounts;
import io.faultline.impact.model.WorkflowImpact;
import io.faultline.impact.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The impact model, as documented in {@code docs/impact-model.md}. Pure: minute
 * counters in, figures out, so every formula is unit-tested without a database.
 *
 * <p>Per minute m of a workflow: requests r, errors e, revenue-blocking errors b.
 *
 * <ul>
 *   <li>affected fraction f = 1 if b &gt; 0, else min(1, e / r) if r &gt; 0, else 0;
 *   <li>degraded when b &gt; 0, or r &gt; 0 and e / r &gt; target, or r = 0 and e &gt; 0;
 *   <li>revenue loss = revenuePerHour × f / 60.
 * </ul>
 */
public final class WorkflowImpactCalculator {

    private final double errorRateTarget;

    public WorkflowImpactCalculator(double errorRateTarget) {
        this.errorRateTarget = errorRateTarget;
    }

    /**
     * @param workflows the configured workflows (listed even without data)
     * @param minutes counters inside [from, to); workflows not configured are reported with
     *     weight 0 and no revenue
     */
    public ImpactReport calculate(List<Workflow> workflows, List<MinuteCounts> minutes, Instant from, Instant to) {
        return calculateFromTotals(workflows, fold(minutes, errorRateTarget), from, to);
    }

    /**
     * Folds minute counters into per-workflow totals with the per-minute rules. The database does
     * the same fold in SQL ({@code ImpactQueries.workflows}) so a query returns one row per
     * workflow; this is the reference the SQL is tested against.
     */
    public static List<WorkflowCounts> fold(List<MinuteCounts> minutes, double target) {
        Map<String, long[]> counts = new LinkedHashMap<>();
        Map<String, Double> affected = new LinkedHashMap<>();
        for (MinuteCounts m : minutes) {
            long[] c = counts.computeIfAbsent(m.workflow(), w -> new long[5]);
            c[0] += m.requests();
            c[1] += m.errors();
            c[2] += m.criticalErrors();
            c[3] += m.revenueBlockingErrors();
            c[4] += degraded(m.requests(), m.errors(), m.revenueBlockingErrors(), target) ? 1 : 0;
            affected.merge(
                    m.workflow(), affectedFraction(m.requests(), m.errors(), m.revenueBlockingErrors()), Double::sum);
        }
        return counts.entrySet().stream()
                .map(e -> new WorkflowCounts(
                        e.getKey(),
                        e.getValue()[0],
                        e.getValue()[1],
                        e.getValue()[2],
                        e.getValue()[3],
                        e.getValue()[4],
                        affected.get(e.getKey())))
                .toList();
    }

    /** @param totals per-workflow totals of [from, to) */
    public ImpactReport calculateFromTotals(
            List<Workflow> workflows, List<WorkflowCounts> totals, Instant from, Instant to) {
        long windowMinutes = Math.max(1, (Duration.between(from, to).toSeconds() + 59) / 60);
        Map<String, Accumulator> byWorkflow = new LinkedHashMap<>();
        for (Workflow w : workflows) {
            byWorkflow.put(w.name(), new Accumulator(w.name(), true, w.weight(), w.revenuePerHour()));
        }
        for (WorkflowCounts t : totals) {
            byWorkflow
                    .computeIfAbsent(t.workflow(), name -> new Accumulator(name, false, 0, 0))
                    .add(t);
        }
        List<WorkflowImpact> impacts = new ArrayList<>();
        double weighted = 0;
        double weights = 0;
        double loss = 0;
        long revenueBlocking = 0;
        for (Accumulator a : byWorkflow.values()) {
            WorkflowImpact impact = a.result(windowMinutes);
            impacts.add(impact);
            weighted += impact.weight() * impact.health();
            weights += impact.weight();
            loss += a.revenueLoss;
            revenueBlocking += impact.revenueBlockingErrors();
        }
        double healthScore = weights > 0 ? round(100 * weighted / weights, 2) : 100.0;
        return new ImpactReport(
                from, to, windowMinutes, errorRateTarget, healthScore, round(loss, 2), revenueBlocking, impacts);
    }

    /** The fraction of a minute's revenue lost. */
    static double affectedFraction(long requests, long errors, long revenueBlocking) {
        if (revenueBlocking > 0) {
            return 1.0;
        }
        return requests > 0 ? Math.min(1.0, (double) errors / requests) : 0.0;
    }

    static boolean degraded(long requests, long errors, long revenueBlocking, double target) {
        if (revenueBlocking > 0) {
            return true;
        }
        return requests > 0 ? (double) errors / requests > target : errors > 0;
    }

    static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }

    private static final class Accumulator {
        final String workflow;
        final boolean configured;
        final double weight;
        final double revenuePerHour;
        long requests;
        long errors;
        long critical;
        long revenueBlocking;
        long degradedMinutes;
        double revenueLoss;

        Accumulator(String workflow, boolean configured, double weight, double revenuePerHour) {
            this.workflow = workflow;
            this.configured = configured;
            this.weight = weight;
            this.revenuePerHour = revenuePerHour;
        }

        void add(WorkflowCounts t) {
            requests += t.requests();
            errors += t.errors();
            critical += t.criticalErrors();
            revenueBlocking += t.revenueBlockingErrors();
            degradedMinutes += t.degradedMinutes();
            revenueLoss += revenuePerHour * t.affectedMinutes() / 60.0;
        }

        WorkflowImpact result(long windowMinutes) {
            Double errorRate = requests > 0 ? Math.min(1.0, (double) errors / requests) : null;
            double health = Math.max(0.0, 1.0 - (double) Math.min(degradedMinutes, windowMinutes) / windowMinutes);
            return new WorkflowImpact(
                    workflow,
                    configured,
                    weight,
                    revenuePerHour,
                    requests,
                    errors,
                    critical,
                    revenueBlocking,
                    errorRate == null ? null : round(errorRate, 6),
                    errorRate == null ? null : round(1.0 - errorRate, 6),
                    requests == 0,
                    degradedMinutes,
                    round(revenueLoss, 2),
                    round(health, 4));
        }
    }
}
