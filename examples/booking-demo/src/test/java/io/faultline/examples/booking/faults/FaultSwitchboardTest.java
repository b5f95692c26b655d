package io.faultline.examples.booking.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class FaultSwitchboardTest {

    private Instant now = Instant.parse("2026-11-30T10:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    @Test
    void aFaultWithADurationHealsByItselfOneWithoutStaysUntilSwitchedOff() {
        FaultSwitchboard faults = new FaultSwitchboard(clock);
        faults.switchOn(Fault.DATABASE_CONNECTION_DROP, Duration.ofMillis(1500));
        faults.switchOn(Fault.SLOW_AVAILABILITY, null);

        now = now.plusMillis(1499);
        assertThat(faults.isOn(Fault.DATABASE_CONNECTION_DROP)).isTrue();
        now = now.plusMillis(1);
        assertThat(faults.isOn(Fault.DATABASE_CONNECTION_DROP)).isFalse();

        now = now.plus(Duration.ofDays(1));
        assertThat(faults.describe()).containsOnlyKeys("slow-availability");
        faults.switchOff(Fault.SLOW_AVAILABILITY);
        assertThat(faults.isOn(Fault.SLOW_AVAILABILITY)).isFalse();
    }

    @Test
    void faultsAreAddressedByTheirWireNames() {
        assertThat(Fault.fromWire("payment-circuit-stuck-open")).contains(Fault.PAYMENT_CIRCUIT_STUCK_OPEN);
        assertThat(Fault.fromWire("meteor-strike")).isEmpty();
    }
}
