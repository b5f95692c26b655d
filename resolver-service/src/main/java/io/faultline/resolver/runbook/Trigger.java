package io.faultline.resolver.runbook;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a runbook is matched against: one classified error or one detector signal, reduced to
 * the fields runbooks can name. Absent values are null (or empty collections), never "".
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
        String signalType) {

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

    /** The text a message pattern is matched against: the template when known, else the message. */
    public String matchableMessage() {
        if (messageTemplate != null) {
            return messageTemplate;
        }
        return message != null ? message : title;
    }
}
