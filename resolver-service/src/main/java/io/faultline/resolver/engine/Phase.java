package io.faultline.resolver.engine;

import java.util.Locale;

/** The steps an attempt records on the audit trail; {@link #wireName()} is what the topic carries. */
public enum Phase {
    NO_RUNBOOK_MATCHED,
    MATCHED,
    PENDING_APPROVAL,
    /** An attempt picked up again after the resolver restarted, from its last journalled step. */
    RESUMED,
    ACTION_STARTED,
    ACTION_SUCCEEDED,
    ACTION_FAILED,
    VERIFICATION_PASSED,
    VERIFICATION_FAILED,
    ESCALATED,
    SKIPPED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
