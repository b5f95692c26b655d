package io.faultline.impact.repository;

import io.faultline.impact.config.RetentionConfig;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Deletes rows older than the retention age, in batches of {@code batchSize} rows per statement
 * and one transaction per batch, so the purge never holds long locks against the consumers.
 * Error groups are kept (they are the long-lived identity of an issue); their events (summaries and
 * whole payloads), minute and
 * hour counters, idempotency markers, resolution entries and closed incidents expire.
 *
 * <p>Expiring processed-record markers is safe because every input topic keeps records for at
 * most 30 days: a marker older than the retention age cannot meet its record again.
 */
@ApplicationScoped
public class RetentionPurge {

    private static final Logger LOG = Logger.getLogger(RetentionPurge.class);

    /** Table and the condition on its timestamp that makes a row expired ($1 = the cutoff). */
    static final List<Map.Entry<String, String>> TABLES = List.of(
            Map.entry("error_events", "occurred_at < $1"),
            // the whole events expire with their summaries (same timestamp, same cutoff)
            Map.entry("event_payloads", "occurred_at < $1"),
            // source maps expire like the events they resolve; a re-upload of a bundle renews it
            Map.entry("source_files", "uploaded_at < $1"),
            Map.entry("artifact_bundles", "uploaded_at < $1"),
            // chunks of an upload that was never assembled
            Map.entry("sourcemap_chunks", "uploaded_at < $1"),
            Map.entry("workflow_minutes", "minute < $1"),
            // an hour row expires once all of its hour is past the cutoff
            Map.entry("workflow_hours", "hour <= CAST($1 AS timestamptz) - interval '1 hour'"),
            Map.entry("processed_records", "processed_at < $1"),
            Map.entry("resolutions", "occurred_at < $1"),
            // open incidents have no closed_at and are never purged
            Map.entry("incidents", "closed_at < $1"),
            // a shipping kept for a resolve in the release that had not arrived yet (docs/releases.md)
            Map.entry("release_shipments", "shipped_at < $1"));

    private final RetentionConfig config;
    private final Pool pool;

    public RetentionPurge(RetentionConfig config, Pool pool) {
        this.config = config;
        this.pool = pool;
    }

    @Scheduled(
            identity = "retention-purge",
            every = "${faultline.retention.every:1h}",
            delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return purgeOlderThan(Instant.now().minus(config.maxAge()))
                .invoke(deleted -> LOG.infof("retention purge deleted %s", deleted))
                .replaceWithVoid();
    }

    /** @return rows deleted per table; rows at or after {@code cutoff} are never touched */
    public Uni<Map<String, Long>> purgeOlderThan(Instant cutoff) {
        OffsetDateTime at = OffsetDateTime.ofInstant(cutoff, ZoneOffset.UTC);
        Map<String, Long> deleted = new LinkedHashMap<>();
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (var table : TABLES) {
            chain = chain.chain(() -> purgeTable(table.getKey(), table.getValue(), at, 0L)
                    .invoke(n -> deleted.put(table.getKey(), n))
                    .replaceWithVoid());
        }
        return chain.replaceWith(deleted);
    }

    private Uni<Long> purgeTable(String table, String expired, OffsetDateTime cutoff, long soFar) {
        int batch = config.batchSize();
        // ctid: the physical row id, the cheapest way to address "these N rows" without a key
        String sql = "DELETE FROM " + table + " WHERE ctid IN (SELECT ctid FROM " + table + " WHERE " + expired
                + " LIMIT " + batch + ")";
        return pool.withTransaction(conn -> conn.preparedQuery(sql).execute(Tuple.of(cutoff)))
                .map(rows -> rows.rowCount())
                .flatMap(n ->
                        n < batch ? Uni.createFrom().item(soFar + n) : purgeTable(table, expired, cutoff, soFar + n));
    }
}
