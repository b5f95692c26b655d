package io.faultline.impact.service;

import io.faultline.impact.service.ClassifiedBatch.Event;
import io.faultline.impact.workflow.WorkflowCatalog;
import io.faultline.schemas.ClassifiedError;
import io.faultline.schemas.ErrorEvent;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * What a classified error is stored as: its event row, with the workflow it is attributed to and
 * the SDK's free text cut to its columns. The batch writer ({@code repository.ImpactRecorder})
 * stores these rows.
 */
@ApplicationScoped
public class ClassifiedEvents {

    private final WorkflowCatalog workflows;

    public ClassifiedEvents(WorkflowCatalog workflows) {
        this.workflows = workflows;
    }

    /**
     * The classifier's workflow if it decided one, else the event's {@code workflow} tag, else the
     * configured patterns on transaction, service and category.
     */
    public String workflowOf(ClassifiedError classified) {
        ErrorEvent event = classified.getEvent();
        var tags = event.getTags();
        String explicit = classified.getClassification().getWorkflow();
        if (explicit == null && tags != null) {
            explicit = tags.get("workflow");
        }
        String service = tags == null ? null : tags.get("service");
        return workflows.attribute(
                explicit,
                event.getTransaction(),
                service != null ? service : event.getServerName(),
                classified.getClassification().getCategory());
    }

    /** The row a classified error is stored as (before a merge may move it to its survivor group). */
    public Event eventOf(ClassifiedError classified) {
        ErrorEvent e = classified.getEvent();
        var c = classified.getClassification();
        var g = classified.getGrouping();
        return new Event(
                e.getEventId(),
                classified.getGroupId(),
                e.getProjectId(),
                OffsetDateTime.ofInstant(e.getTimestamp(), ZoneOffset.UTC),
                OffsetDateTime.ofInstant(e.getReceivedAt(), ZoneOffset.UTC),
                e.getLevel(),
                c.getSeverity(),
                c.getCategory(),
                c.getBusinessImpact(),
                workflowOf(classified),
                // free text from the SDK, cut to its columns rather than failing the batch
                clip(e.getRelease(), 200),
                clip(e.getEnvironment(), 100),
                e.getMessage() != null ? e.getMessage() : g.getTitle(),
                g.getTitle(),
                g.getCulprit(),
                g.getStrategy());
    }

    public static String clip(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }
}
