package io.faultline.resolver.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * The resolver's own circuit breaker: at most N action executions per runbook in any sliding
 * hour. A runbook that keeps firing is not fixing anything, and repeating a restart or a
 * re-drive in a loop can turn an incident into an outage.
 */
public final class ActionRateLimiter {

    private static final Duration WINDOW = Duration.ofHours(1);
    private final Map<String, Deque<Instant>> executions = new HashMap<>();

    public synchronized boolean tryAcquire(String runbookId, int maxPerHour, Instant now) {
        Deque<Instant> recent = executions.computeIfAbsent(runbookId, k -> new ArrayDeque<>());
        Instant cutoff = now.minus(WINDOW);
        while (!recent.isEmpty() && !recent.peekFirst().isAfter(cutoff)) {
            recent.pollFirst();
        }
        if (recent.size() >= maxPerHour) {
            return false;
        }
        recent.addLast(now);
        return true;
    }
}
