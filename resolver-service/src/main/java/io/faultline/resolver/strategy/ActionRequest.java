package io.faultline.resolver.strategy;

import io.faultline.resolver.runbook.Trigger;
import java.time.Duration;
import java.util.Map;

/**
 * One try of one action.
 *
 * @param parameters the action's parameters, as written in the runbook (placeholders unfilled;
 *     the strategy fills them with {@link TemplateRenderer} using the escaping its format needs)
 * @param attempt 1 for the first try
 */
public record ActionRequest(
        String attemptId,
        String runbookId,
        String actionName,
        Map<String, String> parameters,
        Trigger trigger,
        int attempt,
        Duration timeout) {

    public ActionRequest {
        parameters = Map.copyOf(parameters);
    }

    public String required(String key) {
        String value = parameters.get(key);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("parameter '" + key + "' is required");
        }
        return value;
    }

    public String optional(String key, String fallback) {
        return parameters.getOrDefault(key, fallback);
    }

    /** The values placeholders can name. */
    public Map<String, String> variables() {
        return TemplateRenderer.variables(this);
    }
}
