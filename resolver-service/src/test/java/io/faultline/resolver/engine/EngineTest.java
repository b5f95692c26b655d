package io.faultline.resolver.engine;

import static io.faultline.resolver.engine.EngineHarness.APPROVAL_TIMEOUT;
import static io.faultline.resolver.engine.EngineHarness.SETTLE;
import static io.faultline.resolver.engine.EngineHarness.T0;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every path of the resolution engine, driven step by step on a manual clock: no thread, no
 * sleep, no wall clock. Each test reads as the audit trail an operator would see.
 */
class EngineTest {

    static final String RUNBOOKS =
            """
            runbooks:
              - id: verified
                match: {groupIds: [g-verified, g-unread, g-late]}
                actions:
                  - {name: fix, strategy: fake, target: app, maxAttempts: 2, backoff: {initial: 1s, max: 1s}}
                verification: {quietFor: 30s}
                escalation: {notify: [slack]}
              - id: two-actions
                match: {groupIds: [g-two]}
                actions:
                  - {name: first, strategy: fake, target: two, maxAttempts: 2, backoff: {initial: 4s, max: 4s}}
                  - {name: second, strategy: fake, target: two}
                verification: {quietFor: 30s}
                escalation: {notify: [slack]}
              - id: unverified
                match: {groupIds: [g-exhausted]}
                actions:
                  - {name: fallback, strategy: fake, maxAttempts: 2, backoff: {initial: 1s, max: 1s}}
                escalation: {notify: [slack, pagerduty], message: Cache fallback did not help}
              - id: gated
                requireApproval: true
                match: {groupIds: [g-gated]}
                actions:
                  - {name: scale, strategy: fake}
                escalation: {notify: [pagerduty]}
              - id: budget
                window: 1m
                maxActionsPerHour: 1
                match: {groupIds: [g-budget]}
                actions:
                  - {name: restart, strategy: fake}
                escalation: {notify: [slack]}
              - id: shared-target
                match: {groupIds: [g-busy-a, g-busy-b]}
                actions:
                  - {name: restart, strategy: fake, target: "shared-${project.id}"}
                verification: {quietFor: 30s}
              - id: dry
                dryRun: true
                match: {groupIds: [g-dry]}
                actions:
                  - {name: restart, strategy: fake}
                escalation: {notify: [slack]}
              - id: slow
                match: {groupIds: [g-hang]}
                actions:
                  - {name: call, strategy: fake, timeout: 1s}
                escalation: {notify: [slack]}
              - id: slow-verified
                match: {groupIds: [g-hang-verified]}
                actions:
                  - {name: call, strategy: fake, timeout: 1s}
                verification: {quietFor: 30s}
            """;

    /** Action timeout + the grace the watchdog gives a call before judging it unknown. */
    static final Duration PATIENCE = Duration.ofSeconds(6);

    static final Duration VERDICT = Duration.ofSeconds(30).plus(SETTLE);

    @TempDir
    Path dir;

    EngineHarness h;

    EngineHarness start() {
        h = new EngineHarness(dir, RUNBOOKS).start();
        return h;
    }

    @AfterEach
    void stop() {
        if (h != null) {
            h.stop();
        }
    }

    /**
     * A claimed attempt waits for its trigger's commit: with two resolvers, one that acted before
     * the commit could see its trigger redelivered to the other, which would act again.
     */
    @Test
    void aClaimedAttemptActsOnlyOnceItsTriggerIsCommitted() {
        start();
        Claim claim = h.engine
                .admit(EngineHarness.trigger("g-verified", h.clock.instant()))
                .toCompletableFuture()
                .join();
        h.scheduler.runReady();
        assertThat(claim.claimed()).isTrue();
        assertThat(h.steps("g-verified")).containsExactly("matched");
        assertThat(h.calls).isEmpty();

        claim.start();
        h.scheduler.runReady();
        assertThat(h.steps("g-verified")).containsExactly("matched", "action_started fix#1", "action_succeeded fix#1");
    }

    /** The trigger went to another resolver before it was committed: that one decides, this one forgets. */
    @Test
    void aClaimHandedOverRunsNothingAndTheTriggerRedeliveredHereIsClaimedAgain() {
        start();
        Instant at = h.clock.instant();
        Claim claim = h.engine
                .admit(EngineHarness.trigger("g-verified", at))
                .toCompletableFuture()
                .join();
        claim.handOver("moved");
        h.scheduler.runReady();
        assertThat(h.steps("g-verified")).containsExactly("matched", "skipped");
        assertThat(h.calls).isEmpty();

        Claim again = h.engine
                .admit(EngineHarness.trigger("g-verified", at))
                .toCompletableFuture()
                .join();
        assertThat(again.claimed()).isTrue();
        assertThat(h.steps("g-verified")).containsExactly("matched", "skipped", "matched");
    }

    @Test
    void anActionThatWorksIsVerifiedWhenTheGroupStaysQuiet() {
        start();
        String attempt = h.error("g-verified");
        assertThat(h.steps("g-verified")).containsExactly("matched", "action_started fix#1", "action_succeeded fix#1");

        h.scheduler.advance(VERDICT.minusMillis(1));
        assertThat(h.steps("g-verified")).hasSize(3);
        h.scheduler.advance(Duration.ofMillis(1));

        assertThat(h.last("g-verified").phase()).isEqualTo(Phase.VERIFICATION_PASSED);
        assertThat(h.last("g-verified").message()).isEqualTo("0 new occurrence(s) in the 30s after the action");
        assertThat(h.calls).hasSize(1);
        assertThat(h.calls.get(0).attemptId()).isEqualTo(attempt);
        assertThat(h.journalled(attempt)).contains("resolved");
    }

    @Test
    void aFailedTryIsRetriedAfterItsBackoffAndAFailedVerificationMovesToTheNextAction() {
        start();
        h.answers("first", false);
        String attempt = h.error("g-two");
        assertThat(h.steps("g-two")).containsExactly("matched", "action_started first#1", "action_failed first#1");
        assertThat(h.last("g-two").details()).containsEntry("retryIn", "4000ms");

        h.scheduler.advance(Duration.ofSeconds(4));
        assertThat(h.steps("g-two")).endsWith("action_started first#2", "action_succeeded first#2");

        // the group fails again 10 s after the action: not quiet for 30 s
        h.occurrences.error("g-two", h.clock.instant().plusSeconds(10));
        h.scheduler.advance(VERDICT);
        assertThat(h.steps("g-two"))
                .endsWith("verification_failed first#0", "action_started second#1", "action_succeeded second#1");

        h.scheduler.advance(VERDICT);
        assertThat(h.last("g-two").phase()).isEqualTo(Phase.VERIFICATION_PASSED);
        assertThat(h.calls)
                .extracting(c -> c.actionName() + "#" + c.attempt())
                .containsExactly("first#1", "first#2", "second#1");
        assertThat(h.journalled(attempt)).contains("resolved");
    }

    @Test
    void anActionOutOfTriesWithNothingLeftIsEscalatedToEveryChannel() {
        start();
        h.answers("fallback", false, false);
        String attempt = h.error("g-exhausted");
        h.scheduler.advance(Duration.ofSeconds(1));

        assertThat(h.steps("g-exhausted"))
                .containsExactly(
                        "matched",
                        "action_started fallback#1",
                        "action_failed fallback#1",
                        "action_started fallback#2",
                        "action_failed fallback#2",
                        "escalated");
        AuditEntry escalated = h.last("g-exhausted");
        assertThat(escalated.message()).startsWith("Cache fallback did not help — action 'fallback' failed 2 time(s)");
        assertThat(escalated.details())
                .containsEntry("notify.slack", "delivered: slack answered 200")
                .containsEntry("notify.pagerduty", "delivered: pagerduty answered 200");
        assertThat(h.notified).hasSize(2);
        assertThat(h.journalled(attempt)).contains("escalated");
    }

    @Test
    void anApprovedAttemptActsWithTheOperatorsName() {
        start();
        String attempt = h.error("g-gated");
        assertThat(h.steps("g-gated")).containsExactly("matched", "pending_approval");
        assertThat(h.engine.pendingApprovals()).containsExactly(attempt);
        assertThat(h.calls).isEmpty();

        assertThat(h.engine.decide(attempt, true, "alice")).isEqualTo(ResolutionEngine.ApprovalResult.APPROVED);
        h.scheduler.runReady();

        assertThat(h.steps("g-gated")).endsWith("action_started scale#1", "action_succeeded scale#1");
        assertThat(h.entries("g-gated").get(2).details()).containsEntry("approvedBy", "alice");
        assertThat(h.engine.pendingApprovals()).isEmpty();
        // the expiry was called off: nothing happens at the approval timeout
        h.scheduler.advance(APPROVAL_TIMEOUT);
        assertThat(h.steps("g-gated")).hasSize(4);
        assertThat(h.journalled(attempt)).contains("acted_unverified");
    }

    @Test
    void aRejectedAttemptIsSkippedAndCannotBeDecidedTwice() {
        start();
        String attempt = h.error("g-gated");
        assertThat(h.engine.decide(attempt, false, "bob")).isEqualTo(ResolutionEngine.ApprovalResult.REJECTED);
        assertThat(h.engine.decide(attempt, true, "alice")).isEqualTo(ResolutionEngine.ApprovalResult.NOT_PENDING);
        h.scheduler.advance(APPROVAL_TIMEOUT);

        assertThat(h.steps("g-gated")).containsExactly("matched", "pending_approval", "skipped");
        assertThat(h.last("g-gated").message()).isEqualTo("rejected by bob");
        assertThat(h.calls).isEmpty();
        assertThat(h.journalled(attempt)).contains("rejected");
    }

    @Test
    void anApprovalNotGivenInTimeIsEscalated() {
        start();
        String attempt = h.error("g-gated");
        h.scheduler.advance(APPROVAL_TIMEOUT.minusMillis(1));
        assertThat(h.engine.pendingApprovals()).containsExactly(attempt);

        h.scheduler.advance(Duration.ofMillis(1));

        assertThat(h.steps("g-gated")).containsExactly("matched", "pending_approval", "escalated");
        assertThat(h.last("g-gated").details()).containsEntry("reason", "no approval within PT30M");
        assertThat(h.engine.pendingApprovals()).isEmpty();
        assertThat(h.engine.decide(attempt, true, "late")).isEqualTo(ResolutionEngine.ApprovalResult.NOT_PENDING);
        assertThat(h.calls).isEmpty();
        assertThat(h.journalled(attempt)).contains("escalated");
    }

    @Test
    void aRunbookOverItsHourlyBudgetStopsActingAndEscalates() {
        start();
        h.error("g-budget");
        assertThat(h.calls).hasSize(1);

        // the next window, after the last attempt ended: a new attempt, but the budget is spent
        h.scheduler.advance(Duration.ofMinutes(2));
        int before = h.entries("g-budget").size();
        String second = h.engine
                .onTrigger(EngineHarness.trigger("g-budget", h.clock.instant()))
                .thenApply(ok -> h.last("g-budget").attemptId())
                .toCompletableFuture()
                .join();
        h.scheduler.runReady();

        assertThat(h.steps("g-budget").subList(before, h.entries("g-budget").size()))
                .containsExactly("matched", "skipped restart#1", "escalated");
        assertThat(h.entries("g-budget").get(before + 1).details()).containsEntry("reason", "rate_limited");
        assertThat(h.last("g-budget").details())
                .containsEntry("reason", "runbook 'budget' exceeded its hourly action budget");
        assertThat(h.calls).hasSize(1);

        // an hour after the first execution the budget is back
        h.scheduler.advance(Duration.ofMinutes(59));
        h.engine.onTrigger(EngineHarness.trigger("g-budget", h.clock.instant()));
        h.scheduler.runReady();
        assertThat(h.calls).hasSize(2);
        assertThat(h.journalled(second)).contains("escalated");
    }

    @Test
    void aTargetAnotherAttemptActsOnIsNotActedOnTwice() {
        start();
        h.error("g-busy-a");
        String second = h.error("g-busy-b");

        assertThat(h.steps("g-busy-b")).containsExactly("matched", "skipped restart#1");
        assertThat(h.last("g-busy-b").details())
                .containsEntry("reason", "target_busy")
                .containsEntry("target", "shared-1");
        assertThat(h.calls).hasSize(1);

        // the first attempt holds the target until its verdict, then lets it go
        h.scheduler.advance(VERDICT);
        assertThat(h.last("g-busy-a").phase()).isEqualTo(Phase.VERIFICATION_PASSED);
        h.scheduler.advance(Duration.ofMinutes(20));
        h.error("g-busy-b");
        assertThat(h.calls).hasSize(2);
        assertThat(h.journalled(second)).contains("skipped");
    }

    @Test
    void aDryRunRecordsWhatWouldHappenAndCallsNothing() {
        start();
        String attempt = h.error("g-dry");

        assertThat(h.steps("g-dry"))
                .containsExactly("matched", "action_started restart#1", "action_succeeded restart#1");
        assertThat(h.last("g-dry").message()).isEqualTo("dry run: would run fake on restart; nothing was called");
        assertThat(h.last("g-dry").dryRun()).isTrue();
        assertThat(h.calls).isEmpty();
        assertThat(h.journalled(attempt)).contains("dry_run");
    }

    @Test
    void aCallWithoutAnAnswerIsNotRepeatedAndWithoutVerificationIsEscalated() {
        start();
        h.scheduler.holdCalls();
        String attempt = h.error("g-hang");
        h.scheduler.advance(PATIENCE.minusMillis(1));
        assertThat(h.steps("g-hang")).containsExactly("matched", "action_started call#1");

        h.scheduler.advance(Duration.ofMillis(1));

        assertThat(h.steps("g-hang"))
                .containsExactly("matched", "action_started call#1", "action_failed call#1", "escalated");
        assertThat(h.entries("g-hang").get(2).details()).containsEntry("outcome", "unknown");
        assertThat(h.entries("g-hang").get(2).message())
                .isEqualTo("no answer within 6000ms; the call may still take effect; not tried again, as it may have"
                        + " taken effect");
        assertThat(h.last("g-hang").details().get("reason")).endsWith("and no verification can tell");

        // its late answer changes nothing
        h.scheduler.answerHeldCalls();
        assertThat(h.steps("g-hang")).hasSize(4);
        assertThat(h.calls).hasSize(1);
        assertThat(h.journalled(attempt)).contains("escalated");
    }

    @Test
    void aCallWithoutAnAnswerIsJudgedByItsVerification() {
        start();
        h.scheduler.holdCalls();
        String attempt = h.error("g-hang-verified");
        h.scheduler.advance(PATIENCE);
        h.scheduler.advance(VERDICT);

        assertThat(h.steps("g-hang-verified"))
                .containsExactly(
                        "matched", "action_started call#1", "action_failed call#1", "verification_passed call#0");
        assertThat(h.journalled(attempt)).contains("resolved");
    }

    @Test
    void anUnreadableTopicPostponesTheVerdictTenTimesThenEscalates() {
        start();
        h.occurrences.unreadable = Integer.MAX_VALUE;
        String attempt = h.error("g-unread");
        h.scheduler.advance(VERDICT);
        assertThat(h.occurrences.reads).isEqualTo(1);

        h.scheduler.advance(Duration.ofSeconds(30).multipliedBy(8));
        assertThat(h.occurrences.reads).isEqualTo(9);
        assertThat(h.steps("g-unread")).hasSize(3);

        h.scheduler.advance(Duration.ofSeconds(30));

        assertThat(h.occurrences.reads).isEqualTo(Verifier.VERIFICATION_READS);
        assertThat(h.steps("g-unread")).endsWith("action_succeeded fix#1", "escalated");
        assertThat(h.last("g-unread").details().get("reason"))
                .isEqualTo("action 'fix' ran, but the errors after it could not be read 10 times to verify it:"
                        + " broker unreachable");
        assertThat(h.calls).hasSize(1);
        assertThat(h.journalled(attempt)).contains("escalated");
    }

    @Test
    void aTopicBackWithinThePostponementsGivesTheVerdict() {
        start();
        h.occurrences.unreadable = 3;
        String attempt = h.error("g-unread");
        h.scheduler.advance(VERDICT.plus(Duration.ofSeconds(90)));

        assertThat(h.occurrences.reads).isEqualTo(4);
        assertThat(h.last("g-unread").phase()).isEqualTo(Phase.VERIFICATION_PASSED);
        assertThat(h.journalled(attempt)).contains("resolved");
    }

    @Test
    void aGroupThatHasNoRunbookIsRecordedOncePerTenMinutes() {
        start();
        h.error("g-nobody");
        h.engine.onTrigger(EngineHarness.trigger("g-nobody", h.clock.instant().plusSeconds(1)));
        assertThat(h.steps("g-nobody")).containsExactly("no_runbook_matched");

        h.scheduler.advance(Admission.UNMATCHED_EVERY);
        h.engine.onTrigger(EngineHarness.trigger("g-nobody", h.clock.instant()));
        assertThat(h.steps("g-nobody")).containsExactly("no_runbook_matched", "no_runbook_matched");
    }

    @Test
    void errorsOfARunningAttemptAndOfItsWindowStartNothingNew() {
        start();
        String attempt = h.error("g-verified");
        h.scheduler.advance(Duration.ofSeconds(5));
        h.error("g-verified");
        h.scheduler.advance(VERDICT);
        // a new trigger window, but within a window of the attempt's end
        h.scheduler.advance(Duration.between(h.clock.instant(), T0.plusSeconds(610)));
        h.error("g-verified");

        assertThat(h.entries("g-verified")).extracting(AuditEntry::attemptId).containsOnly(attempt);
        assertThat(h.calls).hasSize(1);
        Instant ended = h.last("g-verified").timestamp();
        assertThat(ended).isEqualTo(T0.plus(VERDICT));
    }
}
