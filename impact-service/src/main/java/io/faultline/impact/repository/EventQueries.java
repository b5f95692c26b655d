package io.faultline.impact.repository;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.faultline.impact.model.EventDetail;
import io.faultline.impact.model.EventSummary;
import io.faultline.impact.model.Page;
import io.faultline.impact.service.EventPayloads;
import io.faultline.impact.sourcemap.FrameResolver;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads of whole events: one by id with its neighbours, a group's events newest first (keyset
 * pages on {@code (occurred_at, event_id)}, over the index {@code error_events (group_id, occurred_at)}), and a
 * group's latest, oldest and recommended event. Only events whose payload is stored are served:
 * those stored before payloads were kept have a summary and nothing to open.
 */
@ApplicationScoped
public class EventQueries {

    /** The one order of a group's events; a cursor names it so it cannot be replayed elsewhere. */
    public static final String SORT = "-occurredAt";

    /** How many of a group's newest events the recommended one is chosen among. */
    static final int RECOMMENDED_AMONG = 100;

    private static final String WITH_PAYLOAD =
            " AND EXISTS (SELECT 1 FROM event_payloads p WHERE p.event_id = x.event_id)";

    /** Which event of a group to open. */
    public enum Pick {
        LATEST,
        OLDEST,
        RECOMMENDED
    }

    private final Pool pool;
    private final ObjectMapper json;
    private final FrameResolver frames;

    public EventQueries(Pool pool, ObjectMapper json, FrameResolver frames) {
        this.pool = pool;
        this.json = json;
        this.frames = frames;
    }

    public Uni<Optional<EventDetail>> event(String eventId) {
        String neighbour = "(SELECT x.event_id FROM error_events x WHERE x.group_id = e.group_id"
                + " AND (x.occurred_at, x.event_id) %s (e.occurred_at, e.event_id)" + WITH_PAYLOAD
                + " ORDER BY x.occurred_at %s, x.event_id %s LIMIT 1)";
        return pool.preparedQuery("SELECT e.event_id, e.group_id, e.project_id, e.occurred_at, g.title, g.culprit,"
                        + " e.severity, e.category, e.business_impact, e.workflow, "
                        + String.format(neighbour, "<", "DESC", "DESC") + ", "
                        + String.format(neighbour, ">", "ASC", "ASC") + ", p.payload"
                        + " FROM error_events e JOIN event_payloads p ON p.event_id = e.event_id"
                        + " LEFT JOIN error_groups g ON g.group_id = e.group_id WHERE e.event_id = $1")
                .execute(Tuple.of(eventId))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return Optional.<EventDetail>empty();
                    }
                    Row r = rows.iterator().next();
                    return Optional.of(new EventDetail(
                            r.getString(0),
                            r.getString(1),
                            r.getString(2),
                            r.getOffsetDateTime(3).toInstant(),
                            r.getString(4),
                            r.getString(5),
                            new EventDetail.Classification(
                                    r.getString(6), r.getString(7), r.getString(8), r.getString(9)),
                            r.getString(10),
                            r.getString(11),
                            EventJson.of(EventPayloads.decode(r.getBuffer(12).getBytes()), json)));
                })
                // minified JavaScript frames are shown as their source maps say they were written
                .chain(found -> found.isEmpty()
                        ? Uni.createFrom().item(found)
                        : frames.resolve(found.get().projectId(), (ObjectNode)
                                        found.get().event())
                                .replaceWith(found));
    }

    /** @return empty when no such group is stored; else one page, possibly empty */
    public Uni<Optional<Page<EventSummary>>> groupEvents(String groupId, Cursor after, int limit) {
        List<Object> params = new ArrayList<>(List.of(groupId));
        String position = "";
        if (after != null) {
            params.add(OffsetDateTime.ofInstant(Instant.parse(after.key()), java.time.ZoneOffset.UTC));
            params.add(after.id());
            position = " AND (x.occurred_at, x.event_id) < ($2, $3)";
        }
        return pool.preparedQuery("SELECT x.event_id, x.group_id, x.occurred_at, x.received_at, x.level, x.release,"
                        + " x.environment, x.message FROM error_events x WHERE x.group_id = $1" + position
                        + WITH_PAYLOAD + " ORDER BY x.occurred_at DESC, x.event_id DESC LIMIT " + (limit + 1))
                .execute(Tuple.tuple(params))
                .chain(rows -> {
                    List<EventSummary> items = new ArrayList<>();
                    for (Row r : rows) {
                        if (items.size() < limit) {
                            items.add(summary(r));
                        }
                    }
                    String next = null;
                    if (rows.size() > limit) {
                        EventSummary last = items.get(items.size() - 1);
                        next = new Cursor(SORT, last.occurredAt().toString(), last.eventId()).encode();
                    }
                    Page<EventSummary> page = new Page<>(items, next);
                    if (!items.isEmpty() || after != null) {
                        return Uni.createFrom().item(Optional.of(page));
                    }
                    return groupExists(groupId).map(exists -> exists ? Optional.of(page) : Optional.empty());
                });
    }

    /**
     * The id of the group's latest, oldest or recommended event: the most complete (frames of the
     * application's own code, then frames, source lines, then the most parts present: {@link
     * EventPayloads}) of its {@value #RECOMMENDED_AMONG} newest, the newest of equals.
     */
    public Uni<Optional<String>> pick(String groupId, Pick pick) {
        String sql =
                switch (pick) {
                    case LATEST -> "SELECT x.event_id FROM error_events x WHERE x.group_id = $1" + WITH_PAYLOAD
                            + " ORDER BY x.occurred_at DESC, x.event_id DESC LIMIT 1";
                    case OLDEST -> "SELECT x.event_id FROM error_events x WHERE x.group_id = $1" + WITH_PAYLOAD
                            + " ORDER BY x.occurred_at ASC, x.event_id ASC LIMIT 1";
                    case RECOMMENDED -> "SELECT event_id FROM (SELECT x.event_id, x.occurred_at, p.completeness"
                            + " FROM error_events x JOIN event_payloads p ON p.event_id = x.event_id"
                            + " WHERE x.group_id = $1 ORDER BY x.occurred_at DESC, x.event_id DESC LIMIT "
                            + RECOMMENDED_AMONG + ") recent ORDER BY completeness DESC, occurred_at DESC,"
                            + " event_id DESC LIMIT 1";
                };
        return pool.preparedQuery(sql).execute(Tuple.of(groupId)).map(EventQueries::firstId);
    }

    public Uni<Boolean> groupExists(String groupId) {
        return pool.preparedQuery("SELECT group_id FROM error_groups WHERE group_id = $1")
                .execute(Tuple.of(groupId))
                .map(rows -> rows.size() > 0);
    }

    private static Optional<String> firstId(RowSet<Row> rows) {
        return rows.size() == 0
                ? Optional.empty()
                : Optional.of(rows.iterator().next().getString(0));
    }

    private static EventSummary summary(Row r) {
        return new EventSummary(
                r.getString(0),
                r.getString(1),
                r.getOffsetDateTime(2).toInstant(),
                r.getOffsetDateTime(3).toInstant(),
                r.getString(4),
                r.getString(5),
                r.getString(6),
                r.getString(7));
    }
}
