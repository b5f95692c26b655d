package io.faultline.impact.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One event whole: {@code event} is the scrubbed event as ingest accepted it (every field of the
 * ErrorEvent schema, the exception chain root cause first with its frames caller first, as in
 * Sentry), beside what the pipeline decided about it. {@code olderEventId} and {@code newerEventId}
 * are its neighbours in its group, for paging one event at a time; null at either end.
 */
public record EventDetail(
        String eventId,
        String groupId,
        String projectId,
        Instant occurredAt,
        String title,
        String culprit,
        Classification classification,
        String olderEventId,
        String newerEventId,
        JsonNode event) {

    /** The classifier's decision, as stored with the event. */
    public record Classification(String severity, String category, String businessImpact, String workflow) {}
}
