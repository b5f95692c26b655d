package io.faultline.examples.booking.faults;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which faults are switched on, each until an optional expiry. Some faults heal by themselves
 * (a database failover ends), others stay until something fixes them; the expiry models the
 * former and is absent for the latter.
 */
@ApplicationScoped
public class FaultSwitchboard {

    private static final Instant FOREVER = Instant.MAX;

    private final Clock clock;
    private final Map<Fault, Instant> active = new EnumMap<>(Fault.class);

    public FaultSwitchboard() {
        this(Clock.systemUTC());
    }

    FaultSwitchboard(Clock clock) {
        this.clock = clock;
    }

    /** Switches a fault on, for {@code duration} or (when null) until switched off. */
    public synchronized void switchOn(Fault fault, Duration duration) {
        active.put(fault, duration == null ? FOREVER : clock.instant().plus(duration));
    }

    public synchronized void switchOff(Fault fault) {
        active.remove(fault);
    }

    public synchronized void switchAllOff() {
        active.clear();
    }

    public synchronized boolean isOn(Fault fault) {
        Instant until = active.get(fault);
        if (until == null) {
            return false;
        }
        if (!clock.instant().isBefore(until)) {
            active.remove(fault);
            return false;
        }
        return true;
    }

    /** The faults on now, each with its expiry ("until switched off" for none). */
    public synchronized Map<String, String> describe() {
        Map<String, String> out = new LinkedHashMap<>();
        for (Fault f : Fault.values()) {
            if (isOn(f)) {
                Instant until = active.get(f);
                out.put(f.wireName(), until.equals(FOREVER) ? "until switched off" : "until " + until);
            }
        }
        return out;
    }
}
