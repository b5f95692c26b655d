package io.faultline.examples.booking.payment;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;

/**
 * A count-based circuit breaker in front of the payment gateway. Its open-state wait is the
 * incident the demo replays: configured far too long (an hour), so once open it never probes the
 * recovered gateway and every payment is refused until someone resets it.
 */
public final class CircuitBreaker {

    public enum State {
        CLOSED,
        OPEN
    }

    private final String name;
    private final int failureThreshold;
    private final Duration openFor;
    private final Clock clock;
    private State state = State.CLOSED;
    private int consecutiveFailures;
    private Instant openedAt;
    private long resets;

    public CircuitBreaker(String name, int failureThreshold, Duration openFor, Clock clock) {
        this.name = name;
        this.failureThreshold = failureThreshold;
        this.openFor = openFor;
        this.clock = clock;
    }

    public <T> T call(Callable<T> call) throws Exception {
        synchronized (this) {
            if (state == State.OPEN) {
                if (clock.instant().isBefore(openedAt.plus(openFor))) {
                    throw new CallNotPermittedException(name, openedAt);
                }
                state = State.CLOSED; // the wait is over: let calls through again
                consecutiveFailures = 0;
            }
        }
        try {
            T result = call.call();
            synchronized (this) {
                consecutiveFailures = 0;
            }
            return result;
        } catch (Exception e) {
            synchronized (this) {
                if (++consecutiveFailures >= failureThreshold) {
                    trip();
                }
            }
            throw e;
        }
    }

    public synchronized void trip() {
        state = State.OPEN;
        openedAt = clock.instant();
    }

    /** What the remediation webhook calls: close the breaker so calls reach the gateway again. */
    public synchronized void reset() {
        close();
        resets++;
    }

    /** Closes without counting a reset: the demo's "heal everything" between scenarios. */
    public synchronized void close() {
        state = State.CLOSED;
        consecutiveFailures = 0;
        openedAt = null;
    }

    public synchronized State state() {
        return state;
    }

    public synchronized long resets() {
        return resets;
    }

    public String name() {
        return name;
    }

    /** Refused by the open breaker; named and worded like Resilience4j's, which users know. */
    public static final class CallNotPermittedException extends RuntimeException {
        CallNotPermittedException(String name, Instant openedAt) {
            super("CircuitBreaker '" + name + "' is OPEN and does not permit further calls (open since " + openedAt
                    + ")");
        }
    }
}
