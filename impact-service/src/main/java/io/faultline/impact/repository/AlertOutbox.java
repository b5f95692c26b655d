package io.faultline.impact.repository;

import io.smallrye.mutiny.Uni;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * A resolved group resolves what its alerts opened: each PagerDuty rule that triggered on the group
 * gets a {@code resolve} with the same dedup key, written to the outbox in the resolution's own
 * transaction. Chat, webhook and e-mail alerts have nothing to close.
 */
public final class AlertOutbox {

    private AlertOutbox() {}

    public static Uni<Void> onResolved(Mutiny.Session session, String groupId) {
        return session.createNativeQuery("INSERT INTO alert_deliveries (rule_id, alert_key, action, trigger,"
                        + " project_id, group_id, workflow, severity, title) SELECT DISTINCT ON (d.rule_id, d.alert_key)"
                        + " d.rule_id, d.alert_key, 'resolve', d.trigger, d.project_id, d.group_id, d.workflow,"
                        + " d.severity, 'Resolved: ' || d.title FROM alert_deliveries d JOIN alert_rules r"
                        + " ON r.rule_id = d.rule_id WHERE d.group_id = ?1 AND r.channel ->> 'type' = 'pagerduty'"
                        + " AND NOT EXISTS (SELECT 1 FROM alert_deliveries x WHERE x.rule_id = d.rule_id"
                        + " AND x.alert_key = d.alert_key AND x.alert_id > d.alert_id)"
                        + " AND d.action = 'trigger'"
                        // the resolution's own statements ran before: a fix older than the group's
                        // last event left it open, and there is nothing to resolve
                        + " AND EXISTS (SELECT 1 FROM error_groups g WHERE g.group_id = ?1 AND g.status = 'resolved')"
                        + " ORDER BY d.rule_id, d.alert_key, d.alert_id DESC")
                .setParameter(1, groupId)
                .executeUpdate()
                .replaceWithVoid();
    }
}
