package io.faultline.classifier.rates;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;

/**
 * Interactive queries over the windowed error-count stores of the classifier topology, on this
 * instance's stores; with several instances, the REST resource asks the one holding a key
 * ({@link RateOwners}).
 */
public final class RateQueries {

    /** Where the window stores come from: the running {@code KafkaStreams}, or a test driver. */
    @FunctionalInterface
    public interface WindowStores {
        ReadOnlyWindowStore<String, Long> store(String storeName);
    }

    private final WindowStores stores;
    private final Clock clock;

    public RateQueries(WindowStores stores, Clock clock) {
        this.stores = stores;
        this.clock = clock;
    }

    public ErrorRates group(String groupId) {
        return rates(RateDimension.GROUP, groupId);
    }

    public ErrorRates project(String projectId) {
        return rates(RateDimension.PROJECT, projectId);
    }

    public ErrorRates workflow(String projectId, String workflow) {
        return rates(RateDimension.WORKFLOW, projectId + "/" + workflow);
    }

    public ErrorRates rates(RateDimension dimension, String key) {
        Instant now = clock.instant();
        List<ErrorRates.WindowRate> windows = new ArrayList<>();
        for (RateWindow window : RateWindow.values()) {
            ReadOnlyWindowStore<String, Long> store = stores.store(dimension.storeName(window));
            long size = window.size().toMillis();
            long start = Math.floorDiv(now.toEpochMilli(), size) * size;
            windows.add(new ErrorRates.WindowRate(
                    window.label(),
                    Instant.ofEpochMilli(start),
                    Instant.ofEpochMilli(start + size),
                    count(store, key, start),
                    count(store, key, start - size)));
        }
        return new ErrorRates(dimension.label(), key, now, List.copyOf(windows));
    }

    private static long count(ReadOnlyWindowStore<String, Long> store, String key, long windowStart) {
        Long count = store.fetch(key, windowStart);
        return count == null ? 0 : count;
    }
}
