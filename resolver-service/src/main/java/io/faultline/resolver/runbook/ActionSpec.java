package io.faultline.resolver.runbook;

import java.time.Duration;
import java.util.Map;

/**
 * One remediation step of a runbook.
 *
 * @param target what the action acts on (a service, a deployment); actions on the same target
 *     are limited in concurrency across all runbooks. Defaults to the action name.
 * @param parameters strategy parameters; values may hold {@code ${...}} placeholders filled from
 *     the trigger
 */
public record ActionSpec(
        String name,
        String strategy,
        String target,
        Map<String, String> parameters,
        int maxAttempts,
        BackoffPolicy backoff,
        Duration timeout) {

    public ActionSpec {
        parameters = Map.copyOf(parameters);
    }
}
