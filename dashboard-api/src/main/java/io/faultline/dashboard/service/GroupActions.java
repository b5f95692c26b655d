package io.faultline.dashboard.service;

import io.faultline.schemas.ResolutionEvent;
import io.faultline.schemas.topics.Topics;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.common.serialization.Serializer;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;

/**
 * A person's action on an error group (resolve, ignore, reopen, acknowledge), recorded as a
 * {@link ResolutionEvent} on {@code faultline.resolutions.v1}, the resolution audit trail: phase
 * {@code action_succeeded}, strategy {@code manual}, action {@code manual_<action>}, the actor and
 * note in {@code details}. The impact-service has no write endpoint for group state, so the audit
 * topic is where manual actions live; whoever consumes it (impact-service, the feed) sees them.
 */
@ApplicationScoped
public class GroupActions {

    public static final Set<String> ACTIONS =
            Set.of("resolve", "resolve_in_release", "ignore", "reopen", "acknowledge", "relabel");

    private static final Logger LOG = Logger.getLogger(GroupActions.class);

    /** What was recorded. */
    public record Recorded(String entryId, String groupId, String action, String actor, Instant at) {}

    private final MutinyEmitter<Record<String, byte[]>> audit;
    private final Serializer<ResolutionEvent> serializer =
            Topics.RESOLUTIONS.valueSerde().serializer();
    private final Clock clock = Clock.systemUTC();

    public GroupActions(@Channel("dashboard-actions") MutinyEmitter<Record<String, byte[]>> audit) {
        this.audit = audit;
    }

    /** When an ignored group wakes up: at an instant, after more occurrences, or whichever comes first. */
    public record IgnoreCondition(Instant until, Long untilOccurrences) {}

    /** Labels an operator pins on a group; null fields are left to the classification rules. */
    public record Labels(String severity, String category, String businessImpact, String workflow) {}

    /** Completes once the broker has acknowledged the audit record. */
    public Uni<Recorded> record(String groupId, String projectId, String action, String actor, String note) {
        return record(groupId, projectId, action, actor, note, null);
    }

    /**
     * A resolve in the next release: the release the fix comes after travels in the entry's details
     * ({@code release}), where the classifier and the impact-service read it (docs/releases.md).
     */
    public Uni<Recorded> resolveInRelease(String groupId, String projectId, String actor, String note, String release) {
        return write(groupId, projectId, "resolve_in_release", actor, note, Map.of("release", release));
    }

    /** A relabel: the labels travel in the entry's details, where the classifier reads them. */
    public Uni<Recorded> relabel(String groupId, String projectId, String actor, String note, Labels labels) {
        Map<String, String> extra = new LinkedHashMap<>();
        putIfSet(extra, "severity", labels.severity());
        putIfSet(extra, "category", labels.category());
        putIfSet(extra, "businessImpact", labels.businessImpact());
        putIfSet(extra, "workflow", labels.workflow());
        return write(groupId, projectId, "relabel", actor, note, extra);
    }

    private static void putIfSet(Map<String, String> map, String key, String value) {
        if (value != null && !value.isBlank()) {
            map.put(key, value);
        }
    }

    /**
     * Completes once the broker has acknowledged the audit record; an ignore's until-condition
     * travels in the entry's details ({@code ignoreUntil}, {@code ignoreUntilOccurrences}), where
     * the classifier reads it.
     */
    public Uni<Recorded> record(
            String groupId, String projectId, String action, String actor, String note, IgnoreCondition ignore) {
        Map<String, String> extra = new LinkedHashMap<>();
        if (ignore != null && ignore.until() != null) {
            extra.put("ignoreUntil", ignore.until().toString());
        }
        if (ignore != null && ignore.untilOccurrences() != null) {
            extra.put("ignoreUntilOccurrences", ignore.untilOccurrences().toString());
        }
        return write(groupId, projectId, action, actor, note, extra);
    }

    private Uni<Recorded> write(
            String groupId, String projectId, String action, String actor, String note, Map<String, String> extra) {
        String normalised = action.toLowerCase(Locale.ROOT);
        if (!ACTIONS.contains(normalised)) {
            return Uni.createFrom().failure(new IllegalArgumentException("unknown action " + action));
        }
        Instant now = clock.instant();
        String entryId = UUID.randomUUID().toString();
        ResolutionEvent event = ResolutionEvent.newBuilder()
                .setEntryId(entryId)
                .setAttemptId(entryId)
                .setGroupId(groupId)
                .setProjectId(projectId)
                .setTimestamp(now)
                .setPhase("action_succeeded")
                .setAction("manual_" + normalised)
                .setStrategy("manual")
                .setMessage(
                        actor + " " + describe(normalised, extra) + (note == null || note.isBlank() ? "" : ": " + note))
                .setDetails(details(actor, note, extra))
                .build();
        byte[] value = serializer.serialize(Topics.RESOLUTIONS.name(), event);
        return audit.send(Record.of(groupId, value)).map(ignored -> {
            LOG.infof("audit: %s %s group %s (project %s)", actor, normalised, groupId, projectId);
            return new Recorded(entryId, groupId, normalised, actor, now);
        });
    }

    private static Map<String, String> details(String actor, String note, Map<String, String> extra) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("actor", actor);
        details.put("note", note == null ? "" : note);
        details.put("source", "dashboard");
        details.putAll(extra);
        return details;
    }

    private static String describe(String action, Map<String, String> extra) {
        if (action.equals("resolve_in_release")) {
            return "marked the group resolved in the release after " + extra.get("release");
        }
        if (action.equals("relabel")) {
            return extra.isEmpty() ? "lifted the group's labels" : "relabelled the group " + extra;
        }
        return "marked the group " + pastTense(action);
    }

    private static String pastTense(String action) {
        return switch (action) {
            case "resolve" -> "resolved";
            case "ignore" -> "ignored";
            case "reopen" -> "reopened";
            default -> "acknowledged";
        };
    }
}
