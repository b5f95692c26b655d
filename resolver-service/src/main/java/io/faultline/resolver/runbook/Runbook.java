package io.faultline.resolver.runbook;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A remediation recipe, loaded from the operator's runbook file.
 *
 * @param window the trigger window: every trigger of one group within one window belongs to the
 *     same attempt, so redelivered or repeated errors never start the actions again; and no new
 *     attempt starts within a window after the last one ended
 * @param maxActionsPerHour action executions allowed per hour for this runbook; beyond it the
 *     resolver stops acting (its own circuit breaker) and escalates
 */
public record Runbook(
        String id,
        String description,
        boolean enabled,
        boolean dryRun,
        boolean requireApproval,
        Duration window,
        int maxActionsPerHour,
        MatchCriteria match,
        List<ActionSpec> actions,
        Optional<VerificationSpec> verification,
        EscalationSpec escalation) {

    public Runbook {
        actions = List.copyOf(actions);
    }
}
