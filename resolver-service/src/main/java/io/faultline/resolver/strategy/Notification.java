package io.faultline.resolver.strategy;

import java.util.Map;

/** What a human is told when automation escalates (or a runbook notifies). */
public record Notification(
        String attemptId,
        String runbookId,
        String groupId,
        String projectId,
        String severity,
        String category,
        String summary,
        Map<String, String> details) {

    public Notification {
        details = Map.copyOf(details);
    }
}
