package io.faultline.resolver.engine;

import java.util.HashMap;
import java.util.Map;

/**
 * Limits how many actions act on one target at once, across runbooks: two groups failing
 * because of the same dependency must not both restart it.
 */
public final class TargetLocks {

    private final int limit;
    private final Map<String, Integer> holders = new HashMap<>();

    public TargetLocks(int limit) {
        this.limit = limit;
    }

    public synchronized boolean tryAcquire(String target) {
        int held = holders.getOrDefault(target, 0);
        if (held >= limit) {
            return false;
        }
        holders.put(target, held + 1);
        return true;
    }

    public synchronized void release(String target) {
        holders.computeIfPresent(target, (k, held) -> held <= 1 ? null : held - 1);
    }
}
