package io.faultline.resolver.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.faultline.resolver.runbook.Trigger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AttemptJournalTest {

    private static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");

    @TempDir
    Path dir;

    private static AttemptJournal.Entry claim(String id, Instant at) {
        return AttemptJournal.Entry.claim(id, "r", trigger("g"), at);
    }

    private static Trigger trigger(String group) {
        return new Trigger(
                Trigger.Source.CLASSIFIED_ERROR,
                group,
                "1",
                "evt-" + group,
                T0,
                List.of("exception:java.sql.SQLTransientConnectionException"),
                "database",
                "high",
                "user_blocking",
                "booking",
                "1.4.2",
                "production",
                List.of("java.sql.SQLTransientConnectionException"),
                "connection to <*> refused",
                "connection to db-1 refused",
                "SQLTransientConnectionException: connection to db-1 refused",
                Map.of("service", "bookings"),
                Map.of("retryPayload", "{\"booking\":42}"),
                null,
                T0.minusMillis(800));
    }

    @Test
    void aClaimSurvivesARestartSoARedeliveryIsNotRunAgain() {
        try (AttemptJournal journal = new AttemptJournal(dir, Duration.ofDays(2), T0)) {
            assertThat(journal.claim(claim("a1", T0))).isTrue();
            assertThat(journal.claim(claim("a1", T0))).isFalse();
            assertThat(journal.claim(claim("a2", T0))).isTrue();
            journal.finish("a2", AttemptOutcome.RESOLVED, T0.plusSeconds(5));
        }
        try (AttemptJournal reopened = new AttemptJournal(dir, Duration.ofDays(2), T0.plusSeconds(60))) {
            assertThat(reopened.claim(claim("a1", T0))).isFalse();
            assertThat(reopened.claim(claim("a2", T0))).isFalse();
            assertThat(reopened.unfinished())
                    .extracting(u -> u.last().attemptId())
                    .containsExactly("a1");
        }
    }

    @Test
    void eachStepIsTheResumePointAfterACrashWithTheTriggerKept() {
        try (AttemptJournal journal = new AttemptJournal(dir, Duration.ofDays(2), T0)) {
            journal.claim(claim("verifying", T0));
            journal.step("verifying", JournalStep.ACTION_STARTED, 0, 1, null, null, T0);
            journal.step("verifying", JournalStep.VERIFYING, 0, 1, T0.plusSeconds(30), null, T0.plusSeconds(1));
            journal.claim(claim("retrying", T0));
            journal.step("retrying", JournalStep.ACTION_STARTED, 1, 1, null, "alice", T0);
            journal.step("retrying", JournalStep.RETRY_SCHEDULED, 1, 2, T0.plusSeconds(4), "alice", T0);
            journal.claim(claim("done", T0));
            journal.step("done", JournalStep.ACTION_STARTED, 0, 1, null, null, T0);
            journal.finish("done", AttemptOutcome.RESOLVED, T0.plusSeconds(9));
            // a step for a finished attempt is not written: the outcome stays final
            journal.step("done", JournalStep.ACTION_STARTED, 0, 1, null, null, T0.plusSeconds(10));
        }
        // reopened twice: the compaction on open must keep claims and steps of unfinished attempts
        new AttemptJournal(dir, Duration.ofDays(2), T0.plusSeconds(20)).close();
        try (AttemptJournal reopened = new AttemptJournal(dir, Duration.ofDays(2), T0.plusSeconds(30))) {
            assertThat(reopened.state("done")).contains("resolved");
            List<AttemptJournal.Unfinished> unfinished = reopened.unfinished();
            assertThat(unfinished).extracting(u -> u.last().attemptId()).containsExactly("verifying", "retrying");

            AttemptJournal.Unfinished verifying = unfinished.get(0);
            assertThat(verifying.last().step()).contains(JournalStep.VERIFYING);
            assertThat(verifying.last().actionIndex()).isZero();
            assertThat(verifying.last().dueAt()).isEqualTo(T0.plusSeconds(30));
            assertThat(verifying.claim().trigger()).isEqualTo(trigger("g"));

            AttemptJournal.Unfinished retrying = unfinished.get(1);
            assertThat(retrying.last().step()).contains(JournalStep.RETRY_SCHEDULED);
            assertThat(retrying.last().actionIndex()).isEqualTo(1);
            assertThat(retrying.last().tryNumber()).isEqualTo(2);
            assertThat(retrying.last().approvedBy()).isEqualTo("alice");
        }
    }

    @Test
    void unfinishedAttemptsAreKeptWhateverTheirAgeUntilResumed() {
        try (AttemptJournal journal = new AttemptJournal(dir, Duration.ofDays(2), T0)) {
            journal.claim(claim("stale", T0));
        }
        try (AttemptJournal later = new AttemptJournal(dir, Duration.ofDays(2), T0.plus(Duration.ofDays(5)))) {
            assertThat(later.unfinished()).hasSize(1);
            later.finish("stale", AttemptOutcome.INTERRUPTED, T0.plus(Duration.ofDays(5)));
        }
        try (AttemptJournal after = new AttemptJournal(dir, Duration.ofDays(2), T0.plus(Duration.ofDays(6)))) {
            assertThat(after.unfinished()).isEmpty();
            assertThat(after.known("stale"))
                    .as("finished a day ago, inside the retention")
                    .isTrue();
        }
    }

    @Test
    void oldAttemptsAreForgottenAndATornLastLineIsIgnored() throws Exception {
        try (AttemptJournal journal = new AttemptJournal(dir, Duration.ofDays(2), T0)) {
            journal.claim(claim("old", T0));
            journal.finish("old", AttemptOutcome.RESOLVED, T0);
        }
        Files.writeString(
                dir.resolve("attempts.jsonl"),
                "{\"attemptId\":\"torn",
                StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);
        try (AttemptJournal later = new AttemptJournal(dir, Duration.ofDays(2), T0.plus(Duration.ofDays(3)))) {
            assertThat(later.known("old")).isFalse();
            assertThat(later.unfinished()).isEmpty();
        }
    }

    @Test
    void whenARunbooksLastAttemptOnAGroupEndedSurvivesARestart() {
        try (AttemptJournal journal = new AttemptJournal(dir, Duration.ofDays(2), T0)) {
            assertThat(journal.lastEnded("r", "g")).isEmpty();
            journal.claim(claim("first", T0));
            assertThat(journal.lastEnded("r", "g")).as("still running").isEmpty();
            journal.finish("first", AttemptOutcome.ESCALATED, T0.plusSeconds(15));
            journal.claim(claim("second", T0.plusSeconds(700)));
            journal.finish("second", AttemptOutcome.RESOLVED, T0.plusSeconds(705));
        }
        try (AttemptJournal later = new AttemptJournal(dir, Duration.ofDays(2), T0.plusSeconds(800))) {
            assertThat(later.lastEnded("r", "g")).contains(T0.plusSeconds(705));
            assertThat(later.lastEnded("r", "other")).isEmpty();
            assertThat(later.lastEnded("other", "g")).isEmpty();
        }
    }

    @Test
    void aLongRunningJournalForgetsFinishedAttemptsPastTheRetentionLikeARestart() {
        try (AttemptJournal journal = new AttemptJournal(dir, Duration.ofDays(2), T0)) {
            journal.claim(claim("done", T0));
            journal.finish("done", AttemptOutcome.RESOLVED, T0);
            journal.claim(claim("running", T0));

            assertThat(journal.prune(Duration.ofDays(2), T0.plus(Duration.ofDays(1))))
                    .isZero();
            assertThat(journal.prune(Duration.ofDays(2), T0.plus(Duration.ofDays(3))))
                    .isEqualTo(1);

            assertThat(journal.known("done")).isFalse();
            assertThat(journal.lastEnded("r", "g")).isEmpty();
            assertThat(journal.known("running"))
                    .as("unfinished attempts stay until resumed")
                    .isTrue();
        }
    }

    @Test
    void attemptIdsAreStablePerRunbookGroupAndWindow() {
        Duration window = Duration.ofMinutes(10);
        String first = AttemptIds.of("r", "g", Instant.parse("2026-11-30T10:01:00Z"), window);
        assertThat(AttemptIds.of("r", "g", Instant.parse("2026-11-30T10:09:59Z"), window))
                .isEqualTo(first);
        assertThat(AttemptIds.of("r", "g", Instant.parse("2026-11-30T10:10:00Z"), window))
                .isNotEqualTo(first);
        assertThat(AttemptIds.of("r", "g2", Instant.parse("2026-11-30T10:01:00Z"), window))
                .isNotEqualTo(first);
        assertThat(AttemptIds.of("r2", "g", Instant.parse("2026-11-30T10:01:00Z"), window))
                .isNotEqualTo(first);
        assertThat(first).matches("att_[0-9a-f]{24}");
    }
}
