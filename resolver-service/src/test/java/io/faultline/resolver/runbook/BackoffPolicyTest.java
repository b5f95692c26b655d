package io.faultline.resolver.runbook;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffPolicyTest {

    private final BackoffPolicy policy = new BackoffPolicy(Duration.ofSeconds(1), Duration.ofSeconds(10), 2, 0.5);

    @Test
    void delaysGrowExponentiallyUpToTheCap() {
        // random 0.5 = no jitter
        assertThat(policy.delayBefore(2, () -> 0.5)).isEqualTo(Duration.ofSeconds(1));
        assertThat(policy.delayBefore(3, () -> 0.5)).isEqualTo(Duration.ofSeconds(2));
        assertThat(policy.delayBefore(4, () -> 0.5)).isEqualTo(Duration.ofSeconds(4));
        assertThat(policy.delayBefore(5, () -> 0.5)).isEqualTo(Duration.ofSeconds(8));
        assertThat(policy.delayBefore(6, () -> 0.5)).isEqualTo(Duration.ofSeconds(10));
        assertThat(policy.delayBefore(60, () -> 0.5)).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void jitterSpreadsTheDelayWithinItsFractionAndNeverPastTheCap() {
        assertThat(policy.delayBefore(3, () -> 0.0)).isEqualTo(Duration.ofSeconds(1));
        assertThat(policy.delayBefore(3, () -> 0.999_999)).isBetween(Duration.ofMillis(2_999), Duration.ofSeconds(3));
        assertThat(policy.delayBefore(6, () -> 0.999_999)).isEqualTo(Duration.ofSeconds(10));
        BackoffPolicy none = new BackoffPolicy(Duration.ofMillis(100), Duration.ofSeconds(1), 3, 0);
        assertThat(none.delayBefore(3, () -> 0.0)).isEqualTo(Duration.ofMillis(300));
    }
}
