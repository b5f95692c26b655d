package io.faultline.impact.model;

import java.time.Instant;

/** One stored resolver audit entry. */
public record ResolutionEntry(
        String entryId,
        String attemptId,
        String groupId,
        String projectId,
        String eventId,
        Instant timestamp,
        String phase,
        String runbookId,
        String action,
        String strategy,
        int attempt,
        boolean dryRun,
        String severity,
        String message) {}
