package io.faultline.resolver.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AttemptJournalTest {

    private static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");

    @TempDir
    Path dir;

    private static AttemptJournal.Entry claim(String id, Instant at) {
        return new AttemptJournal.Entry(id, AttemptJournal.CLAIMED, "r", "g", "1", "high", "database", at);
    }

    @Test
    void aClaimSurvivesARestartSoARedeliveryIsNotRunAgain() {
        try (AttemptJournal journal = new AttemptJournal(dir, Duration.ofDays(2), T0)) {
            assertThat(journal.claim(claim("a1", T0))).isTrue();
            assertThat(journal.claim(claim("a1", T0))).isFalse();
            assertThat(journal.claim(claim("a2", T0))).isTrue();
            journal.finish("a2", "resolved", T0.plusSeconds(5));
        }
        try (AttemptJournal reopened = new AttemptJournal(dir, Duration.ofDays(2), T0.plusSeconds(60))) {
            assertThat(reopened.claim(claim("a1", T0))).isFalse();
            assertThat(reopened.claim(claim("a2", T0))).isFalse();
            assertThat(reopened.unfinished())
                    .extracting(AttemptJournal.Entry::attemptId)
                    .containsExactly("a1");
        }
    }

    @Test
    void oldAttemptsAreForgottenAndATornLastLineIsIgnored() throws Exception {
        try (AttemptJournal journal = new AttemptJournal(dir, Duration.ofDays(2), T0)) {
            journal.claim(claim("old", T0));
            journal.finish("old", "resolved", T0);
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
