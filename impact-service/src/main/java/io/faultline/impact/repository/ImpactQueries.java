package io.faultline.impact.repository;

import io.faultline.impact.model.WorkflowCounts;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** Reads the per-minute workflow counters the impact model and the SLA figures are computed from. */
@ApplicationScoped
public class ImpactQueries {

    /**
     * Per-workflow totals of [from, to), summed over projects when {@code projectId} is null. The
     * per-minute rules of the impact model (degraded minute, affected fraction; see
     * {@code WorkflowImpactCalculator.fold}, the reference this SQL mirrors) are applied here to
     * each workflow minute summed over projects, so the answer is one row per workflow however
     * long the window.
     */
    public Uni<List<WorkflowCounts>> workflows(String projectId, Instant from, Instant to, double errorRateTarget) {
        String sql = "SELECT workflow, SUM(r), SUM(e), SUM(c), SUM(b),"
                + " count(*) FILTER (WHERE b > 0 OR (r > 0 AND CAST(e AS float8) / r > CAST(?3 AS float8))"
                + " OR (r = 0 AND e > 0)),"
                + " SUM(CASE WHEN b > 0 THEN CAST(1 AS float8) WHEN r > 0 THEN LEAST(CAST(1 AS float8),"
                + " CAST(e AS float8) / r) ELSE CAST(0 AS float8) END)"
                + " FROM (SELECT workflow, minute, SUM(requests) AS r, SUM(errors) AS e, SUM(critical_errors) AS c,"
                + " SUM(revenue_blocking) AS b FROM workflow_minutes WHERE minute >= ?1 AND minute < ?2"
                + (projectId == null ? "" : " AND project_id = ?4")
                + " GROUP BY workflow, minute) m GROUP BY workflow";
        return rows(sql, Rows.timestamp(from), Rows.timestamp(to), errorRateTarget, projectId)
                .map(rows -> rows.stream()
                        .map(r -> new WorkflowCounts(
                                (String) r[0],
                                Rows.count(r[1]),
                                Rows.count(r[2]),
                                Rows.count(r[3]),
                                Rows.count(r[4]),
                                Rows.count(r[5]),
                                r[6] == null ? 0.0 : ((Number) r[6]).doubleValue()))
                        .toList());
    }

    /** Totals of a window: requests, errors, critical errors, revenue-blocking errors. */
    public record Totals(long requests, long errors, long criticalErrors, long revenueBlockingErrors) {}

    /**
     * Totals of [from, to): whole hours from the hourly rollup, the partial hours at either edge
     * from the minute rollup, so a 30-day budget reads ~720 rows per workflow instead of 43,200.
     */
    public Uni<Totals> totals(String projectId, Instant from, Instant to) {
        Instant hoursFrom = ceilHour(from);
        Instant hoursTo = to.truncatedTo(ChronoUnit.HOURS);
        if (!hoursFrom.isBefore(hoursTo)) { // no whole hour inside: minutes only
            hoursFrom = to;
            hoursTo = to;
        }
        String project = projectId == null ? "" : " AND project_id = ?7";
        String sql = "SELECT SUM(requests), SUM(errors), SUM(critical_errors), SUM(revenue_blocking) FROM ("
                + " SELECT requests, errors, critical_errors, revenue_blocking FROM workflow_hours"
                + " WHERE hour >= ?1 AND hour < ?2" + project
                + " UNION ALL SELECT requests, errors, critical_errors, revenue_blocking FROM workflow_minutes"
                + " WHERE ((minute >= ?3 AND minute < ?4) OR (minute >= ?5 AND minute < ?6))" + project
                + ") t";
        Instant headTo = hoursFrom.equals(to) ? to : hoursFrom;
        return row(
                        sql,
                        Rows.timestamp(hoursFrom),
                        Rows.timestamp(hoursTo),
                        Rows.timestamp(from),
                        Rows.timestamp(headTo),
                        Rows.timestamp(hoursTo),
                        Rows.timestamp(to),
                        projectId)
                .map(r -> new Totals(Rows.count(r[0]), Rows.count(r[1]), Rows.count(r[2]), Rows.count(r[3])));
    }

    static Instant ceilHour(Instant at) {
        Instant floor = at.truncatedTo(ChronoUnit.HOURS);
        return floor.equals(at) ? at : floor.plus(1, ChronoUnit.HOURS);
    }

    /** Time-to-resolve figures of one priority. */
    public record ResolveTimes(
            String priority, long resolved, long withinTarget, double meanMillis, double p95Millis, double maxMillis) {}

    /**
     * Time to resolve = the {@code verification_passed} entry's time minus the triggering event's
     * occurrence (when still stored), else the group's first_seen. Priority = the entry's severity,
     * else the group's.
     */
    public Uni<List<ResolveTimes>> resolveTimes(
            String projectId, Instant from, Instant to, long critical, long high, long medium, long low) {
        String sql = "SELECT priority, count(*), count(*) FILTER (WHERE ms <= CASE priority"
                + " WHEN 'critical' THEN CAST(?3 AS numeric) WHEN 'high' THEN CAST(?4 AS numeric)"
                + " WHEN 'medium' THEN CAST(?5 AS numeric) ELSE CAST(?6 AS numeric) END), avg(ms),"
                + " percentile_cont(0.95) WITHIN GROUP (ORDER BY ms), max(ms) FROM ("
                + " SELECT COALESCE(r.severity, g.severity) AS priority,"
                + " GREATEST(0, EXTRACT(EPOCH FROM (r.occurred_at - COALESCE(e.occurred_at, g.first_seen))) * 1000)"
                + " AS ms FROM resolutions r JOIN error_groups g ON g.group_id = r.group_id"
                + " LEFT JOIN error_events e ON e.event_id = r.event_id"
                + " WHERE r.phase = 'verification_passed' AND NOT r.dry_run"
                + " AND r.occurred_at >= ?1 AND r.occurred_at < ?2"
                + (projectId == null ? "" : " AND r.project_id = ?7")
                + ") t GROUP BY priority";
        return rows(sql, Rows.timestamp(from), Rows.timestamp(to), critical, high, medium, low, projectId)
                .map(rows -> rows.stream()
                        .map(r -> new ResolveTimes(
                                (String) r[0],
                                Rows.count(r[1]),
                                Rows.count(r[2]),
                                Rows.decimal(r[3]),
                                Rows.decimal(r[4]),
                                Rows.decimal(r[5])))
                        .toList());
    }

    /**
     * Groups an automated remediation was attempted for inside [from, to) (a runbook matched, not
     * as a dry run: a dry run is a trial that acts on nothing), and how many of those a
     * verification then proved fixed, whenever it came. Counting verifications of the window
     * instead would count a group matched before it and miss one verified after it.
     */
    public Uni<long[]> autoResolution(String projectId, Instant from, Instant to) {
        String sql = "SELECT count(*), count(*) FILTER (WHERE EXISTS (SELECT 1 FROM resolutions v"
                + " WHERE v.group_id = m.group_id AND v.phase = 'verification_passed' AND NOT v.dry_run"
                + " AND v.occurred_at >= m.first_matched))"
                + " FROM (SELECT group_id, min(occurred_at) AS first_matched FROM resolutions"
                + " WHERE phase = 'matched' AND NOT dry_run AND occurred_at >= ?1 AND occurred_at < ?2"
                + (projectId == null ? "" : " AND project_id = ?3")
                + " GROUP BY group_id) m";
        return row(sql, Rows.timestamp(from), Rows.timestamp(to), projectId)
                .map(r -> new long[] {Rows.count(r[0]), Rows.count(r[1])});
    }

    /**
     * Runs {@code sql} with positional parameters ?1..?n. A null parameter is left unbound: it is
     * the optional project filter, whose clause the caller left out of the SQL.
     */
    private static Uni<List<Object[]>> rows(String sql, Object... params) {
        return Panache.withSession(() -> Panache.getSession().flatMap(session -> {
            var query = session.createNativeQuery(sql, Object[].class);
            for (int i = 0; i < params.length; i++) {
                if (params[i] != null) {
                    query.setParameter(i + 1, params[i]);
                }
            }
            return query.getResultList();
        }));
    }

    /** {@link #rows} for an aggregate without GROUP BY, which always yields exactly one row. */
    private static Uni<Object[]> row(String sql, Object... params) {
        return rows(sql, params).map(rows -> rows.get(0));
    }
}
