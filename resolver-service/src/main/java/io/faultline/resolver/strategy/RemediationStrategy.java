package io.faultline.resolver.strategy;

/**
 * One way of acting on a production problem (call a webhook, re-drive a message, restart a
 * deployment, notify a human). Implementations are blocking and called on the resolver's worker
 * threads; the engine bounds each call by the action's timeout and owns retries, so a strategy
 * makes exactly one try per call.
 */
public interface RemediationStrategy {

    /** The name runbooks use in {@code strategy:}. */
    String name();

    ActionOutcome execute(ActionRequest request) throws Exception;
}
