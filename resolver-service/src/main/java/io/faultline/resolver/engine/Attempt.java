package io.faultline.resolver.engine;

import io.faultline.resolver.runbook.ActionSpec;
import io.faultline.resolver.runbook.Runbook;
import io.faultline.resolver.runbook.Trigger;

/**
 * One attempt in flight: its runbook, its trigger, and the little state its steps share. Each
 * attempt has one step in flight at a time, so this needs no locking beyond the approval hand-off
 * ({@link Approvals}) and the watchdog's race with a late answer ({@link ActionInvoker}).
 */
final class Attempt {
    final String attemptId;
    final Runbook runbook;
    final Trigger trigger;
    final boolean dryRun;
    volatile String heldTarget;
    volatile String approvedBy;
    volatile Scheduler.Timer approvalTimeout;
    /** Verifications of this attempt whose errors could not be read (one at a time: no race). */
    int unreadVerifications;

    Attempt(String attemptId, Runbook runbook, Trigger trigger, boolean dryRun) {
        this.attemptId = attemptId;
        this.runbook = runbook;
        this.trigger = trigger;
        this.dryRun = dryRun;
    }

    ActionSpec action(int index) {
        return runbook.actions().get(index);
    }

    /** One attempt per runbook and group runs at a time. */
    String activeKey() {
        return runbook.id() + '\0' + trigger.groupId();
    }
}
