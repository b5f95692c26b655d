package io.faultline.resolver.engine;

import io.faultline.resolver.runbook.ActionSpec;
import io.faultline.resolver.runbook.Trigger;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.jboss.logging.Logger;

/** Writes the engine's steps to the {@link AuditTrail}, each with an id a redelivery repeats. */
final class AuditRecorder {

    private static final Logger LOG = Logger.getLogger(AuditRecorder.class);

    private final AuditTrail trail;
    private final Clock clock;

    AuditRecorder(AuditTrail trail, Clock clock) {
        this.trail = trail;
        this.clock = clock;
    }

    /** A step of an attempt; {@code attempt} is the try number, 0 for a step of no try. */
    CompletionStage<Void> record(
            Attempt run, Phase phase, ActionSpec action, int attempt, String message, Map<String, String> details) {
        String actionName = action == null ? null : action.name();
        Trigger t = run.trigger;
        CompletionStage<Void> stored = trail.record(AuditEntry.of(phase)
                .ids(
                        run.attemptId + ":" + phase.wireName() + ":" + (actionName == null ? "-" : actionName) + ":"
                                + attempt,
                        run.attemptId)
                .subject(t.groupId(), t.projectId(), t.eventId(), t.severity())
                .at(clock.instant())
                .runbook(run.runbook.id(), run.dryRun)
                .action(actionName, action == null ? null : action.strategy(), attempt)
                .message(message, details)
                .build());
        stored.whenComplete((ok, error) -> {
            if (error != null) {
                LOG.errorf(
                        "audit entry %s of %s was not stored: %s", phase.wireName(), run.attemptId, error.toString());
            }
        });
        return stored;
    }

    /** The decision that no runbook applies to the trigger. */
    CompletionStage<Void> noRunbook(Trigger trigger, Instant now) {
        return trail.record(AuditEntry.of(Phase.NO_RUNBOOK_MATCHED)
                .ids("decision:" + trigger.eventId(), "decision:" + trigger.eventId())
                .subject(trigger.groupId(), trigger.projectId(), trigger.eventId(), trigger.severity())
                .at(now)
                .message(
                        "no runbook matches this error group",
                        details("category", trigger.category(), "businessImpact", trigger.businessImpact()))
                .build());
    }

    /** The escalation of an attempt found unfinished after a restart that could not be resumed. */
    void interrupted(AttemptJournal.Entry e, String why, Map<String, String> delivered) {
        trail.record(AuditEntry.of(Phase.ESCALATED)
                .ids(e.attemptId() + ":escalated:interrupted", e.attemptId())
                .subject(e.groupId(), e.projectId(), null, e.severity())
                .at(clock.instant())
                .runbook(e.runbookId(), false)
                .message(why, delivered)
                .build());
    }

    /** A map of the non-null pairs (audit details carry no nulls). */
    static Map<String, String> details(String... pairs) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            if (pairs[i + 1] != null) {
                out.put(pairs[i], pairs[i + 1]);
            }
        }
        return out;
    }
}
