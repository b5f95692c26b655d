package io.faultline.resolver.strategy;

/**
 * An action whose call may or may not have taken effect: the request left, and no answer came in
 * time (an HTTP timeout after sending, a Kafka send not acknowledged within its timeout while the
 * record stays in the producer's buffer). Retrying it could apply it twice (a second restart, a
 * second re-driven order), so the engine never does: the runbook's verification judges whether it
 * worked, and without one the attempt is escalated.
 */
public class OutcomeUnknown extends Exception {

    public OutcomeUnknown(String message, Throwable cause) {
        super(message, cause);
    }
}
