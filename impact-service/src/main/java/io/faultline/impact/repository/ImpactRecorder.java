package io.faultline.impact.repository;

import io.faultline.impact.alerts.AlertEvaluator;
import io.faultline.impact.service.ClassifiedBatch;
import io.faultline.impact.service.ClassifiedBatch.CounterChange;
import io.faultline.impact.service.ClassifiedBatch.Event;
import io.faultline.impact.service.ClassifiedBatch.GroupChange;
import io.faultline.impact.service.ClassifiedBatch.IncidentActivity;
import io.faultline.impact.service.ClassifiedEvents;
import io.faultline.impact.service.EventPayloads;
import io.faultline.impact.service.TagValues;
import io.faultline.schemas.ClassifiedError;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Records a batch of classified errors in one transaction: the processed-record markers, the event
 * summaries and whole events ({@link EventPayloads}), the groups' counters, the per-minute and per-hour workflow rollups and the groups'
 * incidents. Markers go first with {@code ON CONFLICT DO NOTHING RETURNING}: only the events whose
 * marker was new are counted, so a redelivered batch, or one partly overlapping a committed one,
 * never double-counts.
 *
 * <p>Each table gets one statement per batch whose rows travel as arrays ({@code unnest}), so the
 * cost per event is a few index entries, not a round trip: array parameters are what make a
 * thousand rows one statement.
 */
@ApplicationScoped
public class ImpactRecorder {

    static final String CONSUMER = "impact-classified";
    /** deadlock_detected, serialization_failure: safe to retry, the transaction left no trace. */
    private static final Set<String> TRANSIENT_STATES = Set.of("40P01", "40001");

    private final ClassifiedEvents classifiedEvents;
    private final Pool pool;
    private final AlertEvaluator alerts;

    public ImpactRecorder(ClassifiedEvents classifiedEvents, Pool pool, AlertEvaluator alerts) {
        this.classifiedEvents = classifiedEvents;
        this.pool = pool;
        this.alerts = alerts;
    }

    /** @return how many of the batch's events were new (the rest were duplicates and changed nothing) */
    public Uni<Integer> record(List<ClassifiedError> batch) {
        // first occurrence wins: a record redelivered inside the same batch is a duplicate too
        Map<String, Event> byId = new LinkedHashMap<>();
        Map<String, EventPayloads.Payload> payloads = new HashMap<>();
        // only alert rules read the raw tags here: no map at all unless one may fire
        Map<String, Map<String, String>> alertTags = alerts.watchesEvents() ? new HashMap<>() : null;
        Map<String, TagValues.Extracted> tags = new HashMap<>();
        for (ClassifiedError c : batch) {
            Event event = classifiedEvents.eventOf(c);
            if (byId.putIfAbsent(c.getEvent().getEventId(), event) == null) {
                // encoded before the transaction: the connection is not held while compressing
                payloads.put(c.getEvent().getEventId(), EventPayloads.encode(c.getEvent()));
                if (alertTags != null && c.getEvent().getTags() != null) {
                    alertTags.put(c.getEvent().getEventId(), c.getEvent().getTags());
                }
                tags.put(c.getEvent().getEventId(), TagValues.of(c.getEvent(), event.workflow()));
            }
        }
        if (byId.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return pool.withTransaction(conn -> markProcessed(conn, byId.keySet()).chain(fresh -> {
                    List<Event> unseen = byId.values().stream()
                            .filter(e -> fresh.contains(e.eventId()))
                            .toList();
                    if (unseen.isEmpty()) {
                        return Uni.createFrom().item(0);
                    }
                    return survivorsOf(conn, unseen).chain(events -> store(conn, events, payloads, alertTags, tags));
                }))
                .onFailure(ImpactRecorder::isTransient)
                .retry()
                .withBackOff(Duration.ofMillis(20), Duration.ofMillis(500))
                .atMost(5);
    }

    private Uni<Integer> store(
            SqlConnection conn,
            List<Event> events,
            Map<String, EventPayloads.Payload> payloads,
            Map<String, Map<String, String>> alertTags,
            Map<String, TagValues.Extracted> tags) {
        ClassifiedBatch rows = new ClassifiedBatch(events);
        // one connection runs one statement at a time: chain, never combine
        return insertEvents(conn, rows.events())
                .chain(() -> insertPayloads(conn, rows.events(), payloads))
                .chain(() -> upsertGroups(conn, rows.groups()))
                // in this transaction: the alerts exist exactly when the events that fired them do
                .chain(newGroups -> alertTags == null
                        ? Uni.createFrom().voidItem()
                        : alerts.onEvents(conn, rows.events(), newGroups, alertTags))
                .chain(() -> upsertTags(conn, TagValues.fold(events, tags)))
                .chain(() -> addUsers(conn, TagValues.users(events, tags)))
                .chain(() -> addCounters(conn, "workflow_minutes", "minute", rows.minutes()))
                .chain(() -> addCounters(conn, "workflow_hours", "hour", rows.hours()))
                .chain(() -> openIncidents(conn, rows.incidentOpeners()))
                .chain(() -> extendIncidents(conn, rows.incidentExtenders()))
                .chain(() -> applyEarlierVerifications(conn, rows.groups()))
                .replaceWith(events.size());
    }

    /**
     * The events with each merged group's id replaced by its survivor's ({@link GroupMerges}). The
     * batch shares the merge lock from its first statement ({@link #markProcessed}), and a merge
     * takes it exclusively: so a merge waits for the batches in flight, whose events it then moves,
     * and a batch begun after it reads the merge here (a statement after the lock: its snapshot
     * holds the merge) and stores the events under the survivor. None is left under a merged id.
     */
    private static Uni<List<Event>> survivorsOf(SqlConnection conn, List<Event> events) {
        Tuple groupIds = Tuple.of(events.stream().map(Event::groupId).distinct().toArray(String[]::new));
        return conn.preparedQuery("SELECT group_id, merged_into FROM group_merges WHERE group_id = ANY($1::varchar[])")
                .execute(groupIds)
                .map(rows -> {
                    if (rows.size() == 0) {
                        return events;
                    }
                    Map<String, String> survivors = new HashMap<>();
                    for (Row r : rows) {
                        survivors.put(r.getString(0), r.getString(1));
                    }
                    return events.stream()
                            .map(e -> survivors.containsKey(e.groupId()) ? e.inGroup(survivors.get(e.groupId())) : e)
                            .toList();
                });
    }

    static boolean isTransient(Throwable failure) {
        return failure instanceof PgException pg && TRANSIENT_STATES.contains(pg.getSqlState());
    }

    private static Uni<Set<String>> markProcessed(SqlConnection conn, Set<String> ids) {
        // the merge lock rides on the batch's first statement: no round trip of its own
        return conn.preparedQuery("WITH merge_lock AS (SELECT pg_advisory_xact_lock_shared(" + GroupMerges.LOCK_KEY
                        + ") AS locked) INSERT INTO processed_records (consumer, record_id)"
                        + " SELECT $1, id FROM merge_lock, unnest($2::varchar[]) AS id ORDER BY id"
                        + " ON CONFLICT DO NOTHING RETURNING record_id")
                .execute(Tuple.of(CONSUMER, ids.toArray(String[]::new)))
                .map(rows -> {
                    Set<String> fresh = new HashSet<>();
                    for (Row r : rows) {
                        fresh.add(r.getString(0));
                    }
                    return fresh;
                });
    }

    private static Uni<Void> insertEvents(SqlConnection conn, List<Event> events) {
        return conn.preparedQuery("INSERT INTO error_events (event_id, group_id, project_id, occurred_at,"
                        + " received_at, level, severity, category, business_impact, workflow, release,"
                        + " environment, message) SELECT * FROM unnest($1::varchar[], $2::varchar[],"
                        + " $3::varchar[], $4::timestamptz[], $5::timestamptz[], $6::varchar[], $7::varchar[],"
                        + " $8::varchar[], $9::varchar[], $10::varchar[], $11::varchar[], $12::varchar[],"
                        + " $13::text[]) ON CONFLICT DO NOTHING")
                .execute(columns(
                        events,
                        Event::eventId,
                        Event::groupId,
                        Event::projectId,
                        Event::occurredAt,
                        Event::receivedAt,
                        Event::level,
                        Event::severity,
                        Event::category,
                        Event::businessImpact,
                        Event::workflow,
                        Event::release,
                        Event::environment,
                        Event::message))
                .replaceWithVoid();
    }

    /** The whole events, beside their summaries: one more statement per batch, its rows as arrays too. */
    private static Uni<Void> insertPayloads(
            SqlConnection conn, List<Event> events, Map<String, EventPayloads.Payload> payloads) {
        String[] ids = new String[events.size()];
        OffsetDateTime[] times = new OffsetDateTime[events.size()];
        Short[] completeness = new Short[events.size()];
        Buffer[] bytes = new Buffer[events.size()];
        for (int i = 0; i < events.size(); i++) {
            Event e = events.get(i);
            EventPayloads.Payload p = payloads.get(e.eventId());
            ids[i] = e.eventId();
            times[i] = e.occurredAt();
            completeness[i] = p.completeness();
            bytes[i] = Buffer.buffer(p.bytes());
        }
        return conn.preparedQuery("INSERT INTO event_payloads (event_id, occurred_at, completeness, payload)"
                        + " SELECT * FROM unnest($1::varchar[], $2::timestamptz[], $3::int2[], $4::bytea[])"
                        + " ON CONFLICT DO NOTHING")
                .execute(Tuple.of(ids, times, completeness, bytes))
                .replaceWithVoid();
    }

    /** @return the groups this batch inserted (new issues) */
    private static Uni<Set<String>> upsertGroups(SqlConnection conn, List<GroupChange> groups) {
        return conn.preparedQuery("INSERT INTO error_groups (group_id, project_id, title, culprit, strategy,"
                        + " severity, category, business_impact, workflow, first_seen, last_seen, event_count,"
                        + " clock_started_at) SELECT *, f FROM unnest($1::varchar[], $2::varchar[], $3::text[],"
                        + " $4::text[], $5::varchar[], $6::varchar[], $7::varchar[], $8::varchar[], $9::varchar[],"
                        + " $10::timestamptz[], $11::timestamptz[], $12::int8[]) AS x(g, p, t, c, st, sv, ca, bi, w,"
                        + " f, l, n) ON CONFLICT (group_id) DO UPDATE SET"
                        + " event_count = error_groups.event_count + EXCLUDED.event_count,"
                        + " title = EXCLUDED.title, culprit = EXCLUDED.culprit, severity = EXCLUDED.severity,"
                        + " category = EXCLUDED.category, business_impact = EXCLUDED.business_impact,"
                        + " workflow = EXCLUDED.workflow,"
                        // a verified fix followed by a newer event is a regression; of a group resolved
                        // in the next release, only an event of a later release, which the classifier
                        // signals (IncidentTracker)
                        + " status = CASE WHEN error_groups.status = 'resolved'"
                        + " AND error_groups.resolved_in_release IS NULL"
                        + " AND EXCLUDED.last_seen > error_groups.resolved_at THEN 'regressed'"
                        + " ELSE error_groups.status END,"
                        // the regression starts a new time-to-resolve clock: at the batch's first event,
                        // or at the fix if the batch also held events from before it (never later than
                        // the first event after the fix); a group never resolved keeps its first event
                        + " clock_started_at = CASE WHEN error_groups.status = 'resolved'"
                        + " AND error_groups.resolved_in_release IS NULL"
                        + " AND EXCLUDED.last_seen > error_groups.resolved_at"
                        + " THEN GREATEST(error_groups.resolved_at, EXCLUDED.first_seen)"
                        + " WHEN error_groups.resolved_at IS NULL AND error_groups.clock_started_at IS NULL"
                        + " THEN LEAST(error_groups.first_seen, EXCLUDED.first_seen)"
                        + " WHEN error_groups.resolved_at IS NULL"
                        + " THEN LEAST(error_groups.clock_started_at, EXCLUDED.first_seen)"
                        + " ELSE error_groups.clock_started_at END,"
                        + " first_seen = LEAST(error_groups.first_seen, EXCLUDED.first_seen),"
                        + " last_seen = GREATEST(error_groups.last_seen, EXCLUDED.last_seen)"
                        // xmax is 0 on a row this statement inserted, not on one it updated
                        + " RETURNING group_id, xmax = 0")
                .execute(columns(
                        groups,
                        g -> g.latest().groupId(),
                        g -> g.latest().projectId(),
                        g -> g.latest().title(),
                        g -> g.latest().culprit(),
                        g -> g.latest().strategy(),
                        g -> g.latest().severity(),
                        g -> g.latest().category(),
                        g -> g.latest().businessImpact(),
                        g -> g.latest().workflow(),
                        GroupChange::firstSeen,
                        GroupChange::lastSeen,
                        GroupChange::events))
                .map(rows -> {
                    Set<String> inserted = new HashSet<>();
                    for (Row r : rows) {
                        if (Boolean.TRUE.equals(r.getBoolean(1))) {
                            inserted.add(r.getString(0));
                        }
                    }
                    return inserted;
                });
    }

    /** The groups' tag distributions: counts added, first and last seen widened. */
    static Uni<Void> upsertTags(SqlConnection conn, List<TagValues.Change> changes) {
        if (changes.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return conn.preparedQuery("INSERT INTO group_tag_values (group_id, key, value, times_seen, first_seen,"
                        + " last_seen) SELECT * FROM unnest($1::varchar[], $2::varchar[], $3::varchar[], $4::int8[],"
                        + " $5::timestamptz[], $6::timestamptz[]) ON CONFLICT (group_id, key, value) DO UPDATE SET"
                        + " times_seen = group_tag_values.times_seen + EXCLUDED.times_seen,"
                        + " first_seen = LEAST(group_tag_values.first_seen, EXCLUDED.first_seen),"
                        + " last_seen = GREATEST(group_tag_values.last_seen, EXCLUDED.last_seen)")
                .execute(columns(
                        changes,
                        TagValues.Change::groupId,
                        TagValues.Change::key,
                        TagValues.Change::value,
                        TagValues.Change::count,
                        TagValues.Change::firstSeen,
                        TagValues.Change::lastSeen))
                .replaceWithVoid();
    }

    /** A (group, user) pair new to group_users adds one to the group's users_affected, in one statement. */
    static Uni<Void> addUsers(SqlConnection conn, String[][] pairs) {
        if (pairs[0].length == 0) {
            return Uni.createFrom().voidItem();
        }
        return conn.preparedQuery("WITH fresh AS (INSERT INTO group_users (group_id, user_hash)"
                        + " SELECT * FROM unnest($1::varchar[], $2::varchar[]) ON CONFLICT DO NOTHING"
                        + " RETURNING group_id), n AS (SELECT group_id, count(*) AS c FROM fresh GROUP BY group_id)"
                        + " UPDATE error_groups g SET users_affected = g.users_affected + n.c FROM n"
                        + " WHERE g.group_id = n.group_id")
                .execute(Tuple.of(pairs[0], pairs[1]))
                .replaceWithVoid();
    }

    /**
     * The resolutions topic is consumed apart from this one: a verified fix may be stored before
     * the group it fixed (this consumer behind, the resolver quick). The resolution recorder then
     * found no group to resolve; the group, stored now with nothing newer than the fix, is
     * resolved here and its incident closed, as they would have been in the other order.
     */
    private static Uni<Void> applyEarlierVerifications(SqlConnection conn, List<GroupChange> groups) {
        String verified = "WITH v AS (SELECT group_id, max(occurred_at) AS at FROM resolutions"
                + " WHERE phase = 'verification_passed' AND NOT dry_run AND group_id = ANY($1::varchar[])"
                + " GROUP BY group_id) ";
        Tuple ids = Tuple.of(groups.stream().map(g -> g.latest().groupId()).toArray(String[]::new));
        // the fix stops the group's clock: its entry is timed as if it had come after the group
        return conn.preparedQuery(verified + ", resolved AS (UPDATE error_groups g SET status = 'resolved',"
                        + " resolved_at = v.at FROM v WHERE g.group_id = v.group_id AND g.status = 'unresolved'"
                        + " AND g.resolved_at IS NULL AND g.last_seen <= v.at RETURNING g.group_id,"
                        + " COALESCE(g.clock_started_at, g.first_seen) AS clock, g.severity, v.at)"
                        + " UPDATE resolutions r SET clock_started_at = resolved.clock,"
                        + " priority = COALESCE(r.severity, resolved.severity) FROM resolved"
                        + " WHERE r.group_id = resolved.group_id AND r.occurred_at = resolved.at"
                        + " AND r.phase = 'verification_passed' AND NOT r.dry_run AND r.clock_started_at IS NULL")
                .execute(ids)
                .chain(() -> conn.preparedQuery(verified + "UPDATE incidents i SET status = 'closed',"
                                + " closed_at = v.at, close_reason = 'verified' FROM v"
                                + " WHERE i.group_id = v.group_id AND i.status = 'open' AND i.scope = 'group'"
                                + " AND i.last_activity_at <= v.at")
                        .execute(ids))
                .replaceWithVoid();
    }

    private static Uni<Void> addCounters(SqlConnection conn, String table, String bucket, List<CounterChange> rows) {
        return conn.preparedQuery("INSERT INTO " + table + " (project_id, workflow, " + bucket
                        + ", errors, critical_errors, revenue_blocking) SELECT * FROM unnest($1::varchar[],"
                        + " $2::varchar[], $3::timestamptz[], $4::int8[], $5::int8[], $6::int8[])"
                        + " ON CONFLICT (project_id, workflow, " + bucket + ") DO UPDATE SET"
                        + " errors = " + table + ".errors + EXCLUDED.errors,"
                        + " critical_errors = " + table + ".critical_errors + EXCLUDED.critical_errors,"
                        + " revenue_blocking = " + table + ".revenue_blocking + EXCLUDED.revenue_blocking")
                .execute(columns(
                        rows,
                        CounterChange::projectId,
                        CounterChange::workflow,
                        CounterChange::bucket,
                        CounterChange::errors,
                        CounterChange::criticalErrors,
                        CounterChange::revenueBlockingErrors))
                .replaceWithVoid();
    }

    /** Opens an incident per group, or extends the one already open (one open per scope). */
    private static Uni<Void> openIncidents(SqlConnection conn, List<IncidentActivity> openers) {
        if (openers.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return conn.preparedQuery("INSERT INTO incidents (incident_id, project_id, scope, scope_key, group_id,"
                        + " workflow, title, severity, trigger, opened_at, last_activity_at, event_count)"
                        + " SELECT 'inc-' || e, p, 'group', g, g, w, t, s, tr, o, l, n FROM unnest($1::varchar[],"
                        + " $2::varchar[], $3::varchar[], $4::varchar[], $5::text[], $6::varchar[], $7::varchar[],"
                        + " $8::timestamptz[], $9::timestamptz[], $10::int8[]) AS x(e, p, g, w, t, s, tr, o, l, n)"
                        + " ON CONFLICT (project_id, scope, scope_key) WHERE status = 'open' DO UPDATE SET"
                        + " last_activity_at = GREATEST(incidents.last_activity_at, EXCLUDED.last_activity_at),"
                        + " event_count = incidents.event_count + EXCLUDED.event_count,"
                        + " severity = CASE WHEN EXCLUDED.severity = 'critical' THEN 'critical'"
                        + " ELSE incidents.severity END")
                .execute(columns(
                        openers,
                        IncidentActivity::openingEventId,
                        IncidentActivity::projectId,
                        IncidentActivity::groupId,
                        IncidentActivity::workflow,
                        IncidentActivity::title,
                        IncidentActivity::severity,
                        IncidentActivity::trigger,
                        IncidentActivity::openedAt,
                        IncidentActivity::lastActivityAt,
                        IncidentActivity::events))
                .replaceWithVoid();
    }

    /** Ordinary events of a group in trouble keep its open incident active; they open none. */
    private static Uni<Void> extendIncidents(SqlConnection conn, List<IncidentActivity> extenders) {
        if (extenders.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return conn.preparedQuery("UPDATE incidents SET"
                        + " last_activity_at = GREATEST(incidents.last_activity_at, x.l),"
                        + " event_count = incidents.event_count + x.n"
                        + " FROM unnest($1::varchar[], $2::varchar[], $3::timestamptz[], $4::int8[]) AS x(p, g, l, n)"
                        + " WHERE incidents.status = 'open' AND incidents.scope = 'group'"
                        + " AND incidents.project_id = x.p AND incidents.scope_key = x.g")
                .execute(columns(
                        extenders,
                        IncidentActivity::projectId,
                        IncidentActivity::groupId,
                        IncidentActivity::lastActivityAt,
                        IncidentActivity::events))
                .replaceWithVoid();
    }

    /**
     * One array parameter per column, row order kept. The array's element type follows the first
     * non-null value; a column null in every row travels as String[], which only the optional text
     * columns (release, environment, culprit) can be: timestamps and counts are always set.
     */
    @SafeVarargs
    private static <T> Tuple columns(List<T> rows, Function<T, ?>... columns) {
        List<Object> arrays = new ArrayList<>(columns.length);
        for (Function<T, ?> column : columns) {
            Object first =
                    rows.stream().map(column).filter(v -> v != null).findFirst().orElse(null);
            Object[] values = first instanceof OffsetDateTime
                    ? new OffsetDateTime[rows.size()]
                    : first instanceof Long ? new Long[rows.size()] : new String[rows.size()];
            for (int i = 0; i < rows.size(); i++) {
                values[i] = column.apply(rows.get(i));
            }
            arrays.add(values);
        }
        return Tuple.tuple(arrays);
    }
}
