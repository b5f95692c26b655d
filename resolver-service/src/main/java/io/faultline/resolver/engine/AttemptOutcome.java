package io.faultline.resolver.engine;

import java.util.Locale;

/** How an attempt ended, as its journal's last line records it ({@link #wireName()}). */
public enum AttemptOutcome {
    /** Its verification passed. */
    RESOLVED,
    /** An action took effect and the runbook has no verification. */
    ACTED_UNVERIFIED,
    /** A dry run: recorded what it would have done. */
    DRY_RUN,
    /** Another attempt was acting on its target. */
    SKIPPED,
    /** An operator rejected it. */
    REJECTED,
    /** Handed to a human. */
    ESCALATED,
    /** Found unfinished after a restart and could not be resumed: handed to a human. */
    INTERRUPTED,
    /**
     * Its claim was dropped before anything ran, as its trigger may reach another resolver (the
     * record's offset was not committed): that resolver, or this one when redelivered the trigger,
     * decides it afresh. The journal forgets the attempt.
     */
    HANDED_OVER;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
