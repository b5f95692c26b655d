package io.faultline.impact.repository;

import io.faultline.impact.model.Incident;
import io.faultline.impact.model.Page;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Filtered, keyset-paginated reads of incidents, most recently opened first. */
@ApplicationScoped
public class IncidentQueries {

    public static final String SORT = "-openedAt";

    /** Null fields do not filter. [from, to) selects incidents that were open at some time inside it. */
    public record IncidentFilter(
            String project, String workflow, String group, String status, String trigger, Instant from, Instant to) {}

    private static final String COLUMNS = "incident_id, project_id, scope, group_id, workflow, trigger, severity,"
            + " title, status, opened_at, last_activity_at, closed_at, close_reason, event_count, signal_count";

    private final Pool pool;

    public IncidentQueries(Pool pool) {
        this.pool = pool;
    }

    public Uni<Page<Incident>> incidents(IncidentFilter f, Cursor after, int limit) {
        List<Object> params = new ArrayList<>();
        StringBuilder where = new StringBuilder(" WHERE true");
        GroupQueries.condition(where, params, "project_id = ", f.project());
        GroupQueries.condition(where, params, "workflow = ", f.workflow());
        GroupQueries.condition(where, params, "group_id = ", f.group());
        GroupQueries.condition(where, params, "status = ", f.status());
        GroupQueries.condition(where, params, "trigger = ", f.trigger());
        GroupQueries.condition(where, params, "opened_at < ", f.to() == null ? null : Rows.timestamp(f.to()));
        if (f.from() != null) {
            params.add(Rows.timestamp(f.from()));
            where.append(" AND (closed_at IS NULL OR closed_at >= $")
                    .append(params.size())
                    .append(")");
        }
        if (after != null) {
            params.add(Rows.timestamp(Instant.parse(after.key())));
            params.add(after.id());
            where.append(" AND (opened_at, incident_id) < ($")
                    .append(params.size() - 1)
                    .append(", $")
                    .append(params.size())
                    .append(")");
        }
        String sql = "SELECT " + COLUMNS + " FROM incidents" + where
                + " ORDER BY opened_at DESC, incident_id DESC LIMIT " + (limit + 1);
        return Rows.list(pool, sql, params).map(rows -> {
            List<Incident> items =
                    rows.stream().limit(limit).map(IncidentQueries::incident).toList();
            String next = null;
            if (rows.size() > limit) {
                Incident last = items.get(items.size() - 1);
                next = new Cursor(SORT, last.openedAt().toString(), last.incidentId()).encode();
            }
            return new Page<>(items, next);
        });
    }

    static Incident incident(Object[] r) {
        return new Incident(
                (String) r[0],
                (String) r[1],
                (String) r[2],
                (String) r[3],
                (String) r[4],
                (String) r[5],
                (String) r[6],
                (String) r[7],
                (String) r[8],
                Rows.instant(r[9]),
                Rows.instant(r[10]),
                Rows.instant(r[11]),
                (String) r[12],
                Rows.count(r[13]),
                Rows.count(r[14]));
    }
}
