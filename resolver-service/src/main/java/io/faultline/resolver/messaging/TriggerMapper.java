package io.faultline.resolver.messaging;

import io.faultline.resolver.runbook.Trigger;
import io.faultline.schemas.ClassifiedError;
import io.faultline.schemas.ErrorEvent;
import io.faultline.schemas.ExceptionValue;
import io.faultline.schemas.Signal;
import java.util.List;
import java.util.stream.Stream;

/** Avro records in, the resolver's {@link Trigger} out. */
final class TriggerMapper {

    private TriggerMapper() {}

    static Trigger fromClassified(ClassifiedError c) {
        ErrorEvent e = c.getEvent();
        String template = c.getGrouping().getTemplate();
        if (template == null && e.getLogentry() != null) {
            template = e.getLogentry().getMessage();
        }
        String message = e.getMessage();
        if (message == null && e.getLogentry() != null) {
            message = e.getLogentry().getFormatted();
        }
        if (message == null && !e.getExceptions().isEmpty()) {
            message = e.getExceptions().get(e.getExceptions().size() - 1).getValue();
        }
        List<String> exceptionTypes = e.getExceptions().stream()
                .flatMap(TriggerMapper::typeNames)
                .distinct()
                .toList();
        return new Trigger(
                Trigger.Source.CLASSIFIED_ERROR,
                c.getGroupId(),
                e.getProjectId(),
                e.getEventId(),
                // ingest's clock, not the client's: the trigger window must not move with client skew
                e.getReceivedAt(),
                c.getGrouping().getComponents(),
                c.getClassification().getCategory(),
                c.getClassification().getSeverity(),
                c.getClassification().getBusinessImpact(),
                c.getClassification().getWorkflow(),
                e.getRelease(),
                e.getEnvironment(),
                exceptionTypes,
                template,
                message,
                c.getGrouping().getTitle(),
                e.getTags(),
                e.getExtra(),
                null,
                e.getTimestamp());
    }

    /**
     * The exception's type as runbooks name it: qualified with its module when the SDK sends them
     * apart (the Sentry Java SDK sends {@code type=PSQLException, module=org.postgresql.util}), as
     * the classifier does, and the bare type as well so runbooks written against it still match.
     */
    static Stream<String> typeNames(ExceptionValue v) {
        String type = v.getType();
        if (type == null || type.isBlank()) {
            return Stream.empty();
        }
        String module = v.getModule();
        if (module == null || module.isBlank() || type.contains(".")) {
            return Stream.of(type);
        }
        return Stream.of(module + "." + type, type);
    }

    static Trigger fromSignal(Signal s) {
        // a workflow-level signal (an SLO burn) has no group; its workflow stands in for one
        String groupKey = s.getGroupId() != null
                ? s.getGroupId()
                : s.getWorkflow() != null ? Trigger.workflowKey(s.getWorkflow()) : Trigger.projectKey(s.getProjectId());
        return new Trigger(
                Trigger.Source.SIGNAL,
                groupKey,
                s.getProjectId(),
                s.getSignalId(),
                s.getDetectedAt(),
                List.of(),
                null,
                s.getSeverity(),
                null,
                s.getWorkflow(),
                null,
                null,
                List.of(),
                null,
                s.getMessage(),
                s.getMessage(),
                s.getDetails(),
                java.util.Map.of(),
                s.getType(),
                s.getDetectedAt());
    }
}
