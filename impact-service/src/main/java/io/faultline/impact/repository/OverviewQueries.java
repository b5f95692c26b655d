package io.faultline.impact.repository;

import io.faultline.impact.model.Overview;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Read-only queries behind the overview. */
@ApplicationScoped
public class OverviewQueries {

    /**
     * The event total comes from the hourly rollup (a few thousand rows), not from counting the
     * stored events (a million rows); the groups list walks the (project, last_seen, group_id) index.
     */
    public Uni<Overview> overview(String projectId, int limit) {
        String where = projectId == null ? "" : " WHERE project_id = ?1";
        // a merged group's events count in the group it was merged into
        String groupsWhere = " WHERE status <> 'merged'" + (projectId == null ? "" : " AND project_id = ?1");
        return Panache.withSession(() -> Panache.getSession().flatMap(session -> {
            var total = session.createNativeQuery(
                    "SELECT CAST(COALESCE(SUM(errors), 0) AS bigint) FROM workflow_hours" + where, Long.class);
            var groupCount = session.createNativeQuery("SELECT count(*) FROM error_groups" + groupsWhere, Long.class);
            var groups = session.createNativeQuery(
                    "SELECT " + GroupQueries.COLUMNS + " FROM error_groups" + groupsWhere
                            + " ORDER BY last_seen DESC, group_id DESC LIMIT " + Math.max(1, Math.min(limit, 500)),
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
                                    rows.stream().map(GroupQueries::summary).toList()))));
        }));
    }
}
