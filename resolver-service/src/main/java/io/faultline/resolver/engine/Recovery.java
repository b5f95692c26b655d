package io.faultline.resolver.engine;

import static io.faultline.resolver.engine.AuditRecorder.details;

import io.faultline.resolver.runbook.ActionSpec;
import io.faultline.resolver.runbook.Runbook;
import io.faultline.resolver.runbook.RunbooksInForce;
import io.faultline.resolver.runbook.Trigger;
import io.faultline.resolver.runbook.VerificationSpec;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Resumes the attempts the previous process left unfinished, each from the last step its journal
 * recorded. Completed actions are never run again. A pending retry or approval waits for what is
 * left of its delay. A verification judges the window after its action, as it would have without
 * the restart: the errors are read back from the classified topic, not from memory. An action
 * that was running when the process died may or may not have taken effect: it is not repeated;
 * its verification judges it, and without one the attempt is escalated to a human.
 */
final class Recovery {

    private static final Logger LOG = Logger.getLogger(Recovery.class);

    private final RunbooksInForce runbooks;
    private final boolean dryRun;
    private final Clock clock;
    private final AttemptJournal journal;
    private final AuditRecorder audit;
    private final ActiveAttempts active;
    private final Escalator escalator;
    private final AttemptFlow flow;

    Recovery(
            RunbooksInForce runbooks,
            boolean dryRun,
            Clock clock,
            AttemptJournal journal,
            AuditRecorder audit,
            ActiveAttempts active,
            Escalator escalator,
            AttemptFlow flow) {
        this.runbooks = runbooks;
        this.dryRun = dryRun;
        this.clock = clock;
        this.journal = journal;
        this.audit = audit;
        this.active = active;
        this.escalator = escalator;
        this.flow = flow;
    }

    /**
     * Drops the claims whose trigger was never known to be committed (the process died between the
     * claim and the commit): the record is redelivered from the group's committed offset, to
     * another resolver or to this one, and whichever gets it claims the attempt afresh. Resuming
     * such a claim here as well would run its actions twice. Called before any trigger is consumed.
     *
     * @return the unfinished attempts left to {@link #resumeInterrupted}: taken now, as claims made
     *     once triggers flow are not the previous process's
     */
    List<AttemptJournal.Unfinished> handOverUncommitted(CommittedOffsets offsets) {
        List<AttemptJournal.Unfinished> left = new ArrayList<>();
        // Kafka found unreachable once is not asked again: each try holds the start-up for seconds
        CommittedOffsets[] asking = {offsets};
        for (AttemptJournal.Unfinished u : journal.unfinished()) {
            AttemptJournal.Entry last = u.last();
            if (last.step().orElse(null) != JournalStep.CLAIMED) {
                left.add(u);
                continue;
            }
            if (committedBeforeTheCrash(u, asking)) {
                // killed between the commit and its journal step: the trigger is redelivered to no
                // one, unless another resolver already had it (our commit never went through, its
                // own did): the two cannot be told apart, so a human decides (in resumeInterrupted,
                // off the start-up path, as notifying may take seconds)
                left.add(u);
                continue;
            }
            journal.finish(last.attemptId(), AttemptOutcome.HANDED_OVER, clock.instant());
            Optional<Runbook> runbook = runbooks.current().stream()
                    .filter(r -> r.id().equals(last.runbookId()))
                    .findFirst();
            if (runbook.isPresent() && u.claim() != null && u.claim().trigger() != null) {
                Attempt run = new Attempt(
                        last.attemptId(),
                        runbook.get(),
                        u.claim().trigger(),
                        dryRun || runbook.get().dryRun());
                audit.record(
                        run,
                        Phase.SKIPPED,
                        null,
                        0,
                        "claim dropped after a restart: its trigger was not committed, so the resolver it is"
                                + " redelivered to decides it; nothing had run",
                        details("reason", "handed_over"));
            } else {
                LOG.infof(
                        "claim of attempt %s dropped after a restart: its trigger was not committed", last.attemptId());
            }
        }
        return left;
    }

    /** A bare claim whose record the group committed past: not redelivered, perhaps already acted on elsewhere. */
    private static boolean committedBeforeTheCrash(AttemptJournal.Unfinished u, CommittedOffsets[] offsets) {
        Optional<TriggerRecord> record =
                u.claim() == null ? Optional.empty() : u.claim().record();
        if (record.isEmpty()) {
            return false;
        }
        try {
            return offsets[0].committedPast(record.get());
        } catch (RuntimeException e) {
            offsets[0] = CommittedOffsets.NONE;
            LOG.warnf(
                    e,
                    "whether the trigger of claim %s (%s) was committed cannot be told, Kafka unreachable: the claim is"
                            + " dropped; if it was committed, nobody is redelivered the trigger and the attempt is lost",
                    u.last().attemptId(),
                    record.get());
            return false;
        }
    }

    void resumeInterrupted(List<AttemptJournal.Unfinished> unfinished) {
        Instant now = clock.instant();
        for (AttemptJournal.Unfinished u : unfinished) {
            try {
                resume(u, now);
            } catch (RuntimeException e) {
                LOG.errorf(e, "attempt %s could not be resumed", u.last().attemptId());
                escalator.escalateUnresumable(u.last(), "it could not be resumed after a restart: " + e.getMessage());
            }
        }
    }

    private void resume(AttemptJournal.Unfinished u, Instant now) {
        AttemptJournal.Entry last = u.last();
        if (last.step().orElse(null) == JournalStep.CLAIMED) {
            escalator.escalateUnresumable(
                    last,
                    "the resolver restarted after committing this attempt's trigger but before recording that:"
                            + " whether another resolver was redelivered it before the commit cannot be told; nothing"
                            + " ran here, so that nothing runs twice");
            return;
        }
        Optional<Runbook> runbook = runbooks.current().stream()
                .filter(r -> r.id().equals(last.runbookId()))
                .findFirst();
        Trigger trigger = u.claim() == null ? null : u.claim().trigger();
        int index = last.actionIndex() == null ? 0 : last.actionIndex();
        if (trigger == null
                || runbook.isEmpty()
                || index >= runbook.get().actions().size()) {
            escalator.escalateUnresumable(
                    last,
                    runbook.isEmpty()
                            ? "the resolver restarted while this attempt ran and runbook '" + last.runbookId()
                                    + "' no longer exists"
                            : "the resolver restarted while this attempt ran and its journal entry cannot be resumed");
            return;
        }
        Attempt run = new Attempt(
                last.attemptId(),
                runbook.get(),
                trigger,
                dryRun || runbook.get().dryRun());
        run.approvedBy = last.approvedBy();
        if (!active.activate(run)) {
            // two unfinished attempts of one runbook on one group (two windows): resume one only,
            // as one runs at a time, and hand the other to a human rather than leave it in limbo
            escalator.escalateUnresumable(
                    last,
                    "the resolver restarted while this attempt ran, and another attempt of runbook '" + last.runbookId()
                            + "' on the same group was resumed instead");
            return;
        }
        int attempt = last.tryNumber() == null ? 1 : last.tryNumber();
        ActionSpec action = run.action(index);
        JournalStep step =
                last.step().orElseThrow(() -> new IllegalStateException("unknown journal step " + last.state()));
        Map<String, String> details = details(
                "step",
                step.wireName(),
                "action",
                action.name(),
                "try",
                String.valueOf(attempt),
                "stepAt",
                String.valueOf(last.at()));
        switch (step) {
            case CLAIMED, COMMITTED -> {
                // CLAIMED never gets here: handOverUncommitted dropped it
                resumed(run, null, 0, "no action had run yet", details);
                flow.begin(run);
            }
            case AWAITING_APPROVAL -> {
                resumed(run, null, 0, "still waiting for approval", details);
                flow.approvals().await(run, last.dueAt() == null ? now : last.dueAt());
            }
            case RETRY_SCHEDULED -> {
                flow.gate().hold(run, action);
                resumed(run, action, attempt, "try " + attempt + " is due", details);
                flow.scheduleTry(run, index, attempt, last.dueAt() == null ? now : last.dueAt());
            }
            case VERIFYING -> {
                flow.gate().hold(run, action);
                VerificationSpec spec = run.runbook.verification().orElseThrow();
                resumed(
                        run,
                        action,
                        attempt,
                        "the action is not repeated; its verification judges the window after it",
                        details);
                flow.verifier().schedule(run, index, attempt, spec, last.at() == null ? now : last.at());
            }
            case ACTION_STARTED -> {
                if (run.runbook.verification().isPresent()) {
                    flow.gate().hold(run, action);
                }
                resumed(
                        run,
                        action,
                        attempt,
                        "action '" + action.name() + "' was running and is not run again",
                        details);
                flow.judgeUnknown(
                        run,
                        index,
                        attempt,
                        "the resolver stopped while action '" + action.name() + "' ran; it was not run again"
                                + " (it may or may not have taken effect)");
            }
        }
    }

    private void resumed(Attempt run, ActionSpec action, int attempt, String how, Map<String, String> details) {
        audit.record(run, Phase.RESUMED, action, attempt, "resumed after a restart: " + how, details);
    }
}
