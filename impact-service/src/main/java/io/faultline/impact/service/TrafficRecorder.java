package io.faultline.impact.service;

import io.faultline.impact.workflow.WorkflowCatalog;
import io.faultline.schemas.TrafficSample;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * Records a traffic sample: its requests are spread evenly over the minutes of its window (the
 * remainder going to the earliest minutes), so per-minute error rates and degraded minutes stay
 * meaningful for samples longer than a minute. One transaction with the processed-record marker
 * keyed by sampleId, so redelivery never double-counts.
 */
@ApplicationScoped
public class TrafficRecorder {

    static final String CONSUMER = "impact-traffic";
    /** A sample spans at most a day: longer windows are a sender bug, sent to the DLQ. */
    static final long MAX_WINDOW_MINUTES = 24 * 60;

    private final WorkflowCatalog workflows;

    public TrafficRecorder(WorkflowCatalog workflows) {
        this.workflows = workflows;
    }

    /** The minutes a window is spread over: from its start minute to the minute holding its end. */
    static long minutesOf(Instant windowStart, Instant windowEnd) {
        Instant first = windowStart.truncatedTo(ChronoUnit.MINUTES);
        long seconds = Duration.between(first, windowEnd).toSeconds();
        return Math.max(1, (seconds + 59) / 60);
    }

    /** @return whether the sample was new (false: a duplicate, nothing changed) */
    @WithTransaction
    public Uni<Boolean> record(TrafficSample sample) {
        if (sample.getWindowEnd().isBefore(sample.getWindowStart())) {
            return Uni.createFrom().failure(new IllegalArgumentException("windowEnd before windowStart"));
        }
        if (sample.getRequests() < 0 || sample.getFailed() < 0) {
            return Uni.createFrom().failure(new IllegalArgumentException("negative requests or failed"));
        }
        long minutes = minutesOf(sample.getWindowStart(), sample.getWindowEnd());
        if (minutes > MAX_WINDOW_MINUTES) {
            return Uni.createFrom()
                    .failure(new IllegalArgumentException(
                            "window of " + minutes + " minutes exceeds " + MAX_WINDOW_MINUTES));
        }
        String workflow = workflows.attribute(sample.getWorkflow(), sample.getTransaction(), null, null);
        OffsetDateTime start =
                OffsetDateTime.ofInstant(sample.getWindowStart().truncatedTo(ChronoUnit.MINUTES), ZoneOffset.UTC);
        return Panache.getSession().flatMap(session -> session.createNativeQuery(
                        "INSERT INTO processed_records (consumer, record_id) VALUES (?1, ?2)"
                                + " ON CONFLICT DO NOTHING")
                .setParameter(1, CONSUMER)
                .setParameter(2, sample.getSampleId())
                .executeUpdate()
                .flatMap(inserted -> inserted == 0
                        ? Uni.createFrom().item(false)
                        : session.createNativeQuery("INSERT INTO workflow_minutes (project_id, workflow,"
                                        + " minute, requests, failed_requests)"
                                        + " SELECT ?1, ?2, CAST(?3 AS timestamptz) + make_interval(mins => i),"
                                        // parameters are untyped to PostgreSQL: cast each use
                                        + " CAST(?4 AS bigint) / CAST(?6 AS bigint) + CASE WHEN i"
                                        + " < CAST(?4 AS bigint) % CAST(?6 AS bigint) THEN 1 ELSE 0 END,"
                                        + " CAST(?5 AS bigint) / CAST(?6 AS bigint) + CASE WHEN i"
                                        + " < CAST(?5 AS bigint) % CAST(?6 AS bigint) THEN 1 ELSE 0 END"
                                        + " FROM generate_series(0, CAST(?6 AS int) - 1) AS i"
                                        + " ON CONFLICT (project_id, workflow, minute) DO UPDATE SET"
                                        + " requests = workflow_minutes.requests + EXCLUDED.requests,"
                                        + " failed_requests = workflow_minutes.failed_requests"
                                        + " + EXCLUDED.failed_requests")
                                .setParameter(1, sample.getProjectId())
                                .setParameter(2, workflow)
                                .setParameter(3, start)
                                .setParameter(4, sample.getRequests())
                                .setParameter(5, sample.getFailed())
                                .setParameter(6, minutes)
                                .executeUpdate()
                                .replaceWith(true)));
    }
}
