package io.faultline.resolver.engine;

import static io.faultline.resolver.engine.AuditRecorder.details;

import io.faultline.resolver.engine.ResolutionEngine.ApprovalResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Attempts of runbooks that require approval, waiting for an operator (AWAITING_APPROVAL): an
 * approval runs the first action, a rejection skips the attempt, and no answer within the
 * approval timeout escalates it. Whichever comes first takes the attempt out of the waiting map;
 * the others find it gone.
 */
final class Approvals {

    private final Duration timeout;
    private final Clock clock;
    private final Scheduler scheduler;
    private final AttemptJournal journal;
    private final AuditRecorder audit;
    private final ActiveAttempts active;
    private final Escalator escalator;
    private final AttemptFlow flow;
    private final Map<String, Attempt> awaiting = new ConcurrentHashMap<>();

    Approvals(
            Duration timeout,
            EngineRuntime runtime,
            AttemptJournal journal,
            AuditRecorder audit,
            ActiveAttempts active,
            Escalator escalator,
            AttemptFlow flow) {
        this.timeout = timeout;
        this.clock = runtime.clock();
        this.scheduler = runtime.scheduler();
        this.journal = journal;
        this.audit = audit;
        this.active = active;
        this.escalator = escalator;
        this.flow = flow;
    }

    /** Asks an operator, until the approval timeout. */
    void request(Attempt run) {
        Instant expires = clock.instant().plus(timeout);
        journal.step(run.attemptId, JournalStep.AWAITING_APPROVAL, 0, 1, expires, null, clock.instant());
        await(run, expires);
        audit.record(
                run,
                Phase.PENDING_APPROVAL,
                null,
                0,
                "waiting for an operator to approve or reject",
                details("approve", "POST /api/v1/approvals/" + run.attemptId, "expiresIn", timeout.toString()));
    }

    /** Waits for an answer until {@code expires} (also for an approval resumed after a restart). */
    void await(Attempt run, Instant expires) {
        awaiting.put(run.attemptId, run);
        run.approvalTimeout = scheduler.schedule(
                () -> {
                    if (awaiting.remove(run.attemptId, run)) {
                        escalator.escalate(run, "no approval within " + timeout);
                    }
                },
                Duration.between(clock.instant(), expires));
    }

    /** An operator's answer to a pending approval. */
    ApprovalResult decide(String attemptId, boolean approve, String operator) {
        Attempt run = awaiting.remove(attemptId);
        if (run == null) {
            return ApprovalResult.NOT_PENDING;
        }
        if (run.approvalTimeout != null) {
            run.approvalTimeout.cancel();
        }
        if (approve) {
            run.approvedBy = operator;
            scheduler.execute(() -> flow.act(run, 0, 1));
            return ApprovalResult.APPROVED;
        }
        audit.record(run, Phase.SKIPPED, null, 0, "rejected by " + operator, details("reason", "rejected"));
        active.finish(run, AttemptOutcome.REJECTED);
        return ApprovalResult.REJECTED;
    }

    /** Attempt ids waiting for an operator. */
    List<String> pending() {
        return List.copyOf(awaiting.keySet());
    }
}
