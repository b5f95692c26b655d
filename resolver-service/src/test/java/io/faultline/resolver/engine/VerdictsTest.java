package io.faultline.resolver.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.faultline.resolver.runbook.VerificationSpec;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class VerdictsTest {

    private static final Instant ACTED = Instant.parse("2026-11-30T10:00:00Z");

    @Test
    void quietPassesOnlyWithNoOccurrenceAfterTheAction() {
        OccurrenceLog log = new OccurrenceLog(Duration.ofHours(1));
        log.record("g", "trigger", ACTED.minusSeconds(5)); // the trigger itself, before the action
        VerificationSpec quiet = new VerificationSpec.QuietFor(Duration.ofSeconds(60));

        assertThat(Verdicts.judge(quiet, log, "g", ACTED, ACTED.plusSeconds(60)).passed())
                .isTrue();
        log.record("g", "e30", ACTED.plusSeconds(30));
        log.record("g", "e30", ACTED.plusSeconds(31)); // redelivered: not a new occurrence
        Verdicts.Verdict failed = Verdicts.judge(quiet, log, "g", ACTED, ACTED.plusSeconds(60));
        assertThat(failed.passed()).isFalse();
        assertThat(failed.observation()).isEqualTo("1 new occurrence(s) in the 60s after the action");
        assertThat(Verdicts.judge(quiet, log, "other", ACTED, ACTED.plusSeconds(60))
                        .passed())
                .isTrue();
    }

    @Test
    void anErrorRaisedBeforeTheActionButArrivingAfterItIsNoEvidenceAgainstTheAction() {
        OccurrenceLog log = new OccurrenceLog(Duration.ofHours(1));
        VerificationSpec quiet = new VerificationSpec.QuietFor(Duration.ofSeconds(3));
        // raised 0.5 s before the action, received by ingest 0.5 s after it (the SDK's send queue),
        // reached the resolver 2 s after it
        log.record(
                "g",
                "in-flight",
                OccurrenceLog.occurrenceTime(ACTED.minusMillis(500), ACTED.plusMillis(500), ACTED.plusSeconds(2)));
        assertThat(Verdicts.judge(quiet, log, "g", ACTED, ACTED.plusSeconds(3)).passed())
                .isTrue();

        // raised 2 s after the action: the fix did not hold
        log.record(
                "g",
                "after",
                OccurrenceLog.occurrenceTime(ACTED.plusSeconds(2), ACTED.plusSeconds(2), ACTED.plusSeconds(4)));
        assertThat(Verdicts.judge(quiet, log, "g", ACTED, ACTED.plusSeconds(3)).passed())
                .isFalse();
    }

    @Test
    void clocksThatDisagreeCannotMoveAnOccurrenceIntoTheFutureOrFarIntoThePast() {
        Instant arrived = ACTED.plusSeconds(2);
        assertThat(OccurrenceLog.occurrenceTime(null, ACTED.plusSeconds(30), arrived))
                .as("ingest clock ahead")
                .isEqualTo(arrived);
        assertThat(OccurrenceLog.occurrenceTime(ACTED.plusSeconds(30), ACTED.plusSeconds(1), arrived))
                .as("application clock ahead")
                .isEqualTo(ACTED.plusSeconds(1));
        assertThat(OccurrenceLog.occurrenceTime(ACTED.minusSeconds(600), ACTED.plusSeconds(1), arrived))
                .as("application clock ten minutes behind: believed only 5 s back")
                .isEqualTo(ACTED.minusSeconds(4));
        assertThat(OccurrenceLog.occurrenceTime(null, null, arrived)).isEqualTo(arrived);
    }

    @Test
    void theLatestOccurrenceInAStretchIsFoundForTheNextQuietCheck() {
        OccurrenceLog log = new OccurrenceLog(Duration.ofHours(1));
        log.record("g", "a", ACTED.plusMillis(200));
        log.record("g", "b", ACTED.plusMillis(900));
        log.record("g", "c", ACTED.plusSeconds(5));

        assertThat(log.latest("g", ACTED, ACTED.plusSeconds(3))).contains(ACTED.plusMillis(900));
        assertThat(log.latest("g", ACTED.plusMillis(900), ACTED.plusSeconds(3))).isEmpty();
        assertThat(log.latest("other", ACTED, ACTED.plusSeconds(3))).isEmpty();
    }

    @Test
    void rateIsTheLastMinuteAfterTheAction() {
        OccurrenceLog log = new OccurrenceLog(Duration.ofHours(1));
        VerificationSpec below3 = new VerificationSpec.RateBelow(3, Duration.ofMinutes(2));
        for (int s = 1; s <= 50; s++) {
            log.record("g", "e" + s, ACTED.plusSeconds(s)); // a burst in the first minute after the action
        }
        log.record("g", "e100", ACTED.plusSeconds(100));
        log.record("g", "e110", ACTED.plusSeconds(110));

        Verdicts.Verdict v = Verdicts.judge(below3, log, "g", ACTED, ACTED.plusSeconds(120));
        assertThat(v.passed()).as("2 in the last minute").isTrue();
        assertThat(v.observation()).startsWith("2.00/min (2 in the last 60s)");
        log.record("g", "e115", ACTED.plusSeconds(115));
        assertThat(Verdicts.judge(below3, log, "g", ACTED, ACTED.plusSeconds(120))
                        .passed())
                .isFalse();
    }

    @Test
    void aShortWindowIsScaledToPerMinute() {
        OccurrenceLog log = new OccurrenceLog(Duration.ofHours(1));
        log.record("g", "e10", ACTED.plusSeconds(10));
        // 1 in 20s = 3/min
        VerificationSpec spec = new VerificationSpec.RateBelow(3, Duration.ofSeconds(20));
        assertThat(Verdicts.judge(spec, log, "g", ACTED, ACTED.plusSeconds(20)).passed())
                .isFalse();
        VerificationSpec looser = new VerificationSpec.RateBelow(3.5, Duration.ofSeconds(20));
        assertThat(Verdicts.judge(looser, log, "g", ACTED, ACTED.plusSeconds(20))
                        .passed())
                .isTrue();
    }

    @Test
    void aGroupKeepsItsNewestArrivalsUpToTheCap() {
        OccurrenceLog log = new OccurrenceLog(Duration.ofHours(1));
        int n = OccurrenceLog.MAX_PER_GROUP + 500;
        for (int i = 0; i < n; i++) {
            log.record("g", "e" + i, ACTED.plusMillis(i));
        }
        // the oldest 500 are gone, the newest are all there
        assertThat(log.count("g", ACTED.minusSeconds(1), ACTED.plusMillis(n))).isEqualTo(OccurrenceLog.MAX_PER_GROUP);
        assertThat(log.count("g", ACTED.plusMillis(n - 101), ACTED.plusMillis(n)))
                .isEqualTo(100);
        // a dropped event id may be recorded again, a kept one still may not
        log.record("g", "e" + (n - 1), ACTED.plusMillis(n + 1));
        assertThat(log.count("g", ACTED.plusMillis(n - 1), ACTED.plusMillis(n + 1)))
                .isZero();
    }
}
