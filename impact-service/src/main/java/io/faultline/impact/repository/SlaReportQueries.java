package io.faultline.impact.repository;

import io.faultline.impact.model.WorkflowCounts;
import io.faultline.impact.repository.ImpactQueries.Key;
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
 * SLA measurements of {@link ImpactQueries} per project and per workflow in one statement each
 * (rather than one set of statements per project or workflow), and the per-bucket series its
 * charts are drawn from. A
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
     * entries, groups open at {@code to} (pending a release included), or groups open at {@code to}
     * and resolved since.
     */
    public Uni<List<String>> projects(Instant from, Instant to) {
        String sql = "SELECT project_id FROM workflow_hours WHERE hour >= $1 AND hour < $2"
                + " UNION SELECT project_id FROM resolutions WHERE occurred_at >= $3"
                + " AND (occurred_at < $2 OR (clock_started_at IS NOT NULL AND clock_started_at < $2))"
                // open includes resolved in a release not shipped yet, as the overall figures count it
                + " UNION SELECT project_id FROM error_groups WHERE (status IN ('unresolved', 'regressed')"
                + " OR (status = 'resolved' AND resolved_in_release IS NOT NULL AND release_shipped_at IS NULL))"
                + " AND first_seen < $2 ORDER BY 1";
        return Rows.list(
                        pool,
                        sql,
                        Rows.timestamp(from.truncatedTo(ChronoUnit.HOURS)),
                        Rows.timestamp(to),
                        Rows.timestamp(from))
                .map(rows -> rows.stream().map(r -> (String) r[0]).toList());
    }

    /**
     * {@link ImpactQueries#workflows} per project: a project's workflow minute is one row of the
     * minute rollup, so the per-minute rules apply to the rows as they are.
     */
    public Uni<Map<String, List<WorkflowCounts>>> workflowsByProject(Instant from, Instant to, double errorRateTarget) {
        String sql = "SELECT project_id, workflow, " + ImpactQueries.MINUTE_RULES + " FROM (SELECT project_id,"
                + " workflow, requests AS r, errors AS e, critical_errors AS c, revenue_blocking AS b"
                + " FROM workflow_minutes WHERE minute >= $1 AND minute < $2) m GROUP BY project_id, workflow";
        return Rows.list(pool, sql, Rows.timestamp(from), Rows.timestamp(to), errorRateTarget)
                .map(rows -> listsBy(rows, r -> ImpactQueries.workflowCounts(r, 1)));
    }

    /** {@link ImpactQueries#totals} per key: whole hours from the hourly rollup, edges from the minutes. */
    public Uni<Map<String, Totals>> totalsBy(Key key, String projectId, Instant from, Instant to) {
        return Rows.list(
                        pool,
                        ImpactQueries.totalsSql(key == Key.PROJECT ? "project_id" : "workflow", null, projectId),
                        ImpactQueries.edgeParams(from, to, projectId))
                .map(rows -> by(
                        rows, r -> new Totals(Rows.count(r[1]), Rows.count(r[2]), Rows.count(r[3]), Rows.count(r[4]))));
    }

    /** {@link ImpactQueries#resolveTimes} per key: the project of the entry or the workflow of its group. */
    public Uni<Map<String, List<ResolveTimes>>> resolveTimesBy(
            Key key, String projectId, Instant from, Instant to, long[] targetMillis) {
        return Rows.list(
                        pool,
                        ImpactQueries.resolveTimesSql(key, projectId),
                        ImpactQueries.withTargets(targetMillis, projectId, Rows.timestamp(from), Rows.timestamp(to)))
                .map(rows -> listsBy(rows, r -> ImpactQueries.resolveTimes(r, 1)));
    }

    /**
     * {@link ImpactQueries#openGroups} per key: groups open at {@code to} (and, for a period in the
     * past, those resolved only after it) past their priority's deadline, open within it, and the
     * oldest clock past it. One pass over the open groups, grouped: a report, not a dashboard poll,
     * so it trades the per-priority index ranges for one statement over every project or workflow.
     * Per project it counts as {@link ImpactQueries#openGroups} does, so a project's scope is its
     * {@code /sla}: a group stored without a clock is past its deadline from its first event but
     * never counted within it.
     */
    public Uni<Map<String, List<OpenGroups>>> openGroupsBy(Key key, String projectId, Instant to, long[] targetMillis) {
        boolean byProject = key == Key.PROJECT;
        String project = projectId == null ? "" : " AND project_id = $6";
        String sql = "SELECT t.k, v.p, count(*) FILTER (WHERE t.clock < v.d),"
                + " count(*) FILTER (WHERE t.open AND t.clock >= v.d AND t.clock < $1"
                + (byProject ? " AND t.clocked" : "") + "),"
                + " min(t.clock) FILTER (WHERE t.clock < v.d) FROM ("
                + " SELECT " + (byProject ? "project_id" : "COALESCE(workflow, " + NONE + ")") + " AS k,"
                + " severity AS priority, "
                // a pending release's group counts from its clock only, as /sla counts it
                + (byProject
                        ? "CASE WHEN status = 'resolved' THEN clock_started_at"
                                + " ELSE COALESCE(clock_started_at, first_seen) END"
                        : "COALESCE(clock_started_at, first_seen)")
                + " AS clock, true AS open, clock_started_at IS NOT NULL AS clocked FROM error_groups"
                // resolved in a release that has not shipped yet is open for time to resolve (docs/releases.md)
                + " WHERE (status IN ('unresolved', 'regressed') OR (status = 'resolved'"
                + " AND resolved_in_release IS NOT NULL AND release_shipped_at IS NULL))" + project
                + " UNION ALL SELECT " + ImpactQueries.entryKey(key) + ", r.priority, r.clock_started_at, false, true"
                + " FROM resolutions r" + ImpactQueries.entryJoin(key)
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
                .map(rows -> listsBy(rows, r -> {
                    long pastTarget = Rows.count(r[2]);
                    double oldest = pastTarget == 0
                            ? 0.0
                            : to.toEpochMilli() - Rows.instant(r[4]).toEpochMilli();
                    return new OpenGroups((String) r[1], pastTarget, Rows.count(r[3]), oldest);
                }));
    }

    /** {@link ImpactQueries#autoResolution} per key: actionable groups and those auto-resolved. */
    public Uni<Map<String, long[]>> autoResolutionBy(Key key, String projectId, Instant from, Instant to) {
        return Rows.list(
                        pool,
                        ImpactQueries.autoResolutionSql(key, projectId),
                        Rows.timestamp(from),
                        Rows.timestamp(to),
                        projectId)
                .map(rows -> by(rows, r -> new long[] {Rows.count(r[1]), Rows.count(r[2])}));
    }

    /** {@link ImpactQueries#autoResolvedErrors} per key: the project of the fix or the workflow of the error. */
    public Uni<Map<String, Long>> autoResolvedErrorsBy(Key key, String projectId, Instant from, Instant to) {
        return Rows.list(
                        pool,
                        ImpactQueries.autoResolvedErrorsSql(key, projectId),
                        Rows.timestamp(from),
                        Rows.timestamp(to),
                        projectId)
                .map(rows -> by(rows, r -> Rows.count(r[1])));
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

    /** Rows whose first column is the key, one value per key. */
    private static <T> Map<String, T> by(List<Object[]> rows, Function<Object[], T> map) {
        Map<String, T> values = new HashMap<>();
        for (Object[] r : rows) {
            values.put((String) r[0], map.apply(r));
        }
        return values;
    }

    /** Rows whose first column is the key, several per key (one per priority or workflow). */
    private static <T> Map<String, List<T>> listsBy(List<Object[]> rows, Function<Object[], T> map) {
        Map<String, List<T>> grouped = new HashMap<>();
        for (Object[] r : rows) {
            grouped.computeIfAbsent((String) r[0], w -> new ArrayList<>()).add(map.apply(r));
        }
        return grouped;
    }
}
