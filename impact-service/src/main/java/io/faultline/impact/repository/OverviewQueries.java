package io.faultline.impact.repository;

import io.faultline.impact.model.Overview;
import io.faultline.impact.model.Overview.GroupSummary;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;

/** Read-only queries behind the overview. */
@ApplicationScoped
public class OverviewQueries {

    public Uni<Overview> overview(String projectId, int limit) {
        String where = projectId == null ? "" : " WHERE project_id = ?1";
        return Panache.withSession(() -> Panache.getSession().flatMap(session -> {
            var total = session.createNativeQuery("SELECT count(*) FROM error_events" + where, Long.class);
            var groupCount = session.createNativeQuery("SELECT count(*) FROM error_groups" + where, Long.class);
            var groups = session.createNativeQuery(
                    "SELECT group_id, project_id, title, severity, category, business_impact, workflow, status,"
                            + " event_count, first_seen, last_seen FROM error_groups" + where
                            + " ORDER BY last_seen DESC LIMIT " + Math.max(1, Math.min(limit, 500)),
                    Object[].class);
            if (projectId != null) {
                total.setParameter(1, projectId);
                groupCount.setParameter(1, projectId);
                groups.setParameter(1, projectId);
            }
            return total.getSingleResult()
                    .chain(t -> groupCount.getSingleResult().chain(g -> groups.getResultList()
                            .map(rows -> new Overview(
                                    t,
                                    g,
                                    rows.stream().map(OverviewQueries::summary).toList()))));
        }));
    }

    private static GroupSummary summary(Object[] r) {
        return new GroupSummary(
                (String) r[0],
                (String) r[1],
                (String) r[2],
                (String) r[3],
                (String) r[4],
                (String) r[5],
                (String) r[6],
                (String) r[7],
                ((Number) r[8]).longValue(),
                instant(r[9]),
                instant(r[10]));
    }

    private static java.time.Instant instant(Object value) {
        if (value instanceof OffsetDateTime odt) {
            return odt.toInstant();
        }
        if (value instanceof java.time.Instant i) {
            return i;
        }
        if (value instanceof java.sql.Timestamp ts) {
            return ts.toInstant();
        }
        return value == null ? null : java.time.Instant.parse(value.toString());
    }
}
