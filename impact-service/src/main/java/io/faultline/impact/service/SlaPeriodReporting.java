package io.faultline.impact.service;

import io.faultline.impact.config.SlaConfig;
import io.faultline.impact.model.ImpactReport;
import io.faultline.impact.model.SlaPeriodReport;
import io.faultline.impact.model.SlaPeriodReport.Point;
import io.faultline.impact.model.SlaPeriodReport.Scope;
import io.faultline.impact.model.SlaReport;
import io.faultline.impact.model.WorkflowImpact;
import io.faultline.impact.repository.ImpactQueries.Key;
import io.faultline.impact.repository.ImpactQueries.OpenGroups;
import io.faultline.impact.repository.ImpactQueries.ResolveTimes;
import io.faultline.impact.repository.ImpactQueries.Totals;
import io.faultline.impact.repository.SlaReportQueries;
import io.faultline.impact.repository.SlaReportQueries.SeriesRow;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The SLA report of a period (docs/impact-model.md, "SLA report"): the {@code /sla} report of all
 * the projects covered and of each project as it is, and of each workflow its own, judged by the
 * same {@link SlaEvaluator} on that workflow's measurements against the same targets (its own
 * success target only: the other workflows' are not its business).
 */
@ApplicationScoped
public class SlaPeriodReporting {

    /** Up to two days, a daily series would have one or two points: hourly then. */
    static final Duration HOURLY_UP_TO = Duration.ofDays(2);

    private static final Totals NOTHING = new Totals(0, 0, 0, 0);

    private final ImpactReporting reporting;
    private final SlaReportQueries queries;
    private final io.faultline.impact.workflow.WorkflowCatalog workflows;
    private final SlaConfig sla;

    public SlaPeriodReporting(
            ImpactReporting reporting,
            SlaReportQueries queries,
            io.faultline.impact.workflow.WorkflowCatalog workflows,
            SlaConfig sla) {
        this.reporting = reporting;
        this.queries = queries;
        this.workflows = workflows;
        this.sla = sla;
    }

    /** @param project null for every project with anything to report in the period */
    public Uni<SlaPeriodReport> report(String project, Instant from, Instant to, Instant now) {
        ChronoUnit unit = bucketOf(from, to);
        // one session statement at a time: every read is chained. The window's impact is read once,
        // for the overall report and the workflows'; a report of one project is that project's report
        return reporting
                .impact(project, from, to)
                .chain(impact -> reporting.sla(project, from, to, impact).chain(overall -> (project == null
                                ? projectReports(from, to)
                                : Uni.createFrom().item(Map.of(project, overall)))
                        .chain(perProject -> workflowReports(project, from, to, impact)
                                .chain(perWorkflow -> queries.series(project, from, to, unit)
                                        .map(rows -> {
                                            List<Instant> buckets = buckets(from, to, unit);
                                            Scope all = new Scope(
                                                    "all",
                                                    project,
                                                    overall,
                                                    series(buckets, from, to, unit, rows, r -> true));
                                            Scopes scopes = new Scopes(buckets, from, to, unit, rows);
                                            return new SlaPeriodReport(
                                                    from,
                                                    to,
                                                    unit == ChronoUnit.DAYS ? "day" : "hour",
                                                    now,
                                                    all,
                                                    scopes.of("project", perProject, SeriesRow::projectId),
                                                    scopes.of("workflow", perWorkflow, SeriesRow::workflow));
                                        })))));
    }

    /** The scopes of one kind, each report with the series of the rows whose key is its id. */
    private record Scopes(List<Instant> buckets, Instant from, Instant to, ChronoUnit unit, List<SeriesRow> rows) {

        List<Scope> of(String kind, Map<String, SlaReport> reports, Function<SeriesRow, String> keyOf) {
            List<Scope> scopes = new ArrayList<>();
            reports.forEach((id, report) -> scopes.add(new Scope(
                    kind, id, report, series(buckets, from, to, unit, rows, r -> id.equals(keyOf.apply(r))))));
            return scopes;
        }
    }

    static ChronoUnit bucketOf(Instant from, Instant to) {
        return Duration.between(from, to).compareTo(HOURLY_UP_TO) <= 0 ? ChronoUnit.HOURS : ChronoUnit.DAYS;
    }

    /** Bucket starts truncated to the unit (UTC), the first one at or before {@code from}. */
    static List<Instant> buckets(Instant from, Instant to, ChronoUnit unit) {
        List<Instant> buckets = new ArrayList<>();
        for (Instant b = from.truncatedTo(unit); b.isBefore(to); b = b.plus(1, unit)) {
            buckets.add(b);
        }
        return buckets;
    }

    /** Every bucket of the period, clipped to it, with the matching rows summed; an empty one has no rate. */
    static List<Point> series(
            List<Instant> buckets,
            Instant from,
            Instant to,
            ChronoUnit unit,
            List<SeriesRow> rows,
            Predicate<SeriesRow> in) {
        Map<Instant, long[]> sums = new LinkedHashMap<>();
        for (SeriesRow r : rows) {
            if (in.test(r)) {
                long[] s = sums.computeIfAbsent(r.bucket(), b -> new long[4]);
                s[0] += r.requests();
                s[1] += r.errors();
                s[2] += r.criticalErrors();
                s[3] += r.revenueBlockingErrors();
            }
        }
        List<Point> points = new ArrayList<>(buckets.size());
        for (Instant b : buckets) {
            long[] s = sums.getOrDefault(b, new long[4]);
            Instant start = b.isBefore(from) ? from : b;
            Instant end = b.plus(1, unit).isAfter(to) ? to : b.plus(1, unit);
            points.add(Point.of(start, end, s[0], s[1], s[2], s[3]));
        }
        return points;
    }

    /**
     * Each project's report, as {@code /sla?project=} computes it, from one statement per
     * measurement grouped by project rather than one set of statements per project; in the
     * projects' order.
     */
    private Uni<Map<String, SlaReport>> projectReports(Instant from, Instant to) {
        var targets = SlaEvaluator.Targets.of(sla, workflows.workflows());
        long[] ttr = targets.timeToResolveMillis();
        Instant budgetFrom = to.minus(targets.budgetWindow());
        return queries.projects(from, to)
                .chain(ids -> ids.isEmpty()
                        ? Uni.createFrom().item(Map.<String, SlaReport>of())
                        : queries.workflowsByProject(from, to, sla.errorRateTarget())
                                .chain(counts -> measured(Key.PROJECT, null, from, to, budgetFrom, ttr)
                                        .map(m -> {
                                            Map<String, SlaReport> reports = new LinkedHashMap<>();
                                            for (String id : ids) {
                                                ImpactReport impact = reporting.impactOf(
                                                        counts.getOrDefault(id, List.of()), from, to);
                                                reports.put(
                                                        id,
                                                        new SlaEvaluator(targets)
                                                                .evaluate(
                                                                        from,
                                                                        to,
                                                                        m.of(
                                                                                id,
                                                                                ImpactReporting.windowTotals(impact),
                                                                                impact)));
                                            }
                                            return reports;
                                        })));
    }

    /** The SLA measurements beyond the window's impact, each read once for every project or workflow. */
    private record Grouped(
            Map<String, Totals> budget,
            Map<String, Totals> lastHour,
            Map<String, List<ResolveTimes>> resolveTimes,
            Map<String, List<OpenGroups>> openGroups,
            Map<String, long[]> autoResolution,
            Map<String, Long> autoResolvedErrors) {

        /** The measurements of one project or workflow, whose window totals and impact are given. */
        SlaEvaluator.Measurements of(String key, Totals window, ImpactReport impact) {
            long[] auto = autoResolution.getOrDefault(key, new long[2]);
            return new SlaEvaluator.Measurements(
                    window,
                    budget.getOrDefault(key, NOTHING),
                    lastHour.getOrDefault(key, NOTHING),
                    resolveTimes.getOrDefault(key, List.of()),
                    openGroups.getOrDefault(key, List.of()),
                    auto[0],
                    auto[1],
                    autoResolvedErrors.getOrDefault(key, 0L),
                    impact);
        }
    }

    private Uni<Grouped> measured(Key key, String project, Instant from, Instant to, Instant budgetFrom, long[] ttr) {
        return queries.totalsBy(key, project, budgetFrom, to)
                .chain(budget -> queries.totalsBy(key, project, to.minusSeconds(3600), to)
                        .chain(lastHour -> queries.resolveTimesBy(key, project, from, to, ttr)
                                .chain(times -> queries.openGroupsBy(key, project, to, ttr)
                                        .chain(open -> queries.autoResolutionBy(key, project, from, to)
                                                .chain(auto -> queries.autoResolvedErrorsBy(key, project, from, to)
                                                        .map(autoErrors -> new Grouped(
                                                                budget, lastHour, times, open, auto, autoErrors)))))));
    }

    /**
     * Each workflow's report: the configured ones in file order (measured or not: "no data" is an
     * answer), then any other the period holds, by name. {@code impact} is the window's.
     */
    private Uni<Map<String, SlaReport>> workflowReports(String project, Instant from, Instant to, ImpactReport impact) {
        var targets = SlaEvaluator.Targets.of(sla, workflows.workflows());
        Instant budgetFrom = to.minus(targets.budgetWindow());
        return measured(Key.WORKFLOW, project, from, to, budgetFrom, targets.timeToResolveMillis())
                .map(m -> {
                    Map<String, WorkflowImpact> impacts = new LinkedHashMap<>();
                    impact.workflows().forEach(w -> impacts.put(w.workflow(), w));
                    TreeSet<String> others = new TreeSet<>();
                    others.addAll(m.resolveTimes().keySet());
                    others.addAll(m.openGroups().keySet());
                    others.addAll(m.autoResolution().keySet());
                    others.addAll(m.autoResolvedErrors().keySet());
                    others.removeAll(impacts.keySet());
                    others.forEach(name -> impacts.put(
                            name, new WorkflowImpact(name, false, 0, 0, 0, 0, 0, 0, null, null, true, 0, 0, 1.0)));
                    Map<String, SlaReport> reports = new LinkedHashMap<>();
                    impacts.forEach(
                            (name, w) -> reports.put(name, workflowReport(targets, name, w, impact, m, from, to)));
                    return reports;
                });
    }

    private static SlaReport workflowReport(
            SlaEvaluator.Targets all,
            String name,
            WorkflowImpact w,
            ImpactReport window,
            Grouped m,
            Instant from,
            Instant to) {
        Map<String, Double> own = all.workflowSuccess().containsKey(name)
                ? Map.of(name, all.workflowSuccess().get(name))
                : Map.of();
        SlaEvaluator.Targets targets = new SlaEvaluator.Targets(
                all.errorRate(),
                all.criticalErrorRate(),
                all.revenueBlockingErrors(),
                all.timeToResolve(),
                all.timeToResolveAllowedMisses(),
                all.autoResolution(),
                own,
                all.healthScore(),
                all.budgetWindow());
        // the workflow's own health is its health score: weights only matter across workflows
        ImpactReport impact = new ImpactReport(
                from,
                to,
                window.windowMinutes(),
                window.errorRateTarget(),
                100 * w.health(),
                w.revenueLoss(),
                w.revenueBlockingErrors(),
                List.of(w));
        return new SlaEvaluator(targets)
                .evaluate(
                        from,
                        to,
                        m.of(
                                name,
                                new Totals(w.requests(), w.errors(), w.criticalErrors(), w.revenueBlockingErrors()),
                                impact));
    }
}
