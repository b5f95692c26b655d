package io.faultline.impact.repository;

import io.faultline.impact.model.MinuteCounts;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

/** Reads the per-minute workflow counters the impact model and the SLA figures are computed from. */
@ApplicationScoped
public class ImpactQueries {

    /** Counters inside [from, to), summed over projects when {@code projectId} is null. */
    public Uni<List<MinuteCounts>> minutes(String projectId, Instant from, Instant to) {
        String sql = "SELECT workflow, minute, SUM(requests), SUM(errors), SUM(critical_errors),"
                + " SUM(revenue_blocking) FROM workflow_minutes WHERE minute >= ?1 AND minute < ?2"
                + (projectId == null ? "" : " AND project_id = ?3")
                + " GROUP BY workflow, minute";
        return rows(sql, Rows.timestamp(from), Rows.timestamp(to), projectId).map(rows -> rows.stream()
                .map(r -> new MinuteCounts(
                        (String) r[0],
                        Rows.instant(r[1]),
                        Rows.count(r[2]),
                        Rows.count(r[3]),
                        Rows.count(r[4]),
                        Rows.count(r[5])))
                .toList());
    }

    /** Totals of a window: requests, errors, critical errors, revenue-blocking errors. */
    public record Totals(long requests, long errors, long criticalErrors, long revenueBlockingErrors) {}

    /**
     * Totals over three nested windows in one scan: the requested window, the budget window ending
     * at {@code to}, and the last hour before {@code to}.
     */
    public Uni<List<Totals>> totals(String projectId, Instant from, Instant to, Instant budgetFrom) {
        Instant scanFrom = from.isBefore(budgetFrom) ? from : budgetFrom;
        Instant hourFrom = to.minusSeconds(3600);
        String sql = "SELECT"
                + " SUM(requests) FILTER (WHERE minute >= ?1), SUM(errors) FILTER (WHERE minute >= ?1),"
                + " SUM(critical_errors) FILTER (WHERE minute >= ?1), SUM(revenue_blocking) FILTER (WHERE minute >= ?1),"
                + " SUM(requests) FILTER (WHERE minute >= ?2), SUM(errors) FILTER (WHERE minute >= ?2),"
                + " SUM(critical_errors) FILTER (WHERE minute >= ?2), SUM(revenue_blocking) FILTER (WHERE minute >= ?2),"
                + " SUM(requests) FILTER (WHERE minute >= ?3), SUM(errors) FILTER (WHERE minute >= ?3),"
                + " SUM(critical_errors) FILTER (WHERE minute >= ?3), SUM(revenue_blocking) FILTER (WHERE minute >= ?3)"
                + " FROM workflow_minutes WHERE minute >= ?4 AND minute < ?5"
                + (projectId == null ? "" : " AND project_id = ?6");
        return row(
                        sql,
                        Rows.timestamp(from),
                        Rows.timestamp(budgetFrom),
                        Rows.timestamp(hourFrom),
                        Rows.timestamp(scanFrom),
                        Rows.timestamp(to),
                        projectId)
                .map(r -> List.of(
                        new Totals(Rows.count(r[0]), Rows.count(r[1]), Rows.count(r[2]), Rows.count(r[3])),
                        new Totals(Rows.count(r[4]), Rows.count(r[5]), Rows.count(r[6]), Rows.count(r[7])),
                        new Totals(Rows.count(r[8]), Rows.count(r[9]), Rows.count(r[10]), Rows.count(r[11]))));
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
     * Groups an automated remediation was attempted for (a runbook matched) and groups a
     * verification proved fixed (not in dry-run), inside [from, to).
     */
    public Uni<long[]> autoResolution(String projectId, Instant from, Instant to) {
        String sql = "SELECT count(DISTINCT group_id) FILTER (WHERE phase = 'matched'),"
                + " count(DISTINCT group_id) FILTER (WHERE phase = 'verification_passed' AND NOT dry_run)"
                + " FROM resolutions WHERE occurred_at >= ?1 AND occurred_at < ?2"
                + (projectId == null ? "" : " AND project_id = ?3");
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
