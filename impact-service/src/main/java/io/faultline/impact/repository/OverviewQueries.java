package io.faultline.impact.repository;

import io.faultline.impact.model.Overview;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

/** Read-only queries behind the overview. */
@ApplicationScoped
public class OverviewQueries {

    private final Pool pool;

    public OverviewQueries(Pool pool) {
        this.pool = pool;
    }

    /**
     * The event total comes from the hourly rollup (a few thousand rows), not from counting the
     * stored events (a million rows); the groups list walks the (project, last_seen, group_id) index.
     */
    public Uni<Overview> overview(String projectId, int limit) {
        String where = projectId == null ? "" : " WHERE project_id = $1";
        // a merged group's events count in the group it was merged into
        String groupsWhere = " WHERE status <> 'merged'" + (projectId == null ? "" : " AND project_id = $1");
        Object[] params = projectId == null ? new Object[0] : new Object[] {projectId};
        return Rows.list(pool, "SELECT CAST(COALESCE(SUM(errors), 0) AS bigint) FROM workflow_hours" + where, params)
                .chain(total -> Rows.list(pool, "SELECT count(*) FROM error_groups" + groupsWhere, params)
                        .chain(count -> Rows.list(
                                        pool,
                                        "SELECT " + GroupQueries.COLUMNS + " FROM error_groups" + groupsWhere
                                                + " ORDER BY last_seen DESC, group_id DESC LIMIT "
                                                + Math.max(1, Math.min(limit, 500)),
                                        params)
                                .map(rows -> new Overview(
                                        Rows.count(total.get(0)[0]),
                                        Rows.count(count.get(0)[0]),
                                        rows.stream().map(GroupQueries::summary).toList()))));
    }
}
