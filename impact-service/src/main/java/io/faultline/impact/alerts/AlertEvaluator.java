package io.faultline.impact.alerts;

import io.faultline.impact.service.ClassifiedBatch.Event;
import io.faultline.schemas.Signal;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Decides which rules fire for what the consumers store, and writes those alerts into the outbox
 * ({@code alert_deliveries}) inside the consumer's own transaction: an alert exists exactly when what
 * fired it was stored, and nothing is sent from here (the {@link AlertDispatcher} delivers after
 * the commit, so a slow receiver never holds a consumer). With no enabled rule this costs nothing.
 *
 * <p>A new issue is a group the batch inserted; more than N events in T is counted from the
 * classified stream in memory ({@link EventCounts}); a regression and an SLO burn come from the
 * detectors' signals, which carry project, group, workflow and severity only, so a rule that also
 * filters on environment, release, category, impact or tag does not fire on them. An SLA breach
 * is found on a schedule ({@link SlaBreachAlerts}).
 */
@ApplicationScoped
public class AlertEvaluator {

    /** One alert to write unless its rule fired for the same key within its action interval. */
    record Candidate(
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

    private final AlertRuleStore rules;
    private final EventCounts counts;

    public AlertEvaluator(AlertRuleStore rules, EventCounts counts) {
        this.rules = rules;
        this.counts = counts;
    }

    /** Whether any enabled rule could fire on classified events (else the batch skips the work). */
    public boolean watchesEvents() {
        for (AlertRule r : rules.enabled()) {
            if (AlertRule.NEW_ISSUE.equals(r.trigger()) || AlertRule.EVENT_COUNT.equals(r.trigger())) {
                return true;
            }
        }
        return false;
    }

    /**
     * The alerts a stored batch fires, written on its connection.
     *
     * @param newGroups the groups the batch inserted
     * @param tags each event's tags, by event id
     */
    public Uni<Void> onEvents(
            SqlConnection conn, List<Event> events, Set<String> newGroups, Map<String, Map<String, String>> tags) {
        List<AlertRule> enabled = rules.enabled();
        if (enabled.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Map<String, Candidate> out = new LinkedHashMap<>();
        long now = System.currentTimeMillis();
        for (AlertRule rule : enabled) {
            boolean newIssue = AlertRule.NEW_ISSUE.equals(rule.trigger());
            if (!newIssue && !AlertRule.EVENT_COUNT.equals(rule.trigger())) {
                continue;
            }
            for (Event e : events) {
                if (newIssue && !newGroups.contains(e.groupId())) {
                    continue;
                }
                if (!matches(rule, e, tags.get(e.eventId()))) {
                    continue;
                }
                if (newIssue) {
                    out.putIfAbsent(
                            rule.id() + "\u0000" + e.groupId(),
                            new Candidate(
                                    rule,
                                    e.groupId(),
                                    rule.trigger(),
                                    e.projectId(),
                                    e.groupId(),
                                    e.workflow(),
                                    e.severity(),
                                    "New issue: " + e.title()));
                    continue;
                }
                String key =
                        switch (rule.per()) {
                            case "workflow" -> "workflow:" + e.projectId() + ":" + e.workflow();
                            case "project" -> "project:" + e.projectId();
                            default -> e.groupId();
                        };
                long seen = counts.add(rule, key, now);
                if (seen > rule.threshold()) {
                    String what =
                            switch (rule.per()) {
                                case "workflow" -> "workflow " + e.workflow();
                                case "project" -> "project " + e.projectId();
                                default -> e.title();
                            };
                    out.put(
                            rule.id() + "\u0000" + key,
                            new Candidate(
                                    rule,
                                    key,
                                    rule.trigger(),
                                    e.projectId(),
                                    "group".equals(rule.per()) ? e.groupId() : null,
                                    e.workflow(),
                                    e.severity(),
                                    "More than " + rule.threshold() + " events in " + rule.windowSeconds() + " s: "
                                            + what));
                }
            }
        }
        return write(conn, new ArrayList<>(out.values()));
    }

    static boolean matches(AlertRule rule, Event e, Map<String, String> tags) {
        if (!(rule.accepts("project", e.projectId())
                && rule.accepts("environment", e.environment())
                && rule.accepts("release", e.release())
                && rule.accepts("severity", e.severity())
                && rule.accepts("category", e.category())
                && rule.accepts("impact", e.businessImpact())
                && rule.accepts("workflow", e.workflow()))) {
            return false;
        }
        List<String> wanted = rule.filters().get("tag");
        if (wanted == null) {
            return true;
        }
        if (tags == null) {
            return false;
        }
        for (String kv : wanted) {
            int eq = kv.indexOf('=');
            if (kv.substring(eq + 1).equals(tags.get(kv.substring(0, eq)))) {
                return true;
            }
        }
        return false;
    }

    static Uni<Void> write(SqlConnection conn, List<Candidate> candidates) {
        if (candidates.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        // key order: concurrent batches take the throttle rows' locks in the same order
        candidates.sort(Comparator.comparingLong((Candidate c) -> c.rule().id()).thenComparing(Candidate::key));
        int n = candidates.size();
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
            Candidate c = candidates.get(i);
            ids[i] = c.rule().id();
            keys[i] = clip(c.key(), 300);
            intervals[i] = c.rule().actionIntervalSeconds();
            triggers[i] = c.trigger();
            projects[i] = clip(c.project(), 100);
            groups[i] = clip(c.group(), 160);
            workflows[i] = clip(c.workflow(), 100);
            severities[i] = clip(c.severity(), 32);
            titles[i] = c.title();
        }
        return conn.preparedQuery(INSERT)
                .execute(Tuple.tuple(
                        List.of(ids, keys, intervals, triggers, projects, groups, workflows, severities, titles)))
                .replaceWithVoid();
    }

    /** The alert a detector's signal fires, written in the signal's own transaction. */
    public Uni<Void> onSignal(Mutiny.Session session, Signal s) {
        String trigger = s.getType();
        if (!AlertRule.REGRESSION.equals(trigger) && !AlertRule.SLO_BURN.equals(trigger)) {
            return Uni.createFrom().voidItem();
        }
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (AlertRule rule : rules.enabled()) {
            if (!trigger.equals(rule.trigger()) || !matches(rule, s)) {
                continue;
            }
            String key = s.getGroupId() != null
                    ? s.getGroupId()
                    : s.getWorkflow() != null
                            ? "workflow:" + s.getProjectId() + ":" + s.getWorkflow()
                            : "project:" + s.getProjectId();
            String title = (AlertRule.REGRESSION.equals(trigger) ? "Regression: " : "SLO burn: ")
                    + (s.getMessage() == null || s.getMessage().isBlank() ? key : s.getMessage());
            chain = chain.chain(() -> session.createNativeQuery(INSERT.replace(
                            "unnest($1::int8[], $2::varchar[],"
                                    + " $3::int4[], $4::varchar[], $5::varchar[], $6::varchar[], $7::varchar[],"
                                    + " $8::varchar[], $9::text[])",
                            "(VALUES (CAST(?1 AS int8), CAST(?2 AS varchar),"
                                    + " CAST(?3 AS int4), CAST(?4 AS varchar), CAST(?5 AS varchar), CAST(?6 AS varchar),"
                                    + " CAST(?7 AS varchar), CAST(?8 AS varchar), CAST(?9 AS text)))"))
                    .setParameter(1, rule.id())
                    .setParameter(2, clip(key, 300))
                    .setParameter(3, rule.actionIntervalSeconds())
                    .setParameter(4, trigger)
                    .setParameter(5, clip(s.getProjectId(), 100))
                    .setParameter(6, clip(s.getGroupId(), 160))
                    .setParameter(7, clip(s.getWorkflow(), 100))
                    .setParameter(8, clip(s.getSeverity(), 32))
                    .setParameter(9, title)
                    .executeUpdate()
                    .replaceWithVoid());
        }
        return chain;
    }

    private static boolean matches(AlertRule rule, Signal s) {
        for (String only : List.of("environment", "release", "category", "impact", "tag")) {
            if (rule.filters().containsKey(only)) {
                return false;
            }
        }
        return rule.accepts("project", s.getProjectId())
                && rule.accepts("workflow", s.getWorkflow())
                && rule.accepts("severity", s.getSeverity());
    }

    private static String clip(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
