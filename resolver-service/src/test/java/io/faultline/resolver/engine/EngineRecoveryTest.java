package io.faultline.resolver.engine;

import static io.faultline.resolver.engine.EngineHarness.T0;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every case of the engine's recovery: a journal left by a process that stopped mid-attempt, and
 * what the next process does with each last step, on a manual clock.
 */
class EngineRecoveryTest {

    static final Instant CLAIMED_AT = T0.minusSeconds(60);

    @TempDir
    Path dir;

    EngineHarness h;

    @AfterEach
    void stop() {
        if (h != null) {
            h.stop();
        }
    }

    /** The journal the previous process left: a claim of each attempt, then its steps. */
    AttemptJournal previousProcess() {
        return new AttemptJournal(dir, Duration.ofDays(2), CLAIMED_AT);
    }

    static void claim(AttemptJournal journal, String attemptId, String runbookId, String group) {
        journal.claim(
                AttemptJournal.Entry.claim(attemptId, runbookId, EngineHarness.trigger(group, CLAIMED_AT), CLAIMED_AT));
    }

    /** A claim whose trigger was committed: this resolver's alone to run. */
    static void committed(AttemptJournal journal, String attemptId, String runbookId, String group) {
        claim(journal, attemptId, runbookId, group);
        journal.step(attemptId, JournalStep.COMMITTED, 0, 1, null, null, CLAIMED_AT);
    }

    EngineHarness restart() {
        h = new EngineHarness(dir, EngineTest.RUNBOOKS).start();
        return h;
    }

    @Test
    void aClaimWhoseTriggerWasCommittedStartsItsFirstAction() {
        try (AttemptJournal j = previousProcess()) {
            committed(j, "att-claimed", "verified", "g-verified");
        }
        restart();

        assertThat(h.steps("g-verified")).containsExactly("resumed", "action_started fix#1", "action_succeeded fix#1");
        assertThat(h.entries("g-verified").get(0).message())
                .isEqualTo("resumed after a restart: no action had run yet");
        assertThat(h.entries("g-verified").get(0).details()).containsEntry("step", "committed");
        h.scheduler.advance(EngineTest.VERDICT);
        assertThat(h.journalled("att-claimed")).contains("resolved");
    }

    /**
     * The process died between the claim and its trigger's commit: the record is redelivered from
     * the group's committed offset, perhaps to another resolver, which acts on it. Resuming the
     * claim here too would act twice: it is dropped, and the resolver redelivered the trigger,
     * this one included, decides it afresh.
     */
    @Test
    void aClaimWhoseTriggerWasNotCommittedIsDroppedAndARedeliveryDecidesItAfresh() {
        try (AttemptJournal j = previousProcess()) {
            claim(j, "att-uncommitted", "verified", "g-verified");
        }
        restart();
        h.scheduler.runReady();

        assertThat(h.calls).isEmpty();
        assertThat(h.steps("g-verified")).containsExactly("skipped");
        assertThat(h.last("g-verified").details()).containsEntry("reason", "handed_over");

        h.engine
                .onTrigger(EngineHarness.trigger("g-verified", CLAIMED_AT))
                .toCompletableFuture()
                .join();
        h.scheduler.runReady();
        assertThat(h.calls).extracting(c -> c.actionName() + "#" + c.attempt()).containsExactly("fix#1");
        assertThat(h.journalled("att-uncommitted")).isEmpty();
    }

    static final TriggerRecord RECORD = new TriggerRecord("faultline.errors.classified.v1", 2, 41);

    /** What the previous process left when it died between its trigger's commit and the journal's fsync of it. */
    void claimOfARecord(String attemptId) {
        try (AttemptJournal j = previousProcess()) {
            j.claim(AttemptJournal.Entry.claim(
                    attemptId, "verified", EngineHarness.trigger("g-verified", CLAIMED_AT), CLAIMED_AT, RECORD));
        }
    }

    EngineHarness restartAsking(CommittedOffsets kafka) {
        h = new EngineHarness(dir, EngineTest.RUNBOOKS);
        h.offsets = kafka;
        h.start();
        h.scheduler.runReady();
        return h;
    }

    /**
     * The process died after the commit went through but before its `committed` step reached the
     * disk: nobody is redelivered the trigger, so dropping the claim would lose the attempt
     * silently. Whether another resolver already acted on it (our commit failed, its own went
     * through) cannot be told from the offset: a human decides, nothing runs.
     */
    @Test
    void aBareClaimWhoseRecordWasCommittedIsEscalatedNotDropped() {
        claimOfARecord("att-committed-unrecorded");
        restartAsking(record -> record.equals(RECORD));

        assertThat(h.calls).isEmpty();
        assertThat(h.steps("g-verified")).containsExactly("escalated");
        assertThat(h.journalled("att-committed-unrecorded")).contains("interrupted");
    }

    @Test
    void aBareClaimWhoseRecordWasNotCommittedIsDropped() {
        claimOfARecord("att-not-committed");
        restartAsking(record -> false);

        assertThat(h.calls).isEmpty();
        assertThat(h.steps("g-verified")).containsExactly("skipped");
        assertThat(h.last("g-verified").details()).containsEntry("reason", "handed_over");
    }

    /** Kafka unreachable at start-up: as before the record was kept, the claim is dropped (and logged). */
    @Test
    void aBareClaimIsDroppedWhenKafkaCannotBeAsked() {
        claimOfARecord("att-unreachable");
        restartAsking(CommittedOffsets.NONE);

        assertThat(h.calls).isEmpty();
        assertThat(h.steps("g-verified")).containsExactly("skipped");
    }

    @Test
    void aPendingApprovalWaitsWhatIsLeftOfItsTimeoutThenEscalates() {
        try (AttemptJournal j = previousProcess()) {
            claim(j, "att-approval", "gated", "g-gated");
            j.step("att-approval", JournalStep.AWAITING_APPROVAL, 0, 1, T0.plusSeconds(600), null, CLAIMED_AT);
        }
        restart();

        assertThat(h.steps("g-gated")).containsExactly("resumed");
        assertThat(h.engine.pendingApprovals()).containsExactly("att-approval");
        h.scheduler.advance(Duration.ofSeconds(599));
        assertThat(h.steps("g-gated")).containsExactly("resumed");

        h.scheduler.advance(Duration.ofSeconds(1));

        assertThat(h.steps("g-gated")).containsExactly("resumed", "escalated");
        assertThat(h.calls).isEmpty();
        assertThat(h.journalled("att-approval")).contains("escalated");
    }

    @Test
    void aResumedApprovalCanStillBeGiven() {
        try (AttemptJournal j = previousProcess()) {
            claim(j, "att-approval", "gated", "g-gated");
            j.step("att-approval", JournalStep.AWAITING_APPROVAL, 0, 1, T0.plusSeconds(600), null, CLAIMED_AT);
        }
        restart();
        assertThat(h.engine.decide("att-approval", true, "carol")).isEqualTo(ResolutionEngine.ApprovalResult.APPROVED);
        h.scheduler.runReady();

        assertThat(h.steps("g-gated")).containsExactly("resumed", "action_started scale#1", "action_succeeded scale#1");
        assertThat(h.journalled("att-approval")).contains("acted_unverified");
    }

    @Test
    void aScheduledRetryRunsWhenItIsDueWithItsApprover() {
        try (AttemptJournal j = previousProcess()) {
            claim(j, "att-retry", "verified", "g-verified");
            j.step("att-retry", JournalStep.ACTION_STARTED, 0, 1, null, "alice", CLAIMED_AT);
            j.step("att-retry", JournalStep.RETRY_SCHEDULED, 0, 2, T0.plusSeconds(5), "alice", CLAIMED_AT);
        }
        restart();
        assertThat(h.steps("g-verified")).containsExactly("resumed fix#2");

        h.scheduler.advance(Duration.ofSeconds(5));

        assertThat(h.steps("g-verified"))
                .containsExactly("resumed fix#2", "action_started fix#2", "action_succeeded fix#2");
        assertThat(h.calls).extracting(c -> c.attempt()).containsExactly(2);
        assertThat(h.entries("g-verified").get(1).details()).containsEntry("approvedBy", "alice");
    }

    @Test
    void aVerificationJudgesTheWindowAfterItsActionWithoutRepeatingIt() {
        Instant acted = T0.minusSeconds(10);
        try (AttemptJournal j = previousProcess()) {
            claim(j, "att-verifying", "verified", "g-verified");
            j.step("att-verifying", JournalStep.ACTION_STARTED, 0, 1, null, null, acted);
            j.step("att-verifying", JournalStep.VERIFYING, 0, 1, acted.plusSeconds(32), null, acted);
        }
        restart();
        assertThat(h.steps("g-verified")).containsExactly("resumed fix#1");

        // the verdict is due 30 s + the settle delay after the action, not after the restart
        h.scheduler.advance(Duration.ofSeconds(22));

        assertThat(h.steps("g-verified")).containsExactly("resumed fix#1", "verification_passed fix#0");
        assertThat(h.last("g-verified").details()).containsEntry("actedAt", acted.toString());
        assertThat(h.calls).isEmpty();
        assertThat(h.journalled("att-verifying")).contains("resolved");
    }

    @Test
    void anActionThatWasRunningIsNotRunAgainAndItsVerificationJudgesIt() {
        try (AttemptJournal j = previousProcess()) {
            claim(j, "att-running", "verified", "g-verified");
            j.step("att-running", JournalStep.ACTION_STARTED, 0, 1, null, null, CLAIMED_AT);
        }
        restart();
        assertThat(h.steps("g-verified")).containsExactly("resumed fix#1");
        h.occurrences.error("g-verified", T0.plusSeconds(3));

        h.scheduler.advance(EngineTest.VERDICT);

        assertThat(h.steps("g-verified")).containsExactly("resumed fix#1", "verification_failed fix#0", "escalated");
        assertThat(h.calls).isEmpty();
        assertThat(h.journalled("att-running")).contains("escalated");
    }

    @Test
    void anActionThatWasRunningWithoutVerificationIsEscalated() {
        try (AttemptJournal j = previousProcess()) {
            claim(j, "att-running", "unverified", "g-exhausted");
            j.step("att-running", JournalStep.ACTION_STARTED, 0, 1, null, null, CLAIMED_AT);
        }
        restart();

        assertThat(h.steps("g-exhausted")).containsExactly("resumed fallback#1", "escalated");
        assertThat(h.last("g-exhausted").details().get("reason"))
                .isEqualTo("the resolver stopped while action 'fallback' ran; it was not run again (it may or may not"
                        + " have taken effect) and no verification can tell");
        assertThat(h.notified).hasSize(2);
        assertThat(h.calls).isEmpty();
        assertThat(h.journalled("att-running")).contains("escalated");
    }

    @Test
    void anAttemptOfARunbookThatIsGoneIsHandedToAHuman() {
        try (AttemptJournal j = previousProcess()) {
            committed(j, "att-gone", "deleted-runbook", "g-verified");
        }
        restart();

        assertThat(h.steps("g-verified")).containsExactly("escalated");
        AuditEntry escalated = h.last("g-verified");
        assertThat(escalated.entryId()).isEqualTo("att-gone:escalated:interrupted");
        assertThat(escalated.message())
                .isEqualTo("the resolver restarted while this attempt ran and runbook 'deleted-runbook' no longer"
                        + " exists");
        assertThat(h.notified).isEmpty();
        assertThat(h.journalled("att-gone")).contains("interrupted");
    }

    @Test
    void aStepBeyondTheRunbooksActionsIsHandedToAHuman() {
        try (AttemptJournal j = previousProcess()) {
            claim(j, "att-shrunk", "verified", "g-verified");
            j.step("att-shrunk", JournalStep.RETRY_SCHEDULED, 3, 2, T0, null, CLAIMED_AT);
        }
        restart();

        assertThat(h.steps("g-verified")).containsExactly("escalated");
        assertThat(h.last("g-verified").message())
                .isEqualTo("the resolver restarted while this attempt ran and its journal entry cannot be resumed");
        assertThat(h.last("g-verified").details()).containsEntry("notify.slack", "delivered: slack answered 200");
        assertThat(h.journalled("att-shrunk")).contains("interrupted");
    }

    @Test
    void ofTwoUnfinishedAttemptsOfOneRunbookOnOneGroupOnlyTheFirstIsResumed() {
        try (AttemptJournal j = previousProcess()) {
            committed(j, "att-first", "verified", "g-verified");
            committed(j, "att-second", "verified", "g-verified");
        }
        restart();

        // the two run on workers at once: their order on the trail is not fixed
        assertThat(h.entries("g-verified"))
                .extracting(e -> e.attemptId() + " " + e.phase().wireName())
                .containsExactlyInAnyOrder(
                        "att-first resumed",
                        "att-first action_started",
                        "att-first action_succeeded",
                        "att-second escalated");
        assertThat(h.entries("g-verified").stream()
                        .filter(e -> e.phase() == Phase.ESCALATED)
                        .findFirst()
                        .orElseThrow()
                        .message())
                .endsWith("another attempt of runbook 'verified' on the same group was" + " resumed instead");
        assertThat(h.journalled("att-second")).contains("interrupted");
    }

    @Test
    void aJournalWrittenWithTheStepNamesOfEarlierVersionsIsResumed() throws Exception {
        Instant acted = T0.minusSeconds(10);
        try (AttemptJournal j = previousProcess()) {
            claim(j, "att-old", "verified", "g-verified");
            claim(j, "att-old-retry", "two-actions", "g-two");
        }
        // the lines exactly as the journal wrote them before its steps were an enum
        Files.writeString(
                dir.resolve("attempts.jsonl"),
                """
                {"attemptId":"att-old","state":"action_started","runbookId":"verified","groupId":"g-verified",\
                "projectId":"1","severity":"high","category":"database","at":"%1$s","actionIndex":0,"tryNumber":1}
                {"attemptId":"att-old","state":"verifying","runbookId":"verified","groupId":"g-verified",\
                "projectId":"1","severity":"high","category":"database","at":"%1$s","actionIndex":0,"tryNumber":1,\
                "dueAt":"%2$s"}
                {"attemptId":"att-old-retry","state":"retry_scheduled","runbookId":"two-actions","groupId":"g-two",\
                "projectId":"1","severity":"high","category":"database","at":"%1$s","actionIndex":1,"tryNumber":2,\
                "dueAt":"%3$s","approvedBy":"dave"}
                """
                        .formatted(acted, acted.plusSeconds(32), T0.plusSeconds(1)),
                StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);
        restart();
        h.scheduler.advance(Duration.ofSeconds(22));

        assertThat(h.steps("g-verified")).containsExactly("resumed fix#1", "verification_passed fix#0");
        assertThat(h.steps("g-two")).startsWith("resumed second#2", "action_started second#2");
        assertThat(h.calls).extracting(c -> c.actionName() + "#" + c.attempt()).containsExactly("second#2");
        assertThat(h.journalled("att-old")).contains("resolved");
    }
}
