package io.faultline.impact.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.faultline.impact.alerts.AlertRule;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The rules in PostgreSQL, and the enabled ones in memory for the consumers: they look at every batch,
 * so reading the table there would cost a round trip per batch. The copy is refreshed on every change
 * made here and every few seconds (a change made through another instance).
 */
@ApplicationScoped
public class AlertRuleStore {

    private static final String COLUMNS = "rule_id, name, enabled, trigger, threshold, window_seconds, per_scope,"
            + " filters::text, channel::text, action_interval_seconds";

    private final Pool pool;
    private final ObjectMapper json;
    private volatile List<AlertRule> enabled = List.of();

    public AlertRuleStore(Pool pool, ObjectMapper json) {
        this.pool = pool;
        this.json = json;
    }

    /**
     * Reads the rules before the consumers start taking records, so a new issue stored in the
     * service's first seconds is not missed for want of a first scheduled read.
     */
    void onStart(@Observes StartupEvent start) {
        try {
            refresh().await().atMost(Duration.ofSeconds(30));
        } catch (RuntimeException slow) {
            // a database this slow must not stop the service: the scheduled read catches up
        }
    }

    /** The enabled rules as last read: never blocks, never fails. */
    public List<AlertRule> enabled() {
        return enabled;
    }

    @Scheduled(
            identity = "alert-rules-refresh",
            every = "${faultline.alerts.refresh:5s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refresh() {
        return pool.query("SELECT " + COLUMNS + " FROM alert_rules WHERE enabled ORDER BY rule_id")
                .execute()
                .map(rows -> {
                    List<AlertRule> out = new ArrayList<>();
                    rows.forEach(r -> out.add(rule(r)));
                    enabled = List.copyOf(out);
                    return out;
                })
                .replaceWithVoid()
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
    }

    public Uni<List<AlertRule>> list() {
        return pool.query("SELECT " + COLUMNS + " FROM alert_rules ORDER BY rule_id")
                .execute()
                .map(rows -> {
                    List<AlertRule> out = new ArrayList<>();
                    rows.forEach(r -> out.add(rule(r)));
                    return out;
                });
    }

    public Uni<Optional<AlertRule>> get(long id) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM alert_rules WHERE rule_id = $1")
                .execute(Tuple.of(id))
                .map(rows -> rows.size() == 0
                        ? Optional.empty()
                        : Optional.of(rule(rows.iterator().next())));
    }

    public Uni<AlertRule> create(AlertRule r) {
        return pool.preparedQuery("INSERT INTO alert_rules (name, enabled, trigger, threshold, window_seconds,"
                        + " per_scope, filters, channel, action_interval_seconds) VALUES ($1, $2, $3, $4, $5, $6,"
                        + " $7::text::jsonb, $8::text::jsonb, $9) RETURNING " + COLUMNS)
                .execute(values(r))
                .map(rows -> rule(rows.iterator().next()))
                .call(this::refresh);
    }

    public Uni<Optional<AlertRule>> update(AlertRule r) {
        Tuple t = values(r).addLong(r.id());
        return pool.preparedQuery("UPDATE alert_rules SET name = $1, enabled = $2, trigger = $3, threshold = $4,"
                        + " window_seconds = $5, per_scope = $6, filters = $7::text::jsonb, channel = $8::text::jsonb,"
                        + " action_interval_seconds = $9, updated_at = now() WHERE rule_id = $10 RETURNING "
                        + COLUMNS)
                .execute(t)
                .map(rows -> rows.size() == 0
                        ? Optional.<AlertRule>empty()
                        : Optional.of(rule(rows.iterator().next())))
                .call(this::refresh);
    }

    public Uni<Boolean> delete(long id) {
        return pool.preparedQuery("DELETE FROM alert_rules WHERE rule_id = $1")
                .execute(Tuple.of(id))
                .map(rows -> rows.rowCount() > 0)
                .call(this::refresh);
    }

    private Tuple values(AlertRule r) {
        try {
            return Tuple.tuple()
                    .addString(r.name())
                    .addBoolean(r.enabled())
                    .addString(r.trigger())
                    .addInteger(r.threshold())
                    .addInteger(r.windowSeconds())
                    .addString(r.per())
                    .addString(json.writeValueAsString(r.filters()))
                    .addString(json.writeValueAsString(r.channel()))
                    .addInteger(r.actionIntervalSeconds());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    AlertRule rule(Row r) {
        try {
            Map<String, List<String>> filters = json.readValue(r.getString(7), new TypeReference<>() {});
            return new AlertRule(
                    r.getLong(0),
                    r.getString(1),
                    r.getBoolean(2),
                    r.getString(3),
                    r.getInteger(4),
                    r.getInteger(5),
                    r.getString(6),
                    filters,
                    (ObjectNode) json.readTree(r.getString(8)),
                    r.getInteger(9));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("alert rule " + r.getLong(0) + " is stored unreadable", e);
        }
    }

    /** One page of a rule's alerts, newest first, each with its tries. */
    public Uni<List<JsonObject>> history(long ruleId, int limit) {
        return pool.preparedQuery("SELECT d.alert_id, d.alert_key, d.action, d.trigger, d.project_id, d.group_id,"
                        + " d.workflow, d.severity, d.title, d.fired_at, d.status, d.attempts, d.delivered_at,"
                        + " d.last_error, COALESCE((SELECT json_agg(json_build_object('attempt', a.attempt,"
                        + " 'at', a.attempted_at, 'outcome', a.outcome, 'detail', a.detail) ORDER BY a.attempt)"
                        + " FROM alert_attempts a WHERE a.alert_id = d.alert_id), '[]')::text"
                        + " FROM alert_deliveries d WHERE d.rule_id = $1 ORDER BY d.alert_id DESC LIMIT $2")
                .execute(Tuple.of(ruleId, limit))
                .map(rows -> {
                    List<JsonObject> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(new JsonObject()
                                .put("id", r.getLong(0))
                                .put("key", r.getString(1))
                                .put("action", r.getString(2))
                                .put("trigger", r.getString(3))
                                .put("project", r.getString(4))
                                .put("group", r.getString(5))
                                .put("workflow", r.getString(6))
                                .put("severity", r.getString(7))
                                .put("title", r.getString(8))
                                .put("firedAt", String.valueOf(r.getOffsetDateTime(9)))
                                .put("status", r.getString(10))
                                .put("attempts", r.getInteger(11))
                                .put(
                                        "deliveredAt",
                                        r.getOffsetDateTime(12) == null
                                                ? null
                                                : r.getOffsetDateTime(12).toString())
                                .put("lastError", r.getString(13))
                                .put("tries", new io.vertx.core.json.JsonArray(r.getString(14))));
                    }
                    return out;
                });
    }
}
