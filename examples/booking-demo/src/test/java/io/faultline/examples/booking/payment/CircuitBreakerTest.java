package io.faultline.examples.booking.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {

    private static final class MovableClock extends Clock {
        Instant now = Instant.parse("2026-11-30T10:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void opensAfterTheThresholdAndStaysOpenForItsWholeWaitUnlessReset() throws Exception {
        MovableClock clock = new MovableClock();
        CircuitBreaker breaker = new CircuitBreaker("payment-gateway", 2, Duration.ofHours(1), clock);
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> breaker.call(() -> {
                        throw new java.io.IOException("gateway down");
                    }))
                    .isInstanceOf(java.io.IOException.class);
        }
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);

        clock.now = clock.now.plus(Duration.ofMinutes(59));
        assertThatThrownBy(() -> breaker.call(() -> "ok"))
                .isInstanceOf(CircuitBreaker.CallNotPermittedException.class)
                .hasMessageStartingWith("CircuitBreaker 'payment-gateway' is OPEN and does not permit further calls");

        breaker.reset();
        assertThat(breaker.call(() -> "ok")).isEqualTo("ok");
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(breaker.resets()).isEqualTo(1);
    }

    @Test
    void closingBetweenScenariosIsNotCountedAsARemediation() {
        CircuitBreaker breaker = new CircuitBreaker("b", 1, Duration.ofHours(1), new MovableClock());
        breaker.trip();
        breaker.close();
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(breaker.resets()).isZero();
    }
}
