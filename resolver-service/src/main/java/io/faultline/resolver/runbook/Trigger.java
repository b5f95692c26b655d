package io.faultline.resolver.runbook;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a runbook is matched against: one classified error or one detector signal, reduced to
 * the fields runbooks can name. Absent values are null (or empty collections), never "".
 * {@code occurredAt} is when ingest received the event (the attempt window runs on it: a client's
 * clock must not move it); {@code raisedAt} is the application's own timestamp of the error, used
 * only to tell errors raised before an action from those raised after it.
 */
public record Trigger(
        Source source,
        String groupId,
        String projectId,
        String eventId,
        Instant occurredAt,
        List<String> fingerprint,
        String category,
        String severity,
        String businessImpact,
        String workflow,
        String release,
        String environment,
        List<String> exceptionTypes,
        String messageTemplate,
        String message,
        String title,
        Map<String, String> tags,
        Map<String, String> extra,
        String signalType,
        Instant raisedAt) {

    public enum Source {
        CLASSIFIED_ERROR,
        SIGNAL
    }

    public Trigger {
        fingerprint = fingerprint == null ? List.of() : List.copyOf(fingerprint);
        exceptionTypes = exceptionTypes == null ? List.of() : List.copyOf(exceptionTypes);
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        extra = extra == null ? Map.of() : Map.copyOf(extra);
    }

    private static final String WORKFLOW_PREFIX = "workflow:";
    private static final String PROJECT_PREFIX = "project:";

    /** The key a workflow-level signal (an SLO burn) stands under in place of a group. */
    public static String workflowKey(String workflow) {
        return WORKFLOW_PREFIX + workflow;
    }

    /** The key a project-level signal stands under in place of a group. */
    public static String projectKey(String projectId) {
        return PROJECT_PREFIX + projectId;
    }

    /**
     * Whether this trigger stands for a whole workflow or project (a signal without a group), so
     * that verifying an action taken on it counts the errors of every group of that workflow or
     * project after it.
     */
    public boolean standsForWorkflowOrProject() {
        return groupId.startsWith(WORKFLOW_PREFIX) || groupId.startsWith(PROJECT_PREFIX);
    }

    /** The text a message pattern is matched against: the template when known, else the message. */
    public String matchableMessage() {
        if (messageTemplate != null) {
            return messageTemplate;
        }
        return message != null ? message : title;
    }
}
