package io.faultline.impact.repository;

import io.faultline.impact.service.EventPayloads;
import io.faultline.impact.service.TagValues;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Fills the tag and user rollups of V8 ({@code group_tag_values}, {@code group_users}, {@code
 * error_groups.users_affected}) for the events stored before V8 (docs/impact-model.md, Search, tags
 * and users; migration V12). It walks {@code error_events} once in keyset order of (group_id,
 * occurred_at, event_id), {@code batchSize} events per transaction, folds those stored before the
 * horizon exactly as a batch of the consumer does ({@link TagValues}, the same upserts) and keeps
 * its position in {@code rollup_backfill} in the same transaction: a restart resumes there, and no
 * event is counted twice. A transaction holds the row locks of the few groups of one page for
 * milliseconds, never a table; instances take turns on the position row.
 */
@ApplicationScoped
public class RollupBackfill {

    private static final Logger LOG = Logger.getLogger(RollupBackfill.class);

    /** Where the walk stands after one transaction. */
    public record Progress(long events, long counted, boolean finished) {}

    private record Stored(String eventId, String groupId, OffsetDateTime occurredAt) implements TagValues.Occurrence {}

    private final Pool pool;
    private final int batchSize;
    /** Once finished it stays finished: no query per schedule after that. */
    private volatile boolean finished;

    public RollupBackfill(Pool pool, @ConfigProperty(name = "faultline.rollup-backfill.batch-size") int batchSize) {
        this.pool = pool;
        this.batchSize = batchSize;
    }

    @Scheduled(
            identity = "rollup-backfill",
            every = "${faultline.rollup-backfill.every}",
            delayed = "30s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        if (finished) {
            return Uni.createFrom().voidItem();
        }
        return run().invoke(p -> {
                    if (p.counted() > 0 || p.finished()) {
                        LOG.infof(
                                "rollup backfill: %d events walked, %d counted%s",
                                p.events(), p.counted(), p.finished() ? ", finished" : "");
                    }
                })
                .replaceWithVoid();
    }

    /**
     * Runs the walk to its end, one transaction per page; what this call did. The pages are
     * repeated, not chained one inside the next: a chain 2,000 pages deep per million events would
     * hand the last page's result back through every level on one stack.
     */
    public Uni<Progress> run() {
        return Multi.createBy()
                .repeating()
                .uni(this::step)
                .whilst(p -> !p.finished())
                .collect()
                .in(() -> new long[2], (total, p) -> {
                    total[0] += p.events();
                    total[1] += p.counted();
                })
                .map(total -> {
                    finished = true;
                    return new Progress(total[0], total[1], true);
                });
    }

    private Uni<Progress> step() {
        return pool.withTransaction(conn -> conn
                // a merge moves a group's events and rollups: never in the middle of a page
                .query("SELECT pg_advisory_xact_lock_shared(" + GroupMerges.LOCK_KEY + ")")
                .execute()
                .chain(() -> conn.query("SELECT horizon, next_group, next_at, next_event, finished_at"
                                + " FROM rollup_backfill WHERE id = 1 FOR UPDATE")
                        .execute())
                .chain(state -> {
                    Row s = state.size() == 0 ? null : state.iterator().next();
                    if (s == null || s.getOffsetDateTime("finished_at") != null) {
                        return Uni.createFrom().item(new Progress(0, 0, true));
                    }
                    return page(conn, s);
                }));
    }

    private Uni<Progress> page(SqlConnection conn, Row state) {
        OffsetDateTime horizon = state.getOffsetDateTime("horizon");
        // an event's marker says when this service stored it; without one (expired), when ingest
        // took it, which is never after it was stored. The payload is read only for events to count.
        String before = "COALESCE(m.processed_at, e.received_at) < $1";
        String sql = "SELECT e.event_id, e.group_id, e.occurred_at, e.level, e.release, e.environment, e.workflow, "
                + before + " AS before, CASE WHEN " + before + " THEN p.payload END AS payload"
                + " FROM error_events e LEFT JOIN event_payloads p ON p.event_id = e.event_id"
                + " LEFT JOIN processed_records m ON m.consumer = '" + ImpactRecorder.CONSUMER + "'"
                + " AND m.record_id = e.event_id"
                + " WHERE $2::varchar IS NULL OR (e.group_id, e.occurred_at, e.event_id) > ($2, $3, $4)"
                + " ORDER BY e.group_id, e.occurred_at, e.event_id LIMIT $5";
        Tuple at = Tuple.of(
                        horizon,
                        state.getString("next_group"),
                        state.getOffsetDateTime("next_at"),
                        state.getString("next_event"))
                .addInteger(batchSize);
        return conn.preparedQuery(sql).execute(at).chain(rows -> fold(conn, rows));
    }

    private Uni<Progress> fold(SqlConnection conn, RowSet<Row> rows) {
        List<Stored> events = new ArrayList<>();
        Map<String, TagValues.Extracted> extracted = new HashMap<>();
        Row last = null;
        int walked = 0;
        for (Row r : rows) {
            walked++;
            last = r;
            if (!Boolean.TRUE.equals(r.getBoolean("before"))) {
                continue;
            }
            String id = r.getString("event_id");
            events.add(new Stored(id, r.getString("group_id"), r.getOffsetDateTime("occurred_at")));
            extracted.put(id, extract(r));
        }
        boolean end = walked < batchSize;
        String position = end ? "finished_at = now()" : "next_group = $1, next_at = $2, next_event = $3";
        Tuple next = end
                ? Tuple.of(walked)
                : Tuple.of(
                                last.getString("group_id"),
                                last.getOffsetDateTime("occurred_at"),
                                last.getString("event_id"))
                        .addLong((long) walked);
        String param = end ? "$1" : "$4";
        int counted = events.size();
        // the groups' rows first and in key order, as a consumer's batch locks them (ClassifiedBatch)
        Uni<Void> locked = events.isEmpty()
                ? Uni.createFrom().voidItem()
                : conn.preparedQuery("SELECT 1 FROM error_groups WHERE group_id = ANY($1::varchar[])"
                                + " ORDER BY group_id FOR UPDATE")
                        .execute(Tuple.of(
                                events.stream().map(Stored::groupId).distinct().toArray(String[]::new)))
                        .replaceWithVoid();
        return locked.chain(() -> ImpactRecorder.upsertTags(conn, TagValues.fold(events, extracted)))
                .chain(() -> ImpactRecorder.addUsers(conn, TagValues.users(events, extracted)))
                .chain(() -> conn.preparedQuery("UPDATE rollup_backfill SET " + position
                                + ", events_done = events_done + " + param + " WHERE id = 1")
                        .execute(next))
                .replaceWith(new Progress(walked, counted, end));
    }

    /** The event's tags and user as the consumer took them, from its payload or else its summary row. */
    private static TagValues.Extracted extract(Row r) {
        String workflow = r.getString("workflow");
        var payload = r.getBuffer("payload");
        if (payload != null) {
            try {
                return TagValues.of(EventPayloads.decode(payload.getBytes()), workflow);
            } catch (RuntimeException unreadable) {
                LOG.warnf(
                        "rollup backfill: payload of event %s unreadable (%s), counting its summary",
                        r.getString("event_id"), unreadable.toString());
            }
        }
        return TagValues.ofSummary(r.getString("level"), r.getString("release"), r.getString("environment"), workflow);
    }
}
