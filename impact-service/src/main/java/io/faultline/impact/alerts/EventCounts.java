package io.faultline.impact.alerts;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Events counted per rule and key (a group, a workflow, a project) over the rule's window, in
 * memory: each key holds twelve buckets of a twelfth of the window, so its memory is fixed, and at
 * most {@code faultline.alerts.max-counted-keys} keys are held (idle ones are dropped first; past the
 * bound, new keys are not counted and the overflow metric says so). Counts start from zero on a
 * restart and are per instance: a rule of more than N in T is a rate seen by this instance's
 * partitions. A batch retried after a failed transaction counts twice; the action interval
 * keeps that from alerting twice.
 */
@ApplicationScoped
public class EventCounts {

    static final int BUCKETS = 12;

    private static final Counter OVERFLOW = Counter.builder("faultline.impact.alerts.counts.overflow")
            .description("events not counted for an alert rule because the counted keys were at their bound")
            .register(Metrics.globalRegistry);

    private final int maxKeys;
    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

    public EventCounts(
            @ConfigProperty(name = "faultline.alerts.max-counted-keys", defaultValue = "20000") int maxKeys) {
        this.maxKeys = maxKeys;
    }

    /** Counts one event at {@code now} (ms) and @return the events in the rule's window, this one included. */
    long add(AlertRule rule, String key, long now) {
        String k = rule.id() + "\u0000" + rule.windowSeconds() + "\u0000" + key;
        Window w = windows.get(k);
        if (w == null) {
            if (windows.size() >= maxKeys) {
                long idleSince = now;
                windows.values().removeIf(x -> x.idle(idleSince));
                if (windows.size() >= maxKeys) {
                    OVERFLOW.increment();
                    return 0;
                }
            }
            w = windows.computeIfAbsent(k, x -> new Window(rule.windowSeconds() * 1000L / BUCKETS));
        }
        return w.add(now);
    }

    int keys() {
        return windows.size();
    }

    /** A window of {@link #BUCKETS} buckets; synchronized: several consumers may count one key. */
    static final class Window {
        private final long bucketMillis;
        private final long[] counts = new long[BUCKETS];
        private final long[] starts = new long[BUCKETS];
        private long last;

        Window(long bucketMillis) {
            this.bucketMillis = Math.max(1, bucketMillis);
        }

        synchronized long add(long now) {
            long start = now - now % bucketMillis;
            int slot = (int) ((now / bucketMillis) % BUCKETS);
            if (starts[slot] != start) {
                starts[slot] = start;
                counts[slot] = 0;
            }
            counts[slot]++;
            last = now;
            long sum = 0;
            long oldest = start - (BUCKETS - 1) * bucketMillis;
            for (int i = 0; i < BUCKETS; i++) {
                if (starts[i] >= oldest) {
                    sum += counts[i];
                }
            }
            return sum;
        }

        synchronized boolean idle(long now) {
            return now - last > bucketMillis * BUCKETS;
        }
    }
}
