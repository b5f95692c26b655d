package io.faultline.devstack.launcher;

import java.time.Duration;

/**
 * How long a component that exited waits before it is started again, as Kubernetes' CrashLoopBackOff
 * does: doubling from the first delay up to a ceiling, and back to the first once a run lasted
 * long enough to count as healthy. A component that cannot start does not spin the machine.
 */
class RestartBackoff {

    static final Duration FIRST = Duration.ofSeconds(1);
    static final Duration MAX = Duration.ofSeconds(30);
    /** A component that ran this long before it exited starts again after the first delay. */
    static final Duration HEALTHY_RUN = Duration.ofSeconds(60);

    private final Duration first;
    private final Duration max;
    private final Duration healthyRun;
    private Duration next;

    RestartBackoff() {
        this(FIRST, MAX, HEALTHY_RUN);
    }

    RestartBackoff(Duration first, Duration max, Duration healthyRun) {
        this.first = first;
        this.max = max;
        this.healthyRun = healthyRun;
        this.next = first;
    }

    /** The delay before the next start of a component whose last run lasted {@code ranFor}. */
    synchronized Duration after(Duration ranFor) {
        if (ranFor.compareTo(healthyRun) >= 0) {
            next = first;
        }
        Duration wait = next;
        Duration doubled = next.multipliedBy(2);
        next = doubled.compareTo(max) > 0 ? max : doubled;
        return wait;
    }
}
