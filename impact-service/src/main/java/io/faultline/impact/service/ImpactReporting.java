package io.faultline.impact.service;

import io.faultline.impact.config.SlaConfig;
import io.faultline.impact.model.ImpactReport;
import io.faultline.impact.model.SlaReport;
import io.faultline.impact.repository.ImpactQueries;
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
        var calculator = new WorkflowImpactCalculator(sla.errorRateTarget());
        return queries.workflows(project, from, to, sla.errorRateTarget())
                .map(totals -> calculator.calculateFromTotals(workflows.workflows(), totals, from, to));
    }

    public Uni<SlaReport> sla(String project, Instant from, Instant to) {
        var targets = SlaEvaluator.Targets.of(sla, workflows.workflows());
        long[] ttrTargets = targets.timeToResolveMillis();
        Instant budgetFrom = to.minus(targets.budgetWindow());
        // one session statement at a time: chain the reads
        return queries.totals(project, from, to)
                .chain(window -> queries.totals(project, budgetFrom, to)
                        .chain(budget -> queries.totals(project, to.minusSeconds(3600), to)
                                .map(lastHour -> List.of(window, budget, lastHour))))
                .chain(totals -> queries.resolveTimes(project, from, to, ttrTargets)
                        .chain(times -> queries.openGroups(project, to, ttrTargets)
                                .chain(open -> queries.autoResolution(project, from, to)
                                        .chain(auto -> queries.autoResolvedErrors(project, from, to)
                                                .chain(autoErrors -> impact(project, from, to)
                                                        .map(impact -> new SlaEvaluator(targets)
                                                                .evaluate(
                                                                        from,
                                                                        to,
                                                                        new SlaEvaluator.Measurements(
                                                                                totals.get(0),
                                                                                totals.get(1),
                                                                                totals.get(2),
                                                                                times,
                                                                                open,
                                                                                auto[0],
                                                                                auto[1],
                                                                                autoErrors,
                                                                                impact))))))));
    }
}
