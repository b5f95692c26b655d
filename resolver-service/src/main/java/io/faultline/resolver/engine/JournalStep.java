package io.faultline.resolver.engine;

import java.util.Locale;
import java.util.Optional;

/**
 * The states of an unfinished attempt, as its journal records them: the state machine the engine
 * resumes from after a restart. {@link #wireName()} is what the journal file carries (the same
 * names the journal has always written, so a journal of an earlier version is read as it was).
 *
 * <pre>
 * CLAIMED ──▶ COMMITTED ──▶ AWAITING_APPROVAL ──▶ ACTION_STARTED ◀──▶ RETRY_SCHEDULED
 *                 └─────────────────────────────▶   │      ▲
 *                                                   ▼      │ failed: next action
 *                                                  VERIFYING
 * </pre>
 *
 * Every state may also end the attempt with an {@link AttemptOutcome} (docs/resolver.md).
 */
public enum JournalStep {
    /**
     * Claimed, nothing run yet, and its trigger may still be redelivered to another resolver (its
     * record's offset is not known to be committed): after a restart the claim is dropped, not
     * resumed, and whichever resolver is redelivered the trigger decides it.
     */
    CLAIMED,
    /**
     * Claimed, nothing run yet, and its trigger can no longer reach another resolver (its record's
     * offset is committed): from here on only this resolver runs the attempt, after a restart too.
     */
    COMMITTED,
    /** Waiting for an operator until {@code dueAt}. */
    AWAITING_APPROVAL,
    /** Action {@code actionIndex}, try {@code tryNumber}, was about to be (or was being) called. */
    ACTION_STARTED,
    /** Action {@code actionIndex} failed; try {@code tryNumber} is due at {@code dueAt}. */
    RETRY_SCHEDULED,
    /** Action {@code actionIndex} took effect at {@code at}; its verification is due at {@code dueAt}. */
    VERIFYING;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The step a journal line names; empty for an outcome (the attempt is finished). */
    public static Optional<JournalStep> of(String wireName) {
        for (JournalStep step : values()) {
            if (step.wireName().equals(wireName)) {
                return Optional.of(step);
            }
        }
        return Optional.empty();
    }
}
