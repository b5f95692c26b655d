package io.faultline.dashboard.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

    private Instant now = Instant.parse("2026-01-01T10:00:00Z");
    private final LoginThrottle throttle = new LoginThrottle(() -> now, 2);

    private void advance(Duration d) {
        now = now.plus(d);
    }

    private void fail(String name, int times) {
        for (int i = 0; i < times; i++) {
            throttle.failed(name);
        }
    }

    @Test
    void theFirstFailuresAreFreeThenEachWaitDoublesUpToFiveMinutes() {
        fail("ada", LoginThrottle.FREE_FAILURES - 1);
        assertThat(throttle.secondsToWait("ada")).isZero();

        fail("ada", 1);
        assertThat(throttle.secondsToWait("ada")).isEqualTo(1);
        advance(Duration.ofSeconds(1));
        assertThat(throttle.secondsToWait("ada")).isZero();

        fail("ada", 1);
        assertThat(throttle.secondsToWait("ada")).isEqualTo(2);
        fail("ada", 1);
        assertThat(throttle.secondsToWait("ada")).isEqualTo(4);
        fail("ada", 40);
        assertThat(throttle.secondsToWait("ada")).isEqualTo(300);
        advance(Duration.ofSeconds(299));
        assertThat(throttle.secondsToWait("ada")).isEqualTo(1);
        advance(Duration.ofSeconds(1));
        assertThat(throttle.secondsToWait("ada")).isZero();
    }

    @Test
    void aRightPasswordOrAQuarterOfAnHourWithoutFailureClearsTheName() {
        fail("ada", 8);
        throttle.succeeded("ada");
        assertThat(throttle.secondsToWait("ada")).isZero();
        fail("ada", 1);
        assertThat(throttle.secondsToWait("ada")).isZero();

        fail("bob", 8);
        advance(LoginThrottle.FORGET_AFTER.plusSeconds(1));
        fail("bob", 1);
        assertThat(throttle.secondsToWait("bob")).isZero();
    }

    @Test
    void namesAreCountedApartAndAnUnknownNameAlike() {
        fail("ada", 6);
        assertThat(throttle.secondsToWait("ada")).isPositive();
        assertThat(throttle.secondsToWait("bob")).isZero();
        // the throttle does not know which names exist: a made-up one is slowed the same way
        fail("no-such-user", 6);
        assertThat(throttle.secondsToWait("no-such-user")).isEqualTo(throttle.secondsToWait("ada"));
        fail(null, 6);
        assertThat(throttle.secondsToWait(null)).isPositive();
    }

    @Test
    void theTableKeepsTheMostRecentlyTriedNames() {
        fail("ada", 6);
        for (int i = 0; i < LoginThrottle.MAX_NAMES; i++) {
            throttle.failed("spray-" + i);
        }
        // ada was tried longest ago and made room; the newest names are still counted
        assertThat(throttle.secondsToWait("ada")).isZero();
        fail("spray-" + (LoginThrottle.MAX_NAMES - 1), 5);
        assertThat(throttle.secondsToWait("spray-" + (LoginThrottle.MAX_NAMES - 1)))
                .isPositive();
    }

    @Test
    void onlyAsManyPasswordChecksRunAtOnceAsAllowed() {
        assertThat(throttle.startCheck()).isTrue();
        assertThat(throttle.startCheck()).isTrue();
        assertThat(throttle.startCheck()).isFalse();
        throttle.endCheck();
        assertThat(throttle.startCheck()).isTrue();
    }
}
