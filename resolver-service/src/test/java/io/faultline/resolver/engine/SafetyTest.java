package io.faultline.resolver.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class SafetyTest {

    private static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");

    @Test
    void aRunbookGetsItsHourlyBudgetPerSlidingHour() {
        ActionRateLimiter limiter = new ActionRateLimiter();
        assertThat(limiter.tryAcquire("r", 2, T0)).isTrue();
        assertThat(limiter.tryAcquire("r", 2, T0.plusSeconds(600))).isTrue();
        assertThat(limiter.tryAcquire("r", 2, T0.plusSeconds(1200))).isFalse();
        assertThat(limiter.tryAcquire("other", 2, T0.plusSeconds(1200)))
                .as("budgets are per runbook")
                .isTrue();
        assertThat(limiter.tryAcquire("r", 2, T0.plusSeconds(3600)))
                .as("the first execution left the hour")
                .isTrue();
        assertThat(limiter.tryAcquire("r", 2, T0.plusSeconds(3700))).isFalse();
    }

    @Test
    void aTargetTakesOnlyAsManyActionsAsItsLimit() {
        TargetLocks locks = new TargetLocks(1);
        assertThat(locks.tryAcquire("payments")).isTrue();
        assertThat(locks.tryAcquire("payments")).isFalse();
        assertThat(locks.tryAcquire("catalogue")).isTrue();
        locks.release("payments");
        assertThat(locks.tryAcquire("payments")).isTrue();

        TargetLocks two = new TargetLocks(2);
        assertThat(two.tryAcquire("t")).isTrue();
        assertThat(two.tryAcquire("t")).isTrue();
        assertThat(two.tryAcquire("t")).isFalse();
    }
}
