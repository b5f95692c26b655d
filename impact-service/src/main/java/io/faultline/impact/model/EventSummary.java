package io.faultline.impact.model;

import java.time.Instant;

/** One event of a group's list: what tells it from its neighbours; its id opens the whole event. */
public record EventSummary(
        String eventId,
        String groupId,
        Instant occurredAt,
        Instant receivedAt,
        String level,
        String release,
        String environment,
        String message) {}
