package io.faultline.resolver.runbook;

import java.time.Duration;

/**
 * How the resolver decides that an action worked, judged from the classified errors of the
 * group that arrive after the action succeeded.
 */
public sealed interface VerificationSpec {

    /** How long after the action the verdict is given. */
    Duration window();

    /** Passes if no occurrence of the group arrives for {@code window} after the action. */
    record QuietFor(Duration window) implements VerificationSpec {}

    /**
     * Passes if, {@code window} after the action, the group's rate over the last minute (or the
     * whole window if shorter) is below {@code perMinute}.
     */
    record RateBelow(double perMinute, Duration window) implements VerificationSpec {}
}
