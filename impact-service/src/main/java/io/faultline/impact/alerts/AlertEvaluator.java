package io.faultline.impact.alerts;

import io.faultline.impact.repository.AlertOutbox;
import io.faultline.impact.repository.AlertOutbox.Alert;
import io.faultline.impact.repository.AlertRuleStore;
import io.faultline.impact.service.ClassifiedBatch.Event;
import io.faultline.schemas.Signal;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
        Map<String, Alert> out = new LinkedHashMap<>();
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
                            new Alert(
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
                            new Alert(
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
        return AlertOutbox.fire(conn, new ArrayList<>(out.values()));
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

    /** The alert a detector's signal fires, written in the signal's own transaction. */
    public Uni<Void> onSignal(SqlConnection conn, Signal s) {
        String trigger = s.getType();
        if (!AlertRule.REGRESSION.equals(trigger) && !AlertRule.SLO_BURN.equals(trigger)) {
            return Uni.createFrom().voidItem();
        }
        List<Alert> fired = new ArrayList<>();
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
            fired.add(new Alert(
                    rule, key, trigger, s.getProjectId(), s.getGroupId(), s.getWorkflow(), s.getSeverity(), title));
        }
        return AlertOutbox.fire(conn, fired);
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
}
