package io.faultline.resolver.service;

import io.faultline.schemas.ClassifiedError;
import io.faultline.schemas.ResolutionEvent;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.Map;

/**
 * Decides what to do about a classified error. With no runbook loaded the decision is always
 * "no runbook matched", recorded so the audit trail shows every error was considered.
 */
@ApplicationScoped
public class ResolutionDecider {

    private final Clock clock;

    public ResolutionDecider() {
        this(Clock.systemUTC());
    }

    ResolutionDecider(Clock clock) {
        this.clock = clock;
    }

    public ResolutionEvent decide(ClassifiedError classified) {
        String eventId = classified.getEvent().getEventId();
        // derived from the event id: a redelivered event yields the same entry, which consumers dedupe
        String entryId = "decision:" + eventId;
        return ResolutionEvent.newBuilder()
                .setEntryId(entryId)
                .setAttemptId(entryId)
                .setGroupId(classified.getGroupId())
                .setProjectId(classified.getEvent().getProjectId())
                .setEventId(eventId)
                .setTimestamp(clock.instant())
                .setPhase("no_runbook_matched")
                .setSeverity(classified.getClassification().getSeverity())
                .setMessage("no runbook matches this error group")
                .setDetails(Map.of(
                        "category", classified.getClassification().getCategory(),
                        "businessImpact", classified.getClassification().getBusinessImpact()))
                .build();
    }
}
