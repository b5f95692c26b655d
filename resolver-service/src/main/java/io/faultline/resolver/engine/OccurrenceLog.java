package io.faultline.resolver.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * When a group's errors happened, for one verification: filled by an {@link OccurrenceSource}
 * with the errors of the stretch it judges. Within a group, arrivals older than {@code keep} are
 * dropped as new ones come and at most {@link #MAX_PER_GROUP} are kept (the last recorded), so a
 * verification over a flood of errors stays bounded. A redelivered event (same event id) is not a
 * new occurrence: counting it would fail a verification that in fact passed.
 */
public final class OccurrenceLog {

    private record Arrival(Instant at, String eventId) {}

    /** One group's arrivals, oldest first, with their event ids for the redelivery check. */
    private static final class GroupArrivals extends ArrayDeque<Arrival> {
        final Set<String> eventIds = new HashSet<>();
    }

    /** Arrivals kept per group; a verification threshold is far below it (errors a minute). */
    static final int MAX_PER_GROUP = 20_000;

    private final Duration keep;
    private final Map<String, GroupArrivals> arrivals = new HashMap<>();

    public OccurrenceLog(Duration keep) {
        this.keep = keep;
    }

    /** How far before ingest received it an application's own error timestamp is believed. */
    static final Duration MAX_REPORTING_DELAY = Duration.ofSeconds(5);

    /**
     * When an occurrence counts as having happened: when the application raised it, not when it
     * reached the resolver. An error raised before the action that crossed the SDK's send queue,
     * ingest and the classifier after it is no evidence that the action failed; judging by arrival
     * would fail every fix made while errors were in flight. The application's timestamp is
     * believed up to {@link #MAX_REPORTING_DELAY} before ingest received the event (a client clock
     * running behind must not hide errors raised after the fix), and nothing is placed after the
     * arrival (a clock running ahead must not move errors into the future).
     */
    public static Instant occurrenceTime(Instant raisedByApp, Instant receivedAtIngest, Instant arrived) {
        Instant t = receivedAtIngest != null ? receivedAtIngest : arrived;
        if (raisedByApp != null && raisedByApp.isBefore(t)) {
            Instant earliest = t.minus(MAX_REPORTING_DELAY);
            t = raisedByApp.isBefore(earliest) ? earliest : raisedByApp;
        }
        return t.isBefore(arrived) ? t : arrived;
    }

    public synchronized void record(String groupId, String eventId, Instant at) {
        GroupArrivals d = arrivals.computeIfAbsent(groupId, k -> new GroupArrivals());
        if (eventId != null && !d.eventIds.add(eventId)) {
            return;
        }
        d.addLast(new Arrival(at, eventId));
        Instant cutoff = at.minus(keep);
        while (!d.isEmpty() && (d.peekFirst().at().isBefore(cutoff) || d.size() > MAX_PER_GROUP)) {
            d.eventIds.remove(d.pollFirst().eventId());
        }
    }

    /** Arrivals of the group after {@code from} (exclusive) up to {@code to} (inclusive). */
    public synchronized int count(String groupId, Instant from, Instant to) {
        GroupArrivals d = arrivals.get(groupId);
        if (d == null) {
            return 0;
        }
        int n = 0;
        for (Arrival a : d) {
            if (a.at().isAfter(from) && !a.at().isAfter(to)) {
                n++;
            }
        }
        return n;
    }

    /** The latest occurrence of the group after {@code from} (exclusive) up to {@code to}, if any. */
    public synchronized java.util.Optional<Instant> latest(String groupId, Instant from, Instant to) {
        GroupArrivals d = arrivals.get(groupId);
        Instant latest = null;
        if (d != null) {
            for (Arrival a : d) {
                if (a.at().isAfter(from) && !a.at().isAfter(to) && (latest == null || a.at().isAfter(latest))) {
                    latest = a.at();
                }
            }
        }
        return java.util.Optional.ofNullable(latest);
    }
}
