package io.faultline.impact.repository;

import io.faultline.impact.repository.ImpactQueries.OpenGroups;
import io.faultline.impact.repository.ImpactQueries.ResolveTimes;
import io.faultline.impact.repository.ImpactQueries.Totals;
import io.faultline.impact.workflow.WorkflowCatalog;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What the SLA report of a period reads beyond {@link ImpactQueries}: the projects it covers, the
 * SLA measurements of {@link ImpactQueries} per workflow in one statement each (rather than one
 * set of statements per workflow), and the per-bucket series its charts are drawn from. A
 * resolution or an open group belongs to its group's workflow, an error to its own.
 */
@ApplicationScoped
public class SlaReportQueries {

    private final Pool pool;

    public SlaReportQueries(Pool pool) {
        this.pool = pool;
    }

    private static final String NONE = "'" + WorkflowCatalog.UNATTRIBUTED + "'";

    /** Each priority's deadline, {@code to} − its target, from parameters $2..$5. */
    private static final String DEADLINES = "(VALUES ('critical', CAST($2 AS timestamptz)),"
            + " ('high', CAST($3 AS timestamptz)), ('medium', CAST($4 AS timestamptz)),"
            + " ('low', CAST($5 AS timestamptz))) AS v(p, d)";

    /**
     * Projects with anything to report in [from, to): rollup rows (traffic or errors), resolving
     * entries, groups open at {@code to}, or groups open at {@code to} and resolved since.
     */
    public Uni<List<String>> projects(Instant from, Instant to) {
        String sql = "SELECT project_id FROM workflow_hours WHERE hour >= $1 AND hour < $2"
                + " UNION SELECT project_id FROM resolutions WHERE occurred_at >= $3"
                + " AND (occurred_at < $2 OR (clock_started_at IS NOT NULL AND clock_started_at < $2))"
                + " UNION SELECT project_id FROM error_groups WHERE status IN ('unresolved', 'regressed')"
                + " AND first_seen < $2 ORDER BY 1";
        return Rows.list(
                        pool,
                        sql,
                        Rows.timestamp(from.truncatedTo(ChronoUnit.HOURS)),
                        Rows.timestamp(to),
                        Rows.timestamp(from))
                .map(rows -> rows.stream().map(r -> (String) r[0]).toList());
    }

    /** {@link ImpactQueries#totals} per workflow: whole hours from the hourly rollup, edges from the minutes. */
    public Uni<Map<String, Totals>> totalsByWorkflow(String projectId, Instant from, Instant to) {
        return Rows.list(
                        pool,
                        ImpactQueries.totalsSql("workflow", null, projectId),
                        ImpactQueries.edgeParams(from, to, projectId))
                .map(rows -> byWorkflow(
                        rows, r -> new Totals(Rows.count(r[1]), Rows.count(r[2]), Rows.count(r[3]), Rows.count(r[4]))));
    }

    /** {@link ImpactQueries#resolveTimes} per workflow of the resolved group. */
    public Uni<Map<String, List<ResolveTimes>>> resolveTimesByWorkflow(
            String projectId, Instant from, Instant to, long[] targetMillis) {
        return Rows.list(
                        pool,
                        ImpactQueries.resolveTimesSql(true, projectId),
                        ImpactQueries.withTargets(targetMillis, projectId, Rows.timestamp(from), Rows.timestamp(to)))
                .map(rows -> listsByWorkflow(rows, r -> ImpactQueries.resolveTimes(r, 1)));
    }

    /**
     * {@link ImpactQueries#openGroups} per workflow: groups open at {@code to} (and, for a period in
     * the past, those resolved only after it) past their priority's deadline, open within it, and
     * the oldest clock past it. One pass over the open groups, grouped: a report, not a dashboard
     * poll, so it trades the per-priority index ranges for one statement over every workflow.
     */
    public Uni<Map<String, List<OpenGroups>>> openGroupsByWorkflow(String projectId, Instant to, long[] targetMillis) {
        String project = projectId == null ? "" : " AND project_id = $6";
        String sql = "SELECT t.workflow, v.p, count(*) FILTER (WHERE t.clock < v.d),"
                + " count(*) FILTER (WHERE t.open AND t.clock >= v.d AND t.clock < $1),"
                + " min(t.clock) FILTER (WHERE t.clock < v.d) FROM ("
                + " SELECT COALESCE(workflow, " + NONE + ") AS workflow, severity AS priority,"
                + " COALESCE(clock_started_at, first_seen) AS clock, true AS open FROM error_groups"
                // resolved in a release that has not shipped yet is open for time to resolve (docs/releases.md)
                + " WHERE (status IN ('unresolved', 'regressed') OR (status = 'resolved'"
                + " AND resolved_in_release IS NOT NULL AND release_shipped_at IS NULL))" + project
                + " UNION ALL SELECT " + ImpactQueries.GROUP_WORKFLOW + ", r.priority, r.clock_started_at, false"
                + " FROM resolutions r" + ImpactQueries.GROUP_OF_ENTRY
                + " WHERE r.clock_started_at IS NOT NULL AND r.occurred_at >= $1"
                + (projectId == null ? "" : " AND r.project_id = $6")
                + ") t JOIN " + DEADLINES + " ON v.p = t.priority GROUP BY 1, 2";
        Object[] params = new Object[6];
        params[0] = Rows.timestamp(to);
        for (int i = 0; i < 4; i++) {
            params[1 + i] = Rows.timestamp(to.minusMillis(targetMillis[i]));
        }
        params[5] = projectId;
        return Rows.list(pool, sql, params)
                .map(rows -> listsByWorkflow(rows, r -> {
                    long pastTarget = Rows.count(r[2]);
                    double oldest = pastTarget == 0
                            ? 0.0
                            : to.toEpochMilli() - Rows.instant(r[4]).toEpochMilli();
                    return new OpenGroups((String) r[1], pastTarget, Rows.count(r[3]), oldest);
                }));
    }

    /** {@link ImpactQueries#autoResolution} per workflow: actionable groups and those auto-resolved. */
    public Uni<Map<String, long[]>> autoResolutionByWorkflow(String projectId, Instant from, Instant to) {
        return Rows.list(
                        pool,
                        ImpactQueries.autoResolutionSql(true, projectId),
                        Rows.timestamp(from),
                        Rows.timestamp(to),
                        projectId)
                .map(rows -> byWorkflow(rows, r -> new long[] {Rows.count(r[1]), Rows.count(r[2])}));
    }

    /** {@link ImpactQueries#autoResolvedErrors} per workflow of the error. */
    public Uni<Map<String, Long>> autoResolvedErrorsByWorkflow(String projectId, Instant from, Instant to) {
        return Rows.list(
                        pool,
                        ImpactQueries.autoResolvedErrorsSql(true, projectId),
                        Rows.timestamp(from),
                        Rows.timestamp(to),
                        projectId)
                .map(rows -> byWorkflow(rows, r -> Rows.count(r[1])));
    }

    /** One bucket of one project's workflow: its start (UTC, truncated to the unit) and its counters. */
    public record SeriesRow(
            String projectId,
            String workflow,
            Instant bucket,
            long requests,
            long errors,
            long criticalErrors,
            long revenueBlockingErrors) {}

    /**
     * Counters per project, workflow and bucket ({@code day} or {@code hour}, UTC) of [from, to):
     * whole hours from the hourly rollup, the partial hours at either edge from the minutes.
     */
    public Uni<List<SeriesRow>> series(String projectId, Instant from, Instant to, ChronoUnit unit) {
        if (unit != ChronoUnit.DAYS && unit != ChronoUnit.HOURS) {
            throw new IllegalArgumentException("buckets are days or hours: " + unit);
        }
        String sql =
                ImpactQueries.totalsSql("project_id, workflow", unit == ChronoUnit.DAYS ? "day" : "hour", projectId);
        return Rows.list(pool, sql, ImpactQueries.edgeParams(from, to, projectId))
                .map(rows -> rows.stream()
                        .map(r -> new SeriesRow(
                                (String) r[0],
                                (String) r[1],
                                Rows.instant(r[6]),
                                Rows.count(r[2]),
                                Rows.count(r[3]),
                                Rows.count(r[4]),
                                Rows.count(r[5])))
                        .toList());
    }

    /** Rows whose first column is the workflow, one value per workflow. */
    private static <T> Map<String, T> byWorkflow(List<Object[]> rows, Function<Object[], T> map) {
        Map<String, T> values = new HashMap<>();
        for (Object[] r : rows) {
            values.put((String) r[0], map.apply(r));
        }
        return values;
    }

    /** Rows whose first column is the workflow, several per workflow (one per priority). */
    private static <T> Map<String, List<T>> listsByWorkflow(List<Object[]> rows, Function<Object[], T> map) {
        Map<String, List<T>> grouped = new HashMap<>();
        for (Object[] r : rows) {
            grouped.computeIfAbsent((String) r[0], w -> new ArrayList<>()).add(map.apply(r));
        }
        return grouped;
    }
}
