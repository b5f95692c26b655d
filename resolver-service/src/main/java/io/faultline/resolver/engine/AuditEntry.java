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

    /** An entry of this phase; what is not set is null, 0, false, "" or empty. */
    public static Builder of(Phase phase) {
        return new Builder(phase);
    }

    /** Builds an entry by name, not by the position of fifteen arguments. */
    public static final class Builder {
        private final Phase phase;
        private String entryId;
        private String attemptId;
        private String groupId;
        private String projectId;
        private String eventId;
        private Instant timestamp;
        private String runbookId;
        private String action;
        private String strategy;
        private int attempt;
        private boolean dryRun;
        private String severity;
        private String message = "";
        private Map<String, String> details = Map.of();

        private Builder(Phase phase) {
            this.phase = phase;
        }

        public Builder ids(String entryId, String attemptId) {
            this.entryId = entryId;
            this.attemptId = attemptId;
            return this;
        }

        public Builder subject(String groupId, String projectId, String eventId, String severity) {
            this.groupId = groupId;
            this.projectId = projectId;
            this.eventId = eventId;
            this.severity = severity;
            return this;
        }

        public Builder at(Instant timestamp) {
            this.timestamp = timestamp;
            return this;
        }

        public Builder runbook(String runbookId, boolean dryRun) {
            this.runbookId = runbookId;
            this.dryRun = dryRun;
            return this;
        }

        public Builder action(String action, String strategy, int attempt) {
            this.action = action;
            this.strategy = strategy;
            this.attempt = attempt;
            return this;
        }

        public Builder message(String message, Map<String, String> details) {
            this.message = message == null ? "" : message;
            this.details = details;
            return this;
        }

        public AuditEntry build() {
            return new AuditEntry(
                    entryId, attemptId, groupId, projectId, eventId, timestamp, phase, runbookId, action, strategy,
                    attempt, dryRun, severity, message, details);
        }
    }
}
