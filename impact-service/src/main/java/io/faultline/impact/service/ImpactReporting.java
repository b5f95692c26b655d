package io.faultline.impact.service;

import io.faultline.impact.config.SlaConfig;
import io.faultline.impact.model.ImpactReport;
import io.faultline.impact.model.SlaReport;
import io.faultline.impact.model.WorkflowCounts;
import io.faultline.impact.model.WorkflowImpact;
import io.faultline.impact.repository.ImpactQueries;
import io.faultline.impact.repository.ImpactQueries.Totals;
import io.faultline.impact.workflow.WorkflowCatalog;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

/** Computes the impact and SLA reports from the stored counters. */
@ApplicationScoped
public class ImpactReporting {

    private final ImpactQueries queries;
    private final WorkflowCatalog workflows;
    private final SlaConfig sla;

    public ImpactReporting(ImpactQueries queries, WorkflowCatalog workflows, SlaConfig sla) {
        this.queries = queries;
        this.workflows = workflows;
        this.sla = sla;
    }

    public Uni<ImpactReport> impact(String project, Instant from, Instant to) {
        return queries.workflows(project, from, to, sla.errorRateTarget()).map(totals -> impactOf(totals, from, to));
    }

    /** The impact report of [from, to) from its workflows' counts. */
    public ImpactReport impactOf(List<WorkflowCounts> totals, Instant from, Instant to) {
        return new WorkflowImpactCalculator(sla.errorRateTarget())
                .calculateFromTotals(workflows.workflows(), totals, from, to);
    }

    public Uni<SlaReport> sla(String project, Instant from, Instant to) {
        return impact(project, from, to).chain(impact -> sla(project, from, to, impact));
    }

    /** {@link #sla(String, Instant, Instant)} of a window whose impact a caller already has. */
    public Uni<SlaReport> sla(String project, Instant from, Instant to, ImpactReport windowImpact) {
        var targets = SlaEvaluator.Targets.of(sla, workflows.workflows());
        long[] ttrTargets = targets.timeToResolveMillis();
        Instant budgetFrom = to.minus(targets.budgetWindow());
        // one session statement at a time: chain the reads. The window's totals are the sum of its
        // workflows' impact (the same minute rollups), so they cost no query of their own.
        return Uni.createFrom()
                .item(windowImpact)
                .chain(impact -> queries.totals(project, budgetFrom, to)
                        .chain(budget -> queries.totals(project, to.minusSeconds(3600), to)
                                .map(lastHour -> new Rollups(impact, budget, lastHour))))
                .chain(read -> queries.resolveTimes(project, from, to, ttrTargets)
                        .chain(times -> queries.openGroups(project, to, ttrTargets)
                                .chain(open -> queries.autoResolution(project, from, to)
                                        .chain(auto -> queries.autoResolvedErrors(project, from, to)
                                                .map(autoErrors -> new SlaEvaluator(targets)
                                                        .evaluate(
                                                                from,
                                                                to,
                                                                new SlaEvaluator.Measurements(
                                                                        windowTotals(read.impact()),
                                                                        read.budget(),
                                                                        read.lastHour(),
                                                                        times,
                                                                        open,
                                                                        auto[0],
                                                                        auto[1],
                                                                        autoErrors,
                                                                        read.impact())))))));
    }

    /** What the SLA reads from the rollups: the window's impact, the budget window, the last hour. */
    private record Rollups(ImpactReport impact, Totals budget, Totals lastHour) {}

    public static Totals windowTotals(ImpactReport impact) {
        long requests = 0;
        long errors = 0;
        long critical = 0;
        long revenueBlocking = 0;
        for (WorkflowImpact w : impact.workflows()) {
            requests += w.requests();
            errors += w.errors();
            critical += w.criticalErrors();
            revenueBlocking += w.revenueBlockingErrors();
        }
        return new Totals(requests, errors, critical, revenueBlocking);
    }
}
