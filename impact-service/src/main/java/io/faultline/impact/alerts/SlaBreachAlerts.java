package io.faultline.impact.alerts;

import io.faultline.impact.config.SlaConfig;
import io.faultline.impact.repository.AlertOutbox;
import io.faultline.impact.repository.AlertRuleStore;
import io.faultline.impact.service.SlaEvaluator;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code sla_breach} trigger: a group still open past its priority's time-to-resolve target
 * (the SLA's own rule: docs/impact-model.md; open = unresolved, regressed, or resolved in a release
 * that has not shipped). Nothing event-driven marks that moment, since it is the absence of a
 * resolve, so open groups are checked on a schedule ({@code faultline.alerts.sla-breach-every},
 * 30 s) and only while an enabled rule asks for it.
 *
 * <p>Once per group per breach: a breach is one clock of the group (a regression or a reopen starts
 * another, docs/impact-model.md), and the alert key names the clock, so a rule fires for it once
 * whatever its action interval; the interval still holds per group across clocks. Alerts are
 * written to the outbox like the others, and a resolve of the group sends PagerDuty's resolve
 * ({@link AlertOutbox#onResolved}).
 */
@ApplicationScoped
public class SlaBreachAlerts {

    /** At most this many groups alerted per rule and check: a backlog drains over a few checks. */
    static final int BATCH = 500;

    /**
     * The transaction-scoped advisory lock one check holds: replicas check on their own schedules,
     * and two checks side by side would both find a breach unalerted and both write it.
     */
    static final long LOCK = 0x5_1A_B4EAL;

    private final AlertRuleStore rules;
    private final Pool pool;
    private final SlaConfig sla;

    public SlaBreachAlerts(AlertRuleStore rules, Pool pool, SlaConfig sla) {
        this.rules = rules;
        this.pool = pool;
        this.sla = sla;
    }

    @Scheduled(
            identity = "sla-breach-alerts",
            every = "${faultline.alerts.sla-breach-every:30s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return check(Instant.now()).replaceWithVoid();
    }

    /** @return how many alerts the check wrote candidates for (the throttle may still hold some back) */
    public Uni<Integer> check(Instant now) {
        List<AlertRule> breachRules = rules.enabled().stream()
                .filter(r -> AlertRule.SLA_BREACH.equals(r.trigger()))
                .toList();
        if (breachRules.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        // the SLA report's own targets: an alert and /sla agree on when a group is past its target
        SlaEvaluator.Targets targets = SlaEvaluator.Targets.of(sla, List.of());
        return pool.withTransaction(conn -> conn.query("SELECT pg_try_advisory_xact_lock(" + LOCK + ")")
                .execute()
                // another replica checks right now: its alerts are this one's, written once
                .flatMap(lock -> Boolean.TRUE.equals(lock.iterator().next().getBoolean(0))
                        ? fireDue(conn, breachRules, now, targets)
                        : Uni.createFrom().item(0)));
    }

    /** Writes the alerts every rule fires now, in the check's transaction. */
    private static Uni<Integer> fireDue(
            SqlConnection conn, List<AlertRule> breachRules, Instant now, SlaEvaluator.Targets targets) {
        List<AlertOutbox.Alert> candidates = new ArrayList<>();
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (AlertRule rule : breachRules) {
            chain = chain.chain(() -> due(conn, rule, now, targets).invoke(candidates::addAll))
                    .replaceWithVoid();
        }
        return chain.chain(() -> AlertOutbox.fire(conn, candidates)).replaceWith(candidates::size);
    }

    /** The groups a rule fires for now: past their target, matching its filters, not alerted for this clock. */
    private static Uni<List<AlertOutbox.Alert>> due(
            SqlConnection conn, AlertRule rule, Instant now, SlaEvaluator.Targets targets) {
        List<Object> params = new ArrayList<>();
        for (long target : targets.timeToResolveMillis()) { // critical, high, medium, low
            params.add(OffsetDateTime.ofInstant(now.minusMillis(target), ZoneOffset.UTC));
        }
        params.add(rule.id());
        params.add(rule.actionIntervalSeconds());
        // a group stored before clocks were kept counts from its first event, as /sla counts it
        String columns = "group_id, project_id, workflow, severity, title, category, business_impact,"
                + " COALESCE(clock_started_at, first_seen) AS clock_started_at";
        String key = "g.group_id || '@' || CAST(floor(EXTRACT(EPOCH FROM g.clock_started_at) * 1000) AS bigint)";
        StringBuilder sql = new StringBuilder("SELECT ")
                .append(key)
                .append(", g.group_id, g.project_id, g.workflow, g.severity, g.title FROM (VALUES ('critical',")
                .append(" $1::timestamptz), ('high', $2::timestamptz), ('medium', $3::timestamptz),")
                .append(" ('low', $4::timestamptz)) AS v(p, d) CROSS JOIN LATERAL (SELECT ")
                .append(columns)
                .append(" FROM error_groups WHERE status IN ('unresolved', 'regressed') AND severity = v.p")
                .append(" AND COALESCE(clock_started_at, first_seen) < v.d UNION ALL SELECT ")
                .append(columns)
                .append(" FROM error_groups WHERE status = 'resolved' AND resolved_in_release IS NOT NULL")
                .append(
                        " AND release_shipped_at IS NULL AND severity = v.p AND COALESCE(clock_started_at, first_seen) < v.d) g")
                .append(" WHERE NOT EXISTS (SELECT 1 FROM alert_deliveries a WHERE a.rule_id = $5")
                .append(" AND a.group_id = g.group_id AND a.trigger = 'sla_breach' AND (a.alert_key = ")
                .append(key)
                .append(" OR a.fired_at > now() - make_interval(secs => $6::int4)))");
        rule.filters().forEach((filter, values) -> {
            String column =
                    switch (filter) {
                        case "project" -> "project_id";
                        case "severity" -> "severity";
                        case "category" -> "category";
                        case "impact" -> "business_impact";
                        case "workflow" -> "workflow";
                        default -> null;
                    };
            if (column != null) {
                params.add(values.toArray(String[]::new));
                sql.append(" AND g.")
                        .append(column)
                        .append(" = ANY($")
                        .append(params.size())
                        .append("::varchar[])");
                return;
            }
            // environment, release and tags: any the group's events carried (its tag rollup)
            String[] keys = new String[values.size()];
            String[] wanted = new String[values.size()];
            for (int i = 0; i < values.size(); i++) {
                String v = values.get(i);
                int eq = "tag".equals(filter) ? v.indexOf('=') : -1;
                keys[i] = eq < 0 ? filter : v.substring(0, eq);
                wanted[i] = eq < 0 ? v : v.substring(eq + 1);
            }
            params.add(keys);
            params.add(wanted);
            sql.append(" AND EXISTS (SELECT 1 FROM group_tag_values t JOIN unnest($")
                    .append(params.size() - 1)
                    .append("::varchar[], $")
                    .append(params.size())
                    .append("::varchar[]) AS w(k, v) ON t.key = w.k AND t.value = w.v WHERE t.group_id = g.group_id)");
        });
        sql.append(" ORDER BY g.clock_started_at LIMIT ").append(BATCH);
        return conn.preparedQuery(sql.toString()).execute(Tuple.tuple(params)).map(rows -> {
            List<AlertOutbox.Alert> out = new ArrayList<>();
            for (Row r : rows) {
                String severity = r.getString(4);
                Duration target = targets.timeToResolve().get(severity);
                out.add(new AlertOutbox.Alert(
                        rule,
                        r.getString(0),
                        AlertRule.SLA_BREACH,
                        r.getString(2),
                        r.getString(1),
                        r.getString(3),
                        severity,
                        "SLA breach: " + r.getString(5) + " open past its " + severity + " time-to-resolve target ("
                                + target.toString().substring(2).toLowerCase() + ")"));
            }
            return out;
        });
    }
}
