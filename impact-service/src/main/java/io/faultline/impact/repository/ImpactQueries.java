package io.faultline.impact.repository;

import io.faultline.impact.model.WorkflowCounts;
import io.faultline.impact.workflow.WorkflowCatalog;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** Reads the per-minute workflow counters the impact model and the SLA figures are computed from. */
@ApplicationScoped
public class ImpactQueries {

    private final Pool pool;

    public ImpactQueries(Pool pool) {
        this.pool = pool;
    }

    /**
     * Per-workflow totals of [from, to), summed over projects when {@code projectId} is null. The
     * per-minute rules of the impact model (degraded minute, affected fraction; see
     * {@code WorkflowImpactCalculator.fold}, the reference this SQL mirrors) are applied here to
     * each workflow minute summed over projects, so the answer is one row per workflow however
     * long the window.
     */
    public Uni<List<WorkflowCounts>> workflows(String projectId, Instant from, Instant to, double errorRateTarget) {
        String sql = "SELECT workflow, " + MINUTE_RULES + " FROM (SELECT workflow, minute, SUM(requests) AS r,"
                + " SUM(errors) AS e, SUM(critical_errors) AS c, SUM(revenue_blocking) AS b FROM workflow_minutes"
                + " WHERE minute >= $1 AND minute < $2" + (projectId == null ? "" : " AND project_id = $4")
                + " GROUP BY workflow, minute) m GROUP BY workflow";
        return rows(sql, Rows.timestamp(from), Rows.timestamp(to), errorRateTarget, projectId)
                .map(rows -> rows.stream().map(r -> workflowCounts(r, 0)).toList());
    }

    /**
     * The sums and per-minute rules of {@link #workflows} over rows of one workflow minute each
     * ({@code r, e, c, b}), the error-rate target at $3: requests, errors, critical, revenue-blocking,
     * degraded minutes, affected fraction summed.
     */
    static final String MINUTE_RULES = "SUM(r), SUM(e), SUM(c), SUM(b),"
            + " count(*) FILTER (WHERE b > 0 OR (r > 0 AND CAST(e AS float8) / r > CAST($3 AS float8))"
            + " OR (r = 0 AND e > 0)),"
            + " SUM(CASE WHEN b > 0 THEN CAST(1 AS float8) WHEN r > 0 THEN LEAST(CAST(1 AS float8),"
            + " CAST(e AS float8) / r) ELSE CAST(0 AS float8) END)";

    /** A row of {@link #MINUTE_RULES}, its workflow at column {@code at}. */
    static WorkflowCounts workflowCounts(Object[] r, int at) {
        return new WorkflowCounts(
                (String) r[at],
                Rows.count(r[at + 1]),
                Rows.count(r[at + 2]),
                Rows.count(r[at + 3]),
                Rows.count(r[at + 4]),
                Rows.count(r[at + 5]),
                r[at + 6] == null ? 0.0 : ((Number) r[at + 6]).doubleValue());
    }

    /** Totals of a window: requests, errors, critical errors, revenue-blocking errors. */
    public record Totals(long requests, long errors, long criticalErrors, long revenueBlockingErrors) {}

    /**
     * Totals of [from, to): whole hours from the hourly rollup, the partial hours at either edge
     * from the minute rollup, so a 30-day budget reads ~720 rows per workflow instead of 43,200.
     */
    public Uni<Totals> totals(String projectId, Instant from, Instant to) {
        return row(totalsSql(null, null, projectId), edgeParams(from, to, projectId))
                .map(r -> new Totals(Rows.count(r[0]), Rows.count(r[1]), Rows.count(r[2]), Rows.count(r[3])));
    }

    /**
     * The statement of {@link #totals}, its sums led by the {@code keys} columns and grouped by them
     * when given (the SLA report's per-workflow totals), and by the {@code bucket} ({@code day},
     * {@code hour}, UTC) of each row's hour or minute when given (its series).
     */
    static String totalsSql(String keys, String bucket, String projectId) {
        String project = projectId == null ? "" : " AND project_id = $7";
        String lead = keys == null ? "" : keys + ", ";
        String columns = lead + "requests, errors, critical_errors, revenue_blocking";
        String time = bucket == null ? "" : ", date_trunc('" + bucket + "', t, 'UTC')";
        String group = (keys == null ? "" : keys)
                + (keys != null && bucket != null ? ", " : "")
                + (bucket == null ? "" : "date_trunc('" + bucket + "', t, 'UTC')");
        return "SELECT " + lead + "SUM(requests), SUM(errors), SUM(critical_errors), SUM(revenue_blocking)" + time
                + " FROM (SELECT " + columns + (bucket == null ? "" : ", hour AS t") + " FROM workflow_hours"
                + " WHERE hour >= $1 AND hour < $2" + project
                + " UNION ALL SELECT " + columns + (bucket == null ? "" : ", minute AS t") + " FROM workflow_minutes"
                + " WHERE ((minute >= $3 AND minute < $4) OR (minute >= $5 AND minute < $6))" + project
                + ") t" + (group.isEmpty() ? "" : " GROUP BY " + group);
    }

    /** $1..$6 of {@link #totalsSql}: the whole hours inside [from, to), then the minutes at either edge; $7 the project. */
    static Object[] edgeParams(Instant from, Instant to, String projectId) {
        Instant hoursFrom = ceilHour(from);
        Instant hoursTo = to.truncatedTo(ChronoUnit.HOURS);
        if (!hoursFrom.isBefore(hoursTo)) { // no whole hour inside: minutes only
            hoursFrom = to;
            hoursTo = to;
        }
        Instant headTo = hoursFrom.equals(to) ? to : hoursFrom;
        return new Object[] {
            Rows.timestamp(hoursFrom),
            Rows.timestamp(hoursTo),
            Rows.timestamp(from),
            Rows.timestamp(headTo),
            Rows.timestamp(hoursTo),
            Rows.timestamp(to),
            projectId
        };
    }

    static Instant ceilHour(Instant at) {
        Instant floor = at.truncatedTo(ChronoUnit.HOURS);
        return floor.equals(at) ? at : floor.plus(1, ChronoUnit.HOURS);
    }

    /** Time-to-resolve figures of the groups of one priority resolved in a window. */
    public record ResolveTimes(
            String priority,
            long resolved,
            long withinTarget,
            double meanMillis,
            double p50Millis,
            double p95Millis,
            double maxMillis) {}

    /**
     * Groups resolved in [from, to), each way a group gets resolved (a verified fix, an operator's
     * resolve): the resolving entry's time minus the clock it stopped (the group's first event, or
     * the first after the fix a regression followed), both kept on the entry when it resolved the
     * group. Priority = the entry's severity, else the group's.
     */
    public Uni<List<ResolveTimes>> resolveTimes(String projectId, Instant from, Instant to, long[] targetMillis) {
        return rows(
                        resolveTimesSql(null, projectId),
                        withTargets(targetMillis, projectId, Rows.timestamp(from), Rows.timestamp(to)))
                .map(rows -> rows.stream().map(r -> resolveTimes(r, 0)).toList());
    }

    /**
     * What the SLA report groups a statement by, its first column: the project (of the resolver
     * entry or the error), or the workflow (of the entry's group, of the error). Null: not grouped.
     */
    public enum Key {
        PROJECT,
        WORKFLOW
    }

    /** The key of a resolver entry {@code r} (whose group is {@code g} when {@link #entryJoin} joins it). */
    static String entryKey(Key key) {
        return key == Key.WORKFLOW ? GROUP_WORKFLOW : "r.project_id";
    }

    /** The join a resolver entry's key needs: its group, for the group's workflow. */
    static String entryJoin(Key key) {
        return key == Key.WORKFLOW ? GROUP_OF_ENTRY : "";
    }

    /** The statement of {@link #resolveTimes}, per {@code key} when given (the SLA report). */
    static String resolveTimesSql(Key key, String projectId) {
        String workflow = key != null ? "k, " : "";
        return "SELECT " + workflow + "priority, count(*), count(*) FILTER (WHERE ms <= " + targetOf("priority", 3)
                + "), avg(ms), percentile_cont(0.5) WITHIN GROUP (ORDER BY ms),"
                + " percentile_cont(0.95) WITHIN GROUP (ORDER BY ms), max(ms) FROM (SELECT "
                + (key != null ? entryKey(key) + " AS k, " : "")
                + "r.priority, GREATEST(0, EXTRACT(EPOCH FROM (r.occurred_at - r.clock_started_at)) * 1000) AS ms"
                + " FROM resolutions r" + (key != null ? entryJoin(key) : "")
                + " WHERE r.clock_started_at IS NOT NULL AND r.occurred_at >= $1 AND r.occurred_at < $2"
                + (projectId == null ? "" : " AND r.project_id = $7")
                + ") t GROUP BY " + workflow + "priority";
    }

    /** A row of {@link #resolveTimesSql}, its priority at column {@code at}. */
    static ResolveTimes resolveTimes(Object[] r, int at) {
        return new ResolveTimes(
                (String) r[at],
                Rows.count(r[at + 1]),
                Rows.count(r[at + 2]),
                Rows.decimal(r[at + 3]),
                Rows.decimal(r[at + 4]),
                Rows.decimal(r[at + 5]),
                Rows.decimal(r[at + 6]));
    }

    /** The workflow of the group ({@code g}) of a resolver entry, joined by {@link #GROUP_OF_ENTRY}. */
    static final String GROUP_WORKFLOW = "COALESCE(g.workflow, '" + WorkflowCatalog.UNATTRIBUTED + "')";

    /** An entry ({@code r}) stored before its group has no group yet: unattributed, not dropped. */
    static final String GROUP_OF_ENTRY = " LEFT JOIN error_groups g ON g.group_id = r.group_id";

    /** Groups of one priority open at a moment: how many past their target, and the oldest one's age. */
    public record OpenGroups(String priority, long pastTarget, long withinTarget, double oldestPastTargetMillis) {}

    /**
     * Groups open at {@code to}, per priority (critical..low): the open ones (unresolved or
     * regressed, or resolved in a release not shipped yet; clock started before {@code to}) and, when {@code to} lies in the past, those
     * resolved only after it. An index-only range per priority over the open groups' clocks, compared
     * with each priority's deadline ({@code to} − target) as timestamps; a group a previous version
     * stored without a clock counts from its first event.
     */
    public Uni<List<OpenGroups>> openGroups(String projectId, Instant to, long[] targetMillis) {
        String project = projectId == null ? "" : " AND project_id = $6";
        String open = " FROM error_groups WHERE status IN ('unresolved', 'regressed') AND severity = v.p" + project;
        // resolved in a release that has not shipped yet: still open for time to resolve (docs/releases.md)
        String pending = " FROM error_groups WHERE status = 'resolved' AND resolved_in_release IS NOT NULL"
                + " AND release_shipped_at IS NULL AND severity = v.p" + project;
        // per priority, counts of tight index ranges rather than one pass over every open group with
        // a per-row test: past the deadline, between it and to, and the oldest clock (the range's first)
        String sql = "SELECT v.p,"
                + " (SELECT count(*)" + open + " AND clock_started_at < v.d)"
                + " + (SELECT count(*)" + open + " AND clock_started_at IS NULL AND first_seen < v.d)"
                + " + (SELECT count(*)" + pending + " AND clock_started_at < v.d)"
                + " + (SELECT count(*) FROM resolutions WHERE clock_started_at IS NOT NULL AND occurred_at >= $1"
                + " AND priority = v.p AND clock_started_at < v.d" + project + "),"
                + " (SELECT count(*)" + open + " AND clock_started_at >= v.d AND clock_started_at < $1)"
                + " + (SELECT count(*)" + pending + " AND clock_started_at >= v.d AND clock_started_at < $1),"
                + " LEAST((SELECT min(clock_started_at)" + open + "),"
                + " (SELECT min(clock_started_at)" + pending + "),"
                + " (SELECT min(first_seen)" + open + " AND clock_started_at IS NULL),"
                + " (SELECT min(clock_started_at) FROM resolutions WHERE clock_started_at IS NOT NULL"
                + " AND occurred_at >= $1 AND priority = v.p" + project + "))"
                + " FROM (VALUES ('critical', CAST($2 AS timestamptz)), ('high', CAST($3 AS timestamptz)),"
                + " ('medium', CAST($4 AS timestamptz)), ('low', CAST($5 AS timestamptz))) AS v(p, d)";
        Object[] params = new Object[6];
        params[0] = Rows.timestamp(to);
        for (int i = 0; i < 4; i++) {
            params[1 + i] = Rows.timestamp(to.minusMillis(targetMillis[i]));
        }
        params[5] = projectId;
        return rows(sql, params).map(rows -> rows.stream()
                .map(r -> {
                    long pastTarget = Rows.count(r[1]);
                    double oldest = pastTarget == 0
                            ? 0.0
                            : to.toEpochMilli() - Rows.instant(r[3]).toEpochMilli();
                    return new OpenGroups((String) r[0], pastTarget, Rows.count(r[2]), oldest);
                })
                .toList());
    }

    /** Parameters: the leading ones, the four targets ({@link #targetOf}), the project last. */
    static Object[] withTargets(long[] targetMillis, String projectId, Object... leading) {
        Object[] params = new Object[leading.length + 5];
        System.arraycopy(leading, 0, params, 0, leading.length);
        for (int i = 0; i < 4; i++) {
            params[leading.length + i] = targetMillis[i];
        }
        params[leading.length + 4] = projectId;
        return params;
    }

    /** The target in milliseconds of {@code column}'s priority, from parameters $first..$first+3. */
    private static String targetOf(String column, int first) {
        return "CASE " + column + " WHEN 'critical' THEN CAST($" + first + " AS numeric) WHEN 'high' THEN CAST($"
                + (first + 1) + " AS numeric) WHEN 'medium' THEN CAST($" + (first + 2) + " AS numeric) WHEN 'low'"
                + " THEN CAST($" + (first + 3) + " AS numeric) END";
    }

    /**
     * The first user's auto-resolution: errors of [from, to) that a verified automated fix of their
     * group (not a dry run) followed, whenever it came. Only groups fixed since {@code from} can
     * hold one; each is an index range of its events.
     */
    public Uni<Long> autoResolvedErrors(String projectId, Instant from, Instant to) {
        return row(autoResolvedErrorsSql(null, projectId), Rows.timestamp(from), Rows.timestamp(to), projectId)
                .map(r -> Rows.count(r[0]));
    }

    /**
     * The statement of {@link #autoResolvedErrors}, per {@code key} when given (the SLA report): the
     * workflow of the error, or the project of the fix (what the project filter selects).
     */
    static String autoResolvedErrorsSql(Key key, String projectId) {
        boolean byProject = key == Key.PROJECT;
        String lead = key == null
                ? ""
                : byProject ? "v.project_id, " : "COALESCE(e.workflow, '" + WorkflowCatalog.UNATTRIBUTED + "'), ";
        return "SELECT " + lead + "count(*) FROM (SELECT group_id, " + (byProject ? "project_id, " : "")
                + "max(occurred_at) AS fixed_at FROM resolutions"
                + " WHERE phase = 'verification_passed' AND NOT dry_run AND occurred_at >= $1"
                + (projectId == null ? "" : " AND project_id = $3")
                + " GROUP BY group_id" + (byProject ? ", project_id" : "")
                + ") v JOIN error_events e ON e.group_id = v.group_id"
                + " AND e.occurred_at >= $1 AND e.occurred_at < $2 AND e.occurred_at <= v.fixed_at"
                + (key == null ? "" : " GROUP BY 1");
    }

    /**
     * Groups an automated remediation was attempted for inside [from, to) (a runbook matched, not
     * as a dry run: a dry run is a trial that acts on nothing), and how many of those a
     * verification then proved fixed, whenever it came. Counting verifications of the window
     * instead would count a group matched before it and miss one verified after it.
     */
    public Uni<long[]> autoResolution(String projectId, Instant from, Instant to) {
        return row(autoResolutionSql(null, projectId), Rows.timestamp(from), Rows.timestamp(to), projectId)
                .map(r -> new long[] {Rows.count(r[0]), Rows.count(r[1])});
    }

    /**
     * The statement of {@link #autoResolution}, per {@code key} when given (the SLA report): the
     * workflow of the group, or the project of the matched entries (what the project filter selects).
     */
    static String autoResolutionSql(Key key, String projectId) {
        boolean byProject = key == Key.PROJECT;
        // a verification at or after the first match is one no older than the group's latest: one
        // hash join with the latest verification per group rather than a probe per matched group
        return "SELECT " + (key == null ? "" : entryKey(key) + ", ")
                + "count(*), count(*) FILTER (WHERE f.fixed_at >= r.first_matched)"
                + " FROM (SELECT group_id, " + (byProject ? "project_id, " : "")
                + "min(occurred_at) AS first_matched FROM resolutions"
                + " WHERE phase = 'matched' AND NOT dry_run AND occurred_at >= $1 AND occurred_at < $2"
                + (projectId == null ? "" : " AND project_id = $3")
                + " GROUP BY group_id" + (byProject ? ", project_id" : "") + ") r"
                + " LEFT JOIN (SELECT group_id, max(occurred_at) AS fixed_at FROM resolutions"
                + " WHERE phase = 'verification_passed' AND NOT dry_run AND occurred_at >= $1"
                + " GROUP BY group_id) f ON f.group_id = r.group_id"
                + (key == null ? "" : entryJoin(key) + " GROUP BY 1");
    }

    /**
     * Runs {@code sql} with positional parameters $1..$n. A null parameter at the end is left
     * unbound: it is the optional project filter, whose clause the caller left out of the SQL.
     */
    private Uni<List<Object[]>> rows(String sql, Object... params) {
        return Rows.list(pool, sql, params);
    }

    /** {@link #rows} for an aggregate without GROUP BY, which always yields exactly one row. */
    private Uni<Object[]> row(String sql, Object... params) {
        return rows(sql, params).map(rows -> rows.get(0));
    }
}
