package io.faultline.classifier.streams;

import io.faultline.classifier.detection.DetectionSettings;
import io.faultline.classifier.detection.SpikeThreshold;
import io.faultline.schemas.ClassifiedError;
import io.faultline.schemas.Signal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Partitioned by group id: counts each group's errors per event-time hour in a window store that
 * keeps a week and a day, and emits a {@code spike} signal when the hour's count exceeds the
 * {@link SpikeThreshold} of the hours before it. At most one spike per group per hour: the last
 * hour that fired is kept in a store, so a replay after a crash finds it and stays quiet, and the
 * signal id (type, group, hour) lets downstream consumers drop any duplicate that still slips by.
 * An event whose hour closed more than the grace period ago (in the latest event time this processor has seen) is not counted.
 */
final class SpikeProcessor implements FixedKeyProcessor<String, ClassifiedError, Signal> {

    static final Duration HOUR = Duration.ofHours(1);
    /** A week of history for the threshold plus a day of slack for late data and restarts. */
    static final Duration RETENTION = Duration.ofDays(8);

    private static final long HOUR_MS = HOUR.toMillis();

    private final String countsStoreName;
    private final String firedStoreName;
    private final long graceMs;
    private final SpikeThreshold threshold;
    private final double floor;

    /**
     * A group's limit for the hour being counted, derived from the hours before it. Only an event
     * of an earlier hour changes those, and such an event replaces the entry (it is for another
     * hour), so the week's range scan runs once per group and hour instead of once per event.
     * Derived from the stores, so losing it (restart, eviction) only costs a scan.
     */
    private record HourLimit(long hour, SpikeThreshold.Limit limit, int historyHours) {}

    private final Map<String, HourLimit> limits = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, HourLimit> eldest) {
            return size() > 10_000;
        }
    };
    private FixedKeyProcessorContext<String, Signal> context;
    private WindowStore<String, Long> hourly;
    private LatestWindowCounts hourlyCounts;
    private KeyValueStore<String, Long> fired;
    /** The latest event time seen: the task also carries traffic, whose times say nothing of errors. */
    private long observedTimeMs = Long.MIN_VALUE;

    SpikeProcessor(String countsStoreName, String firedStoreName, DetectionSettings settings) {
        this.countsStoreName = countsStoreName;
        this.firedStoreName = firedStoreName;
        this.graceMs = settings.grace().toMillis();
        this.threshold = new SpikeThreshold(settings);
        this.floor = settings.spikeFloor();
    }

    @Override
    public void init(FixedKeyProcessorContext<String, Signal> context) {
        this.context = context;
        this.hourly = context.getStateStore(countsStoreName);
        this.hourlyCounts = new LatestWindowCounts(hourly);
        this.fired = context.getStateStore(firedStoreName);
    }

    @Override
    public void process(FixedKeyRecord<String, ClassifiedError> record) {
        String groupId = record.key();
        long hour = Math.floorDiv(record.timestamp(), HOUR_MS) * HOUR_MS;
        observedTimeMs = Math.max(observedTimeMs, record.timestamp());
        if (hour + HOUR_MS + graceMs <= observedTimeMs) {
            return;
        }
        long count = hourlyCounts.increment(groupId, hour);
        HourLimit known = limits.get(groupId);
        if (known != null && known.hour() != hour) {
            limits.remove(groupId); // a new hour, or a late event changing the history of this one
        }

        if (count <= floor) {
            return; // no limit is below the floor: spare the week's scan
        }
        Long lastFired = fired.get(groupId);
        if (lastFired != null && lastFired >= hour) {
            return;
        }
        HourLimit limit = limits.get(groupId);
        if (limit == null || limit.hour() != hour) {
            long[] history = history(groupId, hour);
            limit = new HourLimit(hour, threshold.limit(history), history.length);
            limits.put(groupId, limit);
        }
        if (count <= limit.limit().value()) {
            return;
        }
        fired.put(groupId, hour);
        limits.remove(groupId);
        context.forward(record.withValue(signal(record.value(), hour, count, limit.limit(), limit.historyHours())));
    }

    /** Hourly counts from the group's first hour in the last week up to the hour before {@code hour}. */
    private long[] history(String groupId, long hour) {
        long from = hour - SpikeThreshold.WEEK_HOURS * HOUR_MS;
        List<KeyValue<Long, Long>> seen = new ArrayList<>();
        try (WindowStoreIterator<Long> it =
                hourly.fetch(groupId, Instant.ofEpochMilli(from), Instant.ofEpochMilli(hour - 1))) {
            it.forEachRemaining(seen::add);
        }
        if (seen.isEmpty()) {
            return new long[0];
        }
        long first = seen.get(0).key;
        long[] counts = new long[(int) ((hour - first) / HOUR_MS)];
        for (KeyValue<Long, Long> kv : seen) {
            counts[(int) ((kv.key - first) / HOUR_MS)] = kv.value;
        }
        return counts;
    }

    private static Signal signal(
            ClassifiedError classified, long hour, long count, SpikeThreshold.Limit limit, int historyHours) {
        String groupId = classified.getGroupId();
        return Signal.newBuilder()
                .setSignalId("spike:" + groupId + ":" + hour)
                .setType("spike")
                .setProjectId(classified.getEvent().getProjectId())
                .setGroupId(groupId)
                .setWorkflow(classified.getClassification().getWorkflow())
                .setSeverity(classified.getClassification().getSeverity())
                .setDetectedAt(classified.getEvent().getTimestamp())
                .setWindowStart(Instant.ofEpochMilli(hour))
                .setWindowEnd(Instant.ofEpochMilli(hour + HOUR_MS))
                .setObserved(count)
                .setThreshold(limit.value())
                .setMessage("spike: " + count + " events in the hour, limit " + Math.round(limit.value()) + ": "
                        + classified.getGrouping().getTitle())
                .setDetails(Map.of(
                        "basis", limit.basis(),
                        "baseline", Double.toString(limit.baseline()),
                        "spread", Double.toString(limit.spread()),
                        "historyHours", Integer.toString(historyHours),
                        "eventId", classified.getEvent().getEventId()))
                .build();
    }
}
