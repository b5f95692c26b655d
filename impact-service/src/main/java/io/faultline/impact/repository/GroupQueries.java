package io.faultline.impact.repository;

import io.faultline.impact.model.GroupDetail;
import io.faultline.impact.model.Overview.GroupSummary;
import io.faultline.impact.model.Page;
import io.faultline.impact.model.ResolutionEntry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.hibernate.reactive.mutiny.Mutiny;

/** Filtered, sorted, keyset-paginated reads of error groups and resolver entries. */
@ApplicationScoped
public class GroupQueries {

    /** Sort orders clients may ask for; each pairs with an index on (key, group_id). */
    public enum GroupSort {
        LAST_SEEN_DESC("-lastSeen", "last_seen", true),
        LAST_SEEN_ASC("lastSeen", "last_seen", false),
        FIRST_SEEN_DESC("-firstSeen", "first_seen", true),
        FIRST_SEEN_ASC("firstSeen", "first_seen", false),
        COUNT_DESC("-count", "event_count", true),
        COUNT_ASC("count", "event_count", false);

        public final String token;
        final String column;
        final boolean descending;

        GroupSort(String token, String column, boolean descending) {
            this.token = token;
            this.column = column;
            this.descending = descending;
        }

        public static Optional<GroupSort> of(String token) {
            for (GroupSort s : values()) {
                if (s.token.equals(token)) {
                    return Optional.of(s);
                }
            }
            return Optional.empty();
        }

        public boolean numeric() {
            return column.equals("event_count");
        }
    }

    /** Null fields do not filter. A group matches [from, to) when it was seen inside the window. */
    public record GroupFilter(
            String project,
            String workflow,
            String severity,
            String category,
            String status,
            Instant from,
            Instant to) {}

    /** The columns {@link #summary} reads, in its order. */
    static final String COLUMNS = "group_id, project_id, title, severity, category, business_impact, workflow,"
            + " status, event_count, first_seen, last_seen";

    public Uni<Page<GroupSummary>> groups(GroupFilter f, GroupSort sort, Cursor after, int limit) {
        List<Object> params = new ArrayList<>();
        StringBuilder where = new StringBuilder(" WHERE true");
        condition(where, params, "project_id = ", f.project());
        condition(where, params, "workflow = ", f.workflow());
        condition(where, params, "severity = ", f.severity());
        condition(where, params, "category = ", f.category());
        condition(where, params, "status = ", f.status());
        if (f.status() == null) {
            where.append(" AND status <> 'merged'"); // asked for by name only: their events count elsewhere
        }
        condition(where, params, "last_seen >= ", f.from() == null ? null : Rows.timestamp(f.from()));
        condition(where, params, "first_seen < ", f.to() == null ? null : Rows.timestamp(f.to()));
        if (after != null) {
            params.add(
                    sort.numeric() ? (Object) Long.parseLong(after.key()) : Rows.timestamp(Instant.parse(after.key())));
            params.add(after.id());
            where.append(" AND (")
                    .append(sort.column)
                    .append(", group_id) ")
                    .append(sort.descending ? "<" : ">")
                    .append(" (?")
                    .append(params.size() - 1)
                    .append(", ?")
                    .append(params.size())
                    .append(")");
        }
        String direction = sort.descending ? " DESC" : " ASC";
        String sql = "SELECT " + COLUMNS + " FROM error_groups" + where + " ORDER BY " + sort.column + direction
                + ", group_id" + direction + " LIMIT " + (limit + 1);
        return list(sql, params).map(rows -> {
            List<GroupSummary> items =
                    rows.stream().limit(limit).map(GroupQueries::summary).toList();
            String next = null;
            if (rows.size() > limit) {
                GroupSummary last = items.get(items.size() - 1);
                String key =
                        switch (sort) {
                            case LAST_SEEN_ASC, LAST_SEEN_DESC -> last.lastSeen()
                                    .toString();
                            case FIRST_SEEN_ASC, FIRST_SEEN_DESC -> last.firstSeen()
                                    .toString();
                            case COUNT_ASC, COUNT_DESC -> Long.toString(last.count());
                        };
                next = new Cursor(sort.token, key, last.groupId()).encode();
            }
            return new Page<>(items, next);
        });
    }

    public Uni<Optional<GroupDetail>> group(String groupId) {
        return Panache.withSession(() -> Panache.getSession().flatMap(session -> session.createNativeQuery(
                        "SELECT " + COLUMNS + ", culprit, strategy, resolved_at, merged_into FROM error_groups"
                                + " WHERE group_id = ?1",
                        Object[].class)
                .setParameter(1, groupId)
                .getResultList()
                .chain(rows -> {
                    if (rows.isEmpty()) {
                        return Uni.createFrom().item(Optional.<GroupDetail>empty());
                    }
                    Object[] r = rows.get(0);
                    return session.createNativeQuery(
                                    "SELECT " + RESOLUTION_COLUMNS + " FROM resolutions WHERE group_id = ?1"
                                            + " ORDER BY occurred_at DESC, entry_id DESC LIMIT 20",
                                    Object[].class)
                            .setParameter(1, groupId)
                            .getResultList()
                            .chain(entries -> occurrences(
                                            session, groupId, summary(r).lastSeen())
                                    .map(history -> Optional.of(new GroupDetail(
                                            summary(r),
                                            (String) r[11],
                                            (String) r[12],
                                            Rows.instant(r[13]),
                                            entries.stream()
                                                    .map(GroupQueries::entry)
                                                    .toList(),
                                            history.hours(),
                                            history.recent(),
                                            (String) r[14]))));
                })));
    }

    /** What the group detail shows of a group's events. */
    private record History(List<GroupDetail.HourCount> hours, List<GroupDetail.Occurrence> recent) {}

    /** Hourly counts over the week before {@code lastSeen} and the ten latest events (index group, time). */
    private static Uni<History> occurrences(Mutiny.Session session, String groupId, Instant lastSeen) {
        Instant to = lastSeen == null ? Instant.now() : lastSeen;
        return session.createNativeQuery(
                        "SELECT date_trunc('hour', occurred_at), count(*) FROM error_events WHERE group_id = ?1"
                                + " AND occurred_at > ?2 AND occurred_at <= ?3 GROUP BY 1 ORDER BY 1",
                        Object[].class)
                .setParameter(1, groupId)
                .setParameter(2, Rows.timestamp(to.minus(java.time.Duration.ofDays(7))))
                .setParameter(3, Rows.timestamp(to))
                .getResultList()
                .chain(hours -> session.createNativeQuery(
                                "SELECT event_id, occurred_at, release, environment, message FROM error_events"
                                        + " WHERE group_id = ?1 ORDER BY occurred_at DESC LIMIT 10",
                                Object[].class)
                        .setParameter(1, groupId)
                        .getResultList()
                        .map(recent -> new History(
                                hours.stream()
                                        .map(h -> new GroupDetail.HourCount(
                                                Rows.instant(h[0]), ((Number) h[1]).longValue()))
                                        .toList(),
                                recent.stream()
                                        .map(e -> new GroupDetail.Occurrence(
                                                (String) e[0],
                                                Rows.instant(e[1]),
                                                (String) e[2],
                                                (String) e[3],
                                                (String) e[4]))
                                        .toList())));
    }

    private static final String RESOLUTION_COLUMNS = "entry_id, attempt_id, group_id, project_id, event_id,"
            + " occurred_at, phase, runbook_id, action, strategy, attempt, dry_run, severity, message";

    /** Resolver entries, newest first, keyset-paginated on (occurred_at, entry_id). */
    public Uni<Page<ResolutionEntry>> resolutions(
            String project, String group, String phase, Instant from, Instant to, Cursor after, int limit) {
        List<Object> params = new ArrayList<>();
        StringBuilder where = new StringBuilder(" WHERE true");
        condition(where, params, "project_id = ", project);
        condition(where, params, "group_id = ", group);
        condition(where, params, "phase = ", phase);
        condition(where, params, "occurred_at >= ", from == null ? null : Rows.timestamp(from));
        condition(where, params, "occurred_at < ", to == null ? null : Rows.timestamp(to));
        if (after != null) {
            params.add(Rows.timestamp(Instant.parse(after.key())));
            params.add(after.id());
            where.append(" AND (occurred_at, entry_id) < (?")
                    .append(params.size() - 1)
                    .append(", ?")
                    .append(params.size())
                    .append(")");
        }
        String sql = "SELECT " + RESOLUTION_COLUMNS + " FROM resolutions" + where
                + " ORDER BY occurred_at DESC, entry_id DESC LIMIT " + (limit + 1);
        return list(sql, params).map(rows -> {
            List<ResolutionEntry> items =
                    rows.stream().limit(limit).map(GroupQueries::entry).toList();
            String next = null;
            if (rows.size() > limit) {
                ResolutionEntry last = items.get(items.size() - 1);
                next = new Cursor(RESOLUTIONS_SORT, last.timestamp().toString(), last.entryId()).encode();
            }
            return new Page<>(items, next);
        });
    }

    public static final String RESOLUTIONS_SORT = "-timestamp";

    static void condition(StringBuilder where, List<Object> params, String clause, Object value) {
        if (value != null) {
            params.add(value);
            where.append(" AND ").append(clause).append('?').append(params.size());
        }
    }

    static Uni<List<Object[]>> list(String sql, List<Object> params) {
        return Panache.withSession(() -> Panache.getSession().flatMap(session -> {
            var query = session.createNativeQuery(sql, Object[].class);
            for (int i = 0; i < params.size(); i++) {
                query.setParameter(i + 1, params.get(i));
            }
            return query.getResultList();
        }));
    }

    static GroupSummary summary(Object[] r) {
        return new GroupSummary(
                (String) r[0],
                (String) r[1],
                (String) r[2],
                (String) r[3],
                (String) r[4],
                (String) r[5],
                (String) r[6],
                (String) r[7],
                Rows.count(r[8]),
                Rows.instant(r[9]),
                Rows.instant(r[10]));
    }

    static ResolutionEntry entry(Object[] r) {
        return new ResolutionEntry(
                (String) r[0],
                (String) r[1],
                (String) r[2],
                (String) r[3],
                (String) r[4],
                Rows.instant(r[5]),
                (String) r[6],
                (String) r[7],
                (String) r[8],
                (String) r[9],
                ((Number) r[10]).intValue(),
                (Boolean) r[11],
                (String) r[12],
                (String) r[13]);
    }
}
