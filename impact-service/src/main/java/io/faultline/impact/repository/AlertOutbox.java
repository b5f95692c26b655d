package io.faultline.impact.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.faultline.impact.alerts.AlertRule;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The alert outbox ({@code alert_deliveries}, with its throttle {@code alert_throttle}): what the
 * consumers' transactions write into it, on their own connection, so an alert exists exactly when
 * what fired it was stored; and the delivery's side: claiming due alerts and recording each try for
 * {@code AlertDispatcher}, which sends them after the commit.
 */
@ApplicationScoped
public class AlertOutbox {

    /** An alert claimed for one try. */
    public record Claimed(
            long alertId,
            int attempt,
            String action,
            String trigger,
            String project,
            String group,
            String workflow,
            String severity,
            String title,
            OffsetDateTime firedAt,
            String key,
            long ruleId,
            String ruleName,
            ObjectNode channel) {}

    /** One alert a rule fired, to write unless the rule fired for the same key within its action interval. */
    public record Alert(
            AlertRule rule,
            String key,
            String trigger,
            String project,
            String group,
            String workflow,
            String severity,
            String title) {}

    private static final String INSERT = "WITH c AS (SELECT c.* FROM unnest($1::int8[], $2::varchar[], $3::int4[],"
            + " $4::varchar[], $5::varchar[], $6::varchar[], $7::varchar[], $8::varchar[], $9::text[])"
            + " AS c(rule_id, alert_key, interval_s, trigger, project_id, group_id, workflow, severity, title)"
            // a rule deleted meanwhile fires nothing (its row would break the foreign key: the batch lost)
            + " WHERE EXISTS (SELECT 1 FROM alert_rules r WHERE r.rule_id = c.rule_id AND r.enabled)),"
            + " fired AS (INSERT INTO alert_throttle AS t (rule_id, alert_key, last_fired_at, quiet_until)"
            + " SELECT rule_id, alert_key, now(), now() + make_interval(secs => interval_s) FROM c"
            + " ORDER BY rule_id, alert_key ON CONFLICT (rule_id, alert_key) DO UPDATE SET"
            + " last_fired_at = EXCLUDED.last_fired_at, quiet_until = EXCLUDED.quiet_until"
            + " WHERE t.quiet_until <= EXCLUDED.last_fired_at RETURNING rule_id, alert_key)"
            + " INSERT INTO alert_deliveries (rule_id, alert_key, trigger, project_id, group_id, workflow,"
            + " severity, title) SELECT c.rule_id, c.alert_key, c.trigger, c.project_id, c.group_id,"
            + " c.workflow, c.severity, c.title FROM c JOIN fired USING (rule_id, alert_key)";

    private final Pool pool;
    private final ObjectMapper json;

    public AlertOutbox(Pool pool, ObjectMapper json) {
        this.pool = pool;
        this.json = json;
    }

    /**
     * Claims up to {@code limit} due alerts with {@code FOR UPDATE SKIP LOCKED} (several instances
     * never send one twice) and leases them for two minutes by moving their next try forward, so
     * an instance that dies mid-send leaves them to be tried again.
     */
    public Uni<List<Claimed>> claim(int limit) {
        return pool.preparedQuery("UPDATE alert_deliveries d SET next_attempt_at = now() + interval '2 minutes',"
                        + " attempts = d.attempts + 1 FROM alert_rules r WHERE r.rule_id = d.rule_id AND d.alert_id IN"
                        + " (SELECT alert_id FROM alert_deliveries WHERE status = 'pending' AND next_attempt_at <= now()"
                        + " ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED) RETURNING d.alert_id, d.attempts,"
                        + " d.action, d.trigger, d.project_id, d.group_id, d.workflow, d.severity, d.title, d.fired_at,"
                        + " d.alert_key, r.rule_id, r.name, r.channel::text")
                .execute(Tuple.of(limit))
                .map(rows -> {
                    List<Claimed> out = new ArrayList<>();
                    for (Row r : rows) {
                        try {
                            out.add(new Claimed(
                                    r.getLong(0),
                                    r.getInteger(1),
                                    r.getString(2),
                                    r.getString(3),
                                    r.getString(4),
                                    r.getString(5),
                                    r.getString(6),
                                    r.getString(7),
                                    r.getString(8),
                                    r.getOffsetDateTime(9),
                                    r.getString(10),
                                    r.getLong(11),
                                    r.getString(12),
                                    (ObjectNode) json.readTree(r.getString(13))));
                        } catch (JsonProcessingException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                    return out;
                });
    }

    /** Records a try the receiver took. */
    public Uni<Void> delivered(long alertId, int attempt, String detail) {
        return pool.withTransaction(conn -> conn.preparedQuery("INSERT INTO alert_attempts (alert_id, attempt,"
                                + " outcome, detail) VALUES ($1, $2, 'delivered', $3) ON CONFLICT DO NOTHING")
                        .execute(Tuple.of(alertId, attempt, detail))
                        .chain(() -> conn.preparedQuery("UPDATE alert_deliveries SET status = 'delivered',"
                                        + " delivered_at = now() WHERE alert_id = $1")
                                .execute(Tuple.of(alertId))))
                .replaceWithVoid();
    }

    /** Records a failed try: the alert is tried again after {@code waitMillis}, or, if it was the last, failed. */
    public Uni<Void> failed(long alertId, int attempt, String reason, boolean last, long waitMillis) {
        return pool.withTransaction(conn -> conn.preparedQuery("INSERT INTO alert_attempts (alert_id, attempt,"
                                + " outcome, detail) VALUES ($1, $2, 'failed', $3) ON CONFLICT DO NOTHING")
                        .execute(Tuple.of(alertId, attempt, reason))
                        .chain(() -> conn.preparedQuery("UPDATE alert_deliveries SET last_error = $2, status = $3,"
                                        + " next_attempt_at = now() + make_interval(secs => $4) WHERE alert_id = $1")
                                .execute(Tuple.of(alertId, reason, last ? "failed" : "pending", waitMillis / 1000.0))))
                .replaceWithVoid();
    }

    /**
     * Writes the alerts on the connection of the transaction that stored what fired them, so an
     * alert exists exactly when that was stored; those whose rule fired for the same key within
     * its action interval are dropped by the throttle.
     */
    public static Uni<Void> fire(SqlConnection conn, List<Alert> alerts) {
        if (alerts.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Alert> sorted = new ArrayList<>(alerts);
        // key order: concurrent batches take the throttle rows' locks in the same order
        sorted.sort(Comparator.comparingLong((Alert a) -> a.rule().id()).thenComparing(Alert::key));
        int n = sorted.size();
        Long[] ids = new Long[n];
        String[] keys = new String[n];
        Integer[] intervals = new Integer[n];
        String[] triggers = new String[n];
        String[] projects = new String[n];
        String[] groups = new String[n];
        String[] workflows = new String[n];
        String[] severities = new String[n];
        String[] titles = new String[n];
        for (int i = 0; i < n; i++) {
            Alert a = sorted.get(i);
            ids[i] = a.rule().id();
            keys[i] = clip(a.key(), 300);
            intervals[i] = a.rule().actionIntervalSeconds();
            triggers[i] = a.trigger();
            projects[i] = clip(a.project(), 100);
            groups[i] = clip(a.group(), 160);
            workflows[i] = clip(a.workflow(), 100);
            severities[i] = clip(a.severity(), 32);
            titles[i] = a.title();
        }
        return conn.preparedQuery(INSERT)
                .execute(Tuple.tuple(
                        List.of(ids, keys, intervals, triggers, projects, groups, workflows, severities, titles)))
                .replaceWithVoid();
    }

    /**
     * A resolved group resolves what its alerts opened: each PagerDuty rule that triggered on the
     * group gets a {@code resolve} with the same dedup key, written in the resolution's own
     * transaction. Chat, webhook and e-mail alerts have nothing to close.
     */
    public static Uni<Void> onResolved(SqlConnection conn, String groupId) {
        return conn.preparedQuery("INSERT INTO alert_deliveries (rule_id, alert_key, action, trigger,"
                        + " project_id, group_id, workflow, severity, title) SELECT DISTINCT ON (d.rule_id, d.alert_key)"
                        + " d.rule_id, d.alert_key, 'resolve', d.trigger, d.project_id, d.group_id, d.workflow,"
                        + " d.severity, 'Resolved: ' || d.title FROM alert_deliveries d JOIN alert_rules r"
                        + " ON r.rule_id = d.rule_id WHERE d.group_id = $1 AND r.channel ->> 'type' = 'pagerduty'"
                        + " AND NOT EXISTS (SELECT 1 FROM alert_deliveries x WHERE x.rule_id = d.rule_id"
                        + " AND x.alert_key = d.alert_key AND x.alert_id > d.alert_id)"
                        + " AND d.action = 'trigger'"
                        // the resolution's own statements ran before: a fix older than the group's
                        // last event left it open, and there is nothing to resolve
                        + " AND EXISTS (SELECT 1 FROM error_groups g WHERE g.group_id = $1 AND g.status = 'resolved')"
                        + " ORDER BY d.rule_id, d.alert_key, d.alert_id DESC")
                .execute(Tuple.of(groupId))
                .replaceWithVoid();
    }

    private static String clip(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
