package io.faultline.resolver.strategy;

import java.util.Map;

/** What one try achieved; the details go to the audit trail. */
public record ActionOutcome(boolean succeeded, String message, Map<String, String> details) {

    public ActionOutcome {
        details = Map.copyOf(details);
    }

    public static ActionOutcome success(String message, Map<String, String> details) {
        return new ActionOutcome(true, message, details);
    }

    public static ActionOutcome failure(String message, Map<String, String> details) {
        return new ActionOutcome(false, message, details);
    }
}
