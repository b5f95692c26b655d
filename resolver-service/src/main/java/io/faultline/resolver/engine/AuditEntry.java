package io.faultline.resolver.engine;

import java.time.Instant;
import java.util.Map;

/**
 * One line of the resolver's audit trail.
 *
 * @param entryId derived from the attempt, phase, action and try, so a step recorded twice (a
 *     redelivery) has the same id and consumers deduplicate it
 * @param message and {@code details} are {@linkplain AuditRedaction redacted}: no credential of a
 *     runbook reaches the trail
 */
public record AuditEntry(
        String entryId,
        String attemptId,
        String groupId,
        String projectId,
        String eventId,
        Instant timestamp,
        Phase phase,
        String runbookId,
        String action,
        String strategy,
        int attempt,
        boolean dryRun,
        String severity,
        String message,
        Map<String, String> details) {

    public AuditEntry {
        message = AuditRedaction.text(message);
        details = Map.copyOf(AuditRedaction.details(details));
    }
}
