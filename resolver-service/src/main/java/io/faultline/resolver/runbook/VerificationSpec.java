package io.faultline.resolver.runbook;

import java.time.Duration;

/**
 * How the resolver decides that an action worked, judged from the classified errors of the
 * group that arrive after the action succeeded.
 */
public sealed interface VerificationSpec {

    /** How long after the action the verdict is given. */
    Duration window();

    /**
     * Passes if the group is quiet for {@code window}: right after the action, or, with a longer
     * {@code within}, in any stretch that ends within {@code within} of the action. The latter is
     * for faults that outlast the action by a moment (a database still failing over when the
     * failed work is re-driven): the verdict waits for the quiet instead of failing the action.
     */
    record QuietFor(Duration window, Duration within) implements VerificationSpec {
        public QuietFor(Duration window) {
            this(window, window);
        }
    }

    /**
     * Passes if, {@code window} after the action, the group's rate over the last minute (or the
     * whole window if shorter) is below {@code perMinute}.
     */
    record RateBelow(double perMinute, Duration window) implements VerificationSpec {}
}
