package io.faultline.impact.service;

import io.faultline.impact.workflow.WorkflowCatalog;
import io.faultline.schemas.ClassifiedError;
import io.faultline.schemas.ErrorEvent;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * Records a classified error: the event summary, its group's counters and its workflow minute,
 * all in one transaction with the processed-record marker, so redelivery never double-counts.
 */
@ApplicationScoped
public class ImpactRecorder {

    static final String CONSUMER = "impact-classified";

    private final WorkflowCatalog workflows;

    public ImpactRecorder(WorkflowCatalog workflows) {
        this.workflows = workflows;
    }

    /**
     * The classifier's workflow if it decided one, else the event's {@code workflow} tag, else the
     * configured patterns on transaction, service and category.
     */
    String workflowOf(ClassifiedError classified) {
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

    /** @return whether the event was new (false: a duplicate, nothing changed) */
    @WithTransaction
    public Uni<Boolean> record(ClassifiedError classified) {
        ErrorEvent event = classified.getEvent();
        return Panache.getSession().flatMap(session -> session.createNativeQuery(
                        "INSERT INTO processed_records (consumer, record_id) VALUES (?1, ?2)"
                                + " ON CONFLICT DO NOTHING")
                .setParameter(1, CONSUMER)
                .setParameter(2, event.getEventId())
                .executeUpdate()
                .flatMap(inserted -> inserted == 0
                        ? Uni.createFrom().item(false)
                        : apply(session, classified).replaceWith(true)));
    }

    private Uni<Void> apply(org.hibernate.reactive.mutiny.Mutiny.Session session, ClassifiedError classified) {
        ErrorEvent event = classified.getEvent();
        var c = classified.getClassification();
        var g = classified.getGrouping();
        OffsetDateTime occurred = OffsetDateTime.ofInstant(event.getTimestamp(), ZoneOffset.UTC);
        OffsetDateTime received = OffsetDateTime.ofInstant(event.getReceivedAt(), ZoneOffset.UTC);
        String workflow = workflowOf(classified);
        Uni<Integer> eventRow = session.createNativeQuery("INSERT INTO error_events (event_id, group_id, project_id,"
                        + " occurred_at, received_at, level, severity, category, business_impact, workflow, release,"
                        + " environment, message) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"
                        + " ON CONFLICT DO NOTHING")
                .setParameter(1, event.getEventId())
                .setParameter(2, classified.getGroupId())
                .setParameter(3, event.getProjectId())
                .setParameter(4, occurred)
                .setParameter(5, received)
                .setParameter(6, event.getLevel())
                .setParameter(7, c.getSeverity())
                .setParameter(8, c.getCategory())
                .setParameter(9, c.getBusinessImpact())
                .setParameter(10, workflow)
                .setParameter(11, event.getRelease())
                .setParameter(12, event.getEnvironment())
                .setParameter(13, event.getMessage() != null ? event.getMessage() : g.getTitle())
                .executeUpdate();
        Uni<Integer> groupRow = session.createNativeQuery("INSERT INTO error_groups (group_id, project_id, title,"
                        + " culprit, strategy, severity, category, business_impact, workflow, first_seen, last_seen,"
                        + " event_count) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, 1)"
                        + " ON CONFLICT (group_id) DO UPDATE SET event_count = error_groups.event_count + 1,"
                        + " title = EXCLUDED.title, culprit = EXCLUDED.culprit, severity = EXCLUDED.severity,"
                        + " category = EXCLUDED.category, business_impact = EXCLUDED.business_impact,"
                        + " workflow = EXCLUDED.workflow,"
                        // a verified fix followed by a newer event is a regression
                        + " status = CASE WHEN error_groups.status = 'resolved'"
                        + " AND EXCLUDED.last_seen > error_groups.resolved_at THEN 'regressed'"
                        + " ELSE error_groups.status END,"
                        + " first_seen = LEAST(error_groups.first_seen, EXCLUDED.first_seen),"
                        + " last_seen = GREATEST(error_groups.last_seen, EXCLUDED.last_seen)")
                .setParameter(1, classified.getGroupId())
                .setParameter(2, event.getProjectId())
                .setParameter(3, g.getTitle())
                .setParameter(4, g.getCulprit())
                .setParameter(5, g.getStrategy())
                .setParameter(6, c.getSeverity())
                .setParameter(7, c.getCategory())
                .setParameter(8, c.getBusinessImpact())
                .setParameter(9, workflow)
                .setParameter(10, occurred)
                .executeUpdate();
        Uni<Integer> minuteRow = session.createNativeQuery("INSERT INTO workflow_minutes (project_id, workflow,"
                        + " minute, errors, critical_errors, revenue_blocking) VALUES (?1, ?2, ?3, 1, ?4, ?5)"
                        + " ON CONFLICT (project_id, workflow, minute) DO UPDATE SET"
                        + " errors = workflow_minutes.errors + 1,"
                        + " critical_errors = workflow_minutes.critical_errors + EXCLUDED.critical_errors,"
                        + " revenue_blocking = workflow_minutes.revenue_blocking + EXCLUDED.revenue_blocking")
                .setParameter(1, event.getProjectId())
                .setParameter(2, workflow)
                .setParameter(3, occurred.truncatedTo(ChronoUnit.MINUTES))
                .setParameter(4, "critical".equals(c.getSeverity()) ? 1L : 0L)
                .setParameter(5, "revenue_blocking".equals(c.getBusinessImpact()) ? 1L : 0L)
                .executeUpdate();
        // one session runs one statement at a time: chain, never combine
        return eventRow.chain(() -> groupRow).chain(() -> minuteRow).replaceWithVoid();
    }
}
