package io.faultline.resolver.engine;

import static io.faultline.resolver.engine.AuditRecorder.details;

import io.faultline.resolver.runbook.Runbook;
import io.faultline.resolver.runbook.RunbookMatcher;
import io.faultline.resolver.runbook.RunbooksInForce;
import io.faultline.resolver.runbook.Trigger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * Decides what a trigger starts: nothing (no runbook, or an attempt of the runbook on the group
 * is running, or ended less than a window ago), or a new attempt, durably claimed before the
 * trigger may be acknowledged, and started once the transport has committed the trigger's record
 * ({@link Claim}).
 */
final class Admission {

    /** A group without a runbook gets its "no runbook matched" entry at most this often. */
    static final Duration UNMATCHED_EVERY = Duration.ofMinutes(10);

    private static final int UNMATCHED_GROUPS_KEPT = 100_000;
    private static final CompletionStage<Claim> NOTHING = CompletableFuture.completedFuture(Claim.NONE);

    private final RunbooksInForce runbooks;
    private final boolean dryRun;
    private final Clock clock;
    private final Scheduler scheduler;
    private final AttemptJournal journal;
    private final AuditRecorder audit;
    private final ActiveAttempts active;
    private final AttemptFlow flow;
    /** When each group's "no runbook matched" decision was last recorded; the most recent groups. */
    private final Map<String, Instant> unmatchedRecorded =
            Collections.synchronizedMap(new LinkedHashMap<>(1024, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
                    return size() > UNMATCHED_GROUPS_KEPT;
                }
            });

    Admission(
            RunbooksInForce runbooks,
            boolean dryRun,
            EngineRuntime runtime,
            AttemptJournal journal,
            AuditRecorder audit,
            ActiveAttempts active,
            AttemptFlow flow) {
        this.runbooks = runbooks;
        this.dryRun = dryRun;
        this.clock = runtime.clock();
        this.scheduler = runtime.scheduler();
        this.journal = journal;
        this.audit = audit;
        this.active = active;
        this.flow = flow;
    }

    /**
     * The returned stage completes once the decision is durable (claimed, audit entry stored); a
     * claimed attempt runs nothing until {@link Claim#start()}.
     */
    CompletionStage<Claim> admit(Trigger trigger, TriggerRecord record) {
        Instant now = clock.instant();
        Optional<Runbook> match = RunbookMatcher.firstMatch(runbooks.current(), trigger);
        if (match.isEmpty()) {
            // once per group per window, not once per error: at thousands of errors a second the
            // trail (and the impact-service's table of it) would fill with the same decision, and
            // the entries that matter would queue behind them
            Instant recorded = unmatchedRecorded.get(trigger.groupId());
            if (recorded != null && now.isBefore(recorded.plus(UNMATCHED_EVERY))) {
                return NOTHING;
            }
            return audit.noRunbook(trigger, now).thenApply(v -> {
                unmatchedRecorded.put(trigger.groupId(), now);
                return Claim.NONE;
            });
        }
        Runbook runbook = match.get();
        Optional<Instant> ended = journal.lastEnded(runbook.id(), trigger.groupId());
        if (ended.isPresent() && trigger.occurredAt().isBefore(ended.get().plus(runbook.window()))) {
            // one attempt per group per window, counted from the end of the last one: otherwise an
            // escalation at 10:00:05 of an attempt begun at 09:59:50 lets the error of 10:00:06
            // start the same actions (and page again) in the next window
            return NOTHING;
        }
        String attemptId = AttemptIds.of(runbook.id(), trigger.groupId(), trigger.occurredAt(), runbook.window());
        Attempt run = new Attempt(attemptId, runbook, trigger, dryRun || runbook.dryRun());
        // one attempt per runbook and group at a time: later errors of the group feed its verification
        if (journal.known(attemptId) || !active.activate(run)) {
            return NOTHING;
        }
        if (!journal.claim(AttemptJournal.Entry.claim(attemptId, runbook.id(), trigger, now, record))) {
            active.deactivate(run);
            return NOTHING;
        }
        CompletionStage<Void> recorded = audit.record(
                run,
                Phase.MATCHED,
                null,
                0,
                "runbook '" + runbook.id() + "' matched",
                details(
                        "description",
                        runbook.description(),
                        "actions",
                        String.valueOf(runbook.actions().size())));
        return recorded.handle((v, failed) -> {
            if (failed != null) {
                // the trigger goes to the dead-letter topic: a claim left behind would hold the
                // group's runbook here and be dropped at the next start anyway
                active.finish(run, AttemptOutcome.HANDED_OVER);
                throw failed instanceof CompletionException c ? c : new CompletionException(failed);
            }
            return new Claim(this, run);
        });
    }

    /** Journalled first: after a restart the attempt is resumed here, as no other resolver has it. */
    void start(Attempt run) {
        journal.step(run.attemptId, JournalStep.COMMITTED, 0, 1, null, null, clock.instant());
        scheduler.execute(() -> flow.begin(run));
    }

    void handOver(Attempt run, String why) {
        audit.record(run, Phase.SKIPPED, null, 0, why, details("reason", "handed_over"));
        active.finish(run, AttemptOutcome.HANDED_OVER);
    }

    void escalate(Attempt run, String why) {
        flow.escalator().escalate(run, why);
    }
}
