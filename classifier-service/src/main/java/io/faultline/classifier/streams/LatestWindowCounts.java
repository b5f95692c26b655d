package io.faultline.classifier.streams;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Counts events per key and window in a window store, remembering each key's latest window and
 * count so the next event of that window does not read it back from the store. Reading it back
 * cost a key serialization and a cache lookup per event and store; only this counter writes its
 * store, so the remembered count is the stored one. An event of another window (a new one, or a
 * late event of an older one) reads the store as before; losing what is remembered (restart,
 * eviction) costs a read, nothing else.
 */
final class LatestWindowCounts {

    private static final int REMEMBERED_KEYS = 10_000;

    private final WindowStore<String, Long> store;
    /** Key → {window start, count}, the latest window each key was counted in. */
    private final Map<String, long[]> latest = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, long[]> eldest) {
            return size() > REMEMBERED_KEYS;
        }
    };

    LatestWindowCounts(WindowStore<String, Long> store) {
        this.store = store;
    }

    /** Adds one event to {@code key}'s window starting at {@code windowStart}; returns its new count. */
    long increment(String key, long windowStart) {
        long[] known = latest.get(key);
        long count;
        if (known != null && known[0] == windowStart) {
            count = known[1] + 1;
        } else {
            Long stored = store.fetch(key, windowStart);
            count = stored == null ? 1 : stored + 1;
        }
        store.put(key, count, windowStart);
        if (known == null) {
            latest.put(key, new long[] {windowStart, count});
        } else if (windowStart >= known[0]) {
            known[0] = windowStart;
            known[1] = count;
        }
        return count;
    }
}
