package io.faultline.impact.repository;

import io.faultline.impact.workflow.WorkflowCatalog;
import io.faultline.schemas.TrafficSample;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * Records a traffic sample: its requests are spread evenly over the minutes of its window (the
 * remainder going to the earliest minutes), so per-minute error rates and degraded minutes stay
 * meaningful for samples longer than a minute, and summed into the hourly rollup. One transaction with the processed-record marker
 * keyed by sampleId, so redelivery never double-counts.
 */
@ApplicationScoped
public class TrafficRecorder {

    static final String CONSUMER = "impact-traffic";
    /** A sample spans at most a day: longer windows are a sender bug, sent to the DLQ. */
    static final long MAX_WINDOW_MINUTES = 24 * 60;

    private final WorkflowCatalog workflows;
    private final Pool pool;

    public TrafficRecorder(WorkflowCatalog workflows, Pool pool) {
        this.workflows = workflows;
        this.pool = pool;
    }

    /** The minutes a window is spread over: from its start minute to the minute holding its end. */
    static long minutesOf(Instant windowStart, Instant windowEnd) {
        Instant first = windowStart.truncatedTo(ChronoUnit.MINUTES);
        long seconds = Duration.between(first, windowEnd).toSeconds();
        return Math.max(1, (seconds + 59) / 60);
    }

    /** @return whether the sample was new (false: a duplicate, nothing changed) */
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
        return pool.withTransaction(
                conn -> conn.preparedQuery("INSERT INTO processed_records (consumer, record_id) VALUES ($1, $2)"
                                + " ON CONFLICT DO NOTHING")
                        .execute(Tuple.of(CONSUMER, sample.getSampleId()))
                        .map(rows -> rows.rowCount())
                        .flatMap(inserted -> inserted == 0
                                ? Uni.createFrom().item(false)
                                : spread(conn, "workflow_minutes", "minute", "", sample, workflow, start, minutes)
                                        .chain(() -> spread(
                                                conn,
                                                "workflow_hours",
                                                "hour",
                                                "date_trunc('hour', ",
                                                sample,
                                                workflow,
                                                start,
                                                minutes))
                                        .replaceWith(true)));
    }

    /**
     * Adds the sample's per-minute shares to a rollup table; for the hourly table the minutes are
     * summed per hour first ({@code bucketOf} = "date_trunc('hour', "; in UTC, as the Java side truncates), so each row is
     * hit once.
     */
    private static Uni<Integer> spread(
            SqlConnection conn,
            String table,
            String bucket,
            String bucketOf,
            TrafficSample sample,
            String workflow,
            OffsetDateTime start,
            long minutes) {
        String at = bucketOf + "CAST($3 AS timestamptz) + make_interval(mins => i)"
                + (bucketOf.isEmpty() ? "" : ", 'UTC')");
        return conn.preparedQuery("INSERT INTO " + table + " (project_id, workflow, " + bucket
                        + ", requests, failed_requests) SELECT $1, $2, " + at + ","
                        // parameters are untyped to PostgreSQL: cast each use
                        + " SUM(CAST($4 AS bigint) / CAST($6 AS bigint) + CASE WHEN i"
                        + " < CAST($4 AS bigint) % CAST($6 AS bigint) THEN 1 ELSE 0 END),"
                        + " SUM(CAST($5 AS bigint) / CAST($6 AS bigint) + CASE WHEN i"
                        + " < CAST($5 AS bigint) % CAST($6 AS bigint) THEN 1 ELSE 0 END)"
                        + " FROM generate_series(0, CAST($6 AS int) - 1) AS i GROUP BY 3 ORDER BY 3"
                        + " ON CONFLICT (project_id, workflow, " + bucket + ") DO UPDATE SET"
                        + " requests = " + table + ".requests + EXCLUDED.requests,"
                        + " failed_requests = " + table + ".failed_requests + EXCLUDED.failed_requests")
                .execute(Tuple.from(java.util.Arrays.asList(
                        sample.getProjectId(), workflow, start, sample.getRequests(), sample.getFailed(), minutes)))
                .map(rows -> rows.rowCount());
    }
}
