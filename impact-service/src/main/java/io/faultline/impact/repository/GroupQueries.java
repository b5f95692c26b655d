package io.faultline.impact.repository;

import io.faultline.impact.model.GroupDetail;
import io.faultline.impact.model.GroupTags;
import io.faultline.impact.model.Overview.GroupSummary;
import io.faultline.impact.model.Page;
import io.faultline.impact.model.ResolutionEntry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Filtered, sorted, keyset-paginated reads of error groups and resolver entries. */
@ApplicationScoped
public class GroupQueries {

    private final Pool pool;

    public GroupQueries(Pool pool) {
        this.pool = pool;
    }

    /** Sort orders clients may ask for; each pairs with an index on (key, group_id). */
    public enum GroupSort {
        LAST_SEEN_DESC("-lastSeen", "last_seen", true),
        LAST_SEEN_ASC("lastSeen", "last_seen", false),
        FIRST_SEEN_DESC("-firstSeen", "first_seen", true),
        FIRST_SEEN_ASC("firstSeen", "first_seen", false),
        COUNT_DESC("-count", "event_count", true),
        COUNT_ASC("count", "event_count", false),
        USERS_DESC("-users", "users_affected", true),
        USERS_ASC("users", "users_affected", false),
        PRIORITY_DESC("-priority", "priority", true),
        PRIORITY_ASC("priority", "priority", false);

        public final String token;
        final String column;
        final boolean descending;

        GroupSort(String token, String column, boolean descending) {
            this.token = token;
            this.column = column;
            this.descending = descending;
        }

        /** Also Sentry's names for its orders, each the descending one. */
        public static Optional<GroupSort> of(String token) {
            switch (token) {
                case "date":
                    return Optional.of(LAST_SEEN_DESC);
                case "new":
                    return Optional.of(FIRST_SEEN_DESC);
                case "freq":
                    return Optional.of(COUNT_DESC);
                case "user":
                    return Optional.of(USERS_DESC);
                default:
                    break;
            }
            for (GroupSort s : values()) {
                if (s.token.equals(token)) {
                    return Optional.of(s);
                }
            }
            return Optional.empty();
        }

        public boolean numeric() {
            return !column.endsWith("_seen");
        }
    }

    /**
     * Null fields do not filter. A group matches [from, to) when it was seen inside the window. The
     * search's terms are ANDed with the fields.
     */
    public record GroupFilter(
            String project,
            String workflow,
            String severity,
            String category,
            String status,
            Instant from,
            Instant to,
            GroupSearch search) {}

    /** The columns {@link #summary} reads, in its order. */
    static final String COLUMNS = "group_id, project_id, title, severity, category, business_impact, workflow,"
            + " status, event_count, first_seen, last_seen, users_affected, priority";

    public Uni<Page<GroupSummary>> groups(GroupFilter f, GroupSort sort, Cursor after, int limit) {
        List<Object> params = new ArrayList<>();
        StringBuilder where = new StringBuilder(" WHERE true");
        condition(where, params, "project_id = ", f.project());
        condition(where, params, "workflow = ", f.workflow());
        condition(where, params, "severity = ", f.severity());
        condition(where, params, "category = ", f.category());
        condition(where, params, "status = ", f.status());
        boolean statusAsked = f.status() != null;
        if (f.search() != null) {
            for (GroupSearch.Term term : f.search().terms()) {
                statusAsked |= term instanceof GroupSearch.Status s && !s.negated();
                search(where, params, term);
            }
        }
        if (!statusAsked) {
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
                    .append(" ($")
                    .append(params.size() - 1)
                    .append(", $")
                    .append(params.size())
                    .append(")");
        }
        String direction = sort.descending ? " DESC" : " ASC";
        String sql = "SELECT " + COLUMNS + " FROM error_groups" + where + " ORDER BY " + sort.column + direction
                + ", group_id" + direction + " LIMIT " + (limit + 1);
        return Rows.list(pool, sql, params).map(rows -> {
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
                            case USERS_ASC, USERS_DESC -> Long.toString(last.usersAffected());
                            case PRIORITY_ASC, PRIORITY_DESC -> Integer.toString(last.priority());
                        };
                next = new Cursor(sort.token, key, last.groupId()).encode();
            }
            return new Page<>(items, next);
        });
    }

    public Uni<Optional<GroupDetail>> group(String groupId) {
        return Rows.list(
                        pool,
                        "SELECT " + COLUMNS + ", culprit, strategy, resolved_at, merged_into, resolved_in_release,"
                                + " release_shipped_at FROM error_groups WHERE group_id = $1",
                        groupId)
                .chain(rows -> {
                    if (rows.isEmpty()) {
                        return Uni.createFrom().item(Optional.<GroupDetail>empty());
                    }
                    Object[] r = rows.get(0);
                    return Rows.list(
                                    pool,
                                    "SELECT " + RESOLUTION_COLUMNS + " FROM resolutions WHERE group_id = $1"
                                            + " ORDER BY occurred_at DESC, entry_id DESC LIMIT 20",
                                    groupId)
                            .chain(entries -> occurrences(groupId, summary(r).lastSeen())
                                    .map(history -> Optional.of(new GroupDetail(
                                            summary(r),
                                            (String) r[13],
                                            (String) r[14],
                                            Rows.instant(r[15]),
                                            entries.stream()
                                                    .map(GroupQueries::entry)
                                                    .toList(),
                                            history.hours(),
                                            history.recent(),
                                            (String) r[16],
                                            (String) r[17],
                                            Rows.instant(r[18])))));
                });
    }

    /** The most frequent values a group's tag distribution lists per tag. */
    public static final int TOP_VALUES = 10;

    /**
     * A group's tag distributions from its rollup ({@code group_tag_values}, primary key range on
     * the group): the top values per key, each key's totals, and the releases it was first and last
     * seen in. Empty when there is no such group.
     */
    public Uni<Optional<GroupTags>> tags(String groupId) {
        return Rows.list(pool, "SELECT users_affected FROM error_groups WHERE group_id = $1", groupId)
                .chain(users -> users.isEmpty()
                        ? Uni.createFrom().item(Optional.<GroupTags>empty())
                        : Rows.list(
                                        pool,
                                        "SELECT key, value, times_seen, first_seen, last_seen, total, distinct_values,"
                                                + " rn, fr, lr FROM (SELECT key, value, times_seen, first_seen,"
                                                + " last_seen, sum(times_seen) OVER k AS total,"
                                                + " count(*) OVER k AS distinct_values,"
                                                + " row_number() OVER (k ORDER BY times_seen DESC, value) AS rn,"
                                                + " row_number() OVER (k ORDER BY first_seen, value) AS fr,"
                                                + " row_number() OVER (k ORDER BY last_seen DESC, value) AS lr"
                                                + " FROM group_tag_values WHERE group_id = $1"
                                                + " WINDOW k AS (PARTITION BY key)) t"
                                                + " WHERE rn <= $2 OR (key = 'release' AND (fr = 1 OR lr = 1))"
                                                + " ORDER BY key, rn",
                                        groupId,
                                        TOP_VALUES)
                                .map(rows -> Optional.of(groupTags(groupId, Rows.count(users.get(0)[0]), rows))));
    }

    private static GroupTags groupTags(String groupId, long users, List<Object[]> rows) {
        String firstRelease = null;
        String lastRelease = null;
        List<GroupTags.Distribution> tags = new ArrayList<>();
        List<GroupTags.Value> top = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            Object[] r = rows.get(i);
            String key = (String) r[0];
            long total = Rows.count(r[5]);
            if ("release".equals(key) && Rows.count(r[8]) == 1) {
                firstRelease = (String) r[1];
            }
            if ("release".equals(key) && Rows.count(r[9]) == 1) {
                lastRelease = (String) r[1];
            }
            if (Rows.count(r[7]) <= TOP_VALUES) {
                long count = Rows.count(r[2]);
                top.add(new GroupTags.Value(
                        (String) r[1],
                        count,
                        total == 0 ? 0 : (double) count / total,
                        Rows.instant(r[3]),
                        Rows.instant(r[4])));
            }
            if (i == rows.size() - 1 || !key.equals(rows.get(i + 1)[0])) {
                tags.add(new GroupTags.Distribution(key, total, Rows.count(r[6]), List.copyOf(top)));
                top.clear();
            }
        }
        return new GroupTags(groupId, users, firstRelease, lastRelease, tags);
    }

    /** What the group detail shows of a group's events. */
    private record History(List<GroupDetail.HourCount> hours, List<GroupDetail.Occurrence> recent) {}

    /** Hourly counts over the week before {@code lastSeen} and the ten latest events (index group, time). */
    private Uni<History> occurrences(String groupId, Instant lastSeen) {
        Instant to = lastSeen == null ? Instant.now() : lastSeen;
        return Rows.list(
                        pool,
                        "SELECT date_trunc('hour', occurred_at), count(*) FROM error_events WHERE group_id = $1"
                                + " AND occurred_at > $2 AND occurred_at <= $3 GROUP BY 1 ORDER BY 1",
                        groupId,
                        Rows.timestamp(to.minus(java.time.Duration.ofDays(7))),
                        Rows.timestamp(to))
                .chain(hours -> Rows.list(
                                pool,
                                "SELECT event_id, occurred_at, release, environment, message FROM error_events"
                                        + " WHERE group_id = $1 ORDER BY occurred_at DESC LIMIT 10",
                                groupId)
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
            where.append(" AND (occurred_at, entry_id) < ($")
                    .append(params.size() - 1)
                    .append(", $")
                    .append(params.size())
                    .append(")");
        }
        String sql = "SELECT " + RESOLUTION_COLUMNS + " FROM resolutions" + where
                + " ORDER BY occurred_at DESC, entry_id DESC LIMIT " + (limit + 1);
        return Rows.list(pool, sql, params).map(rows -> {
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

    /**
     * One search term as SQL over error_groups: the statement text comes from the term's type and
     * from column names fixed here; every value the user typed is a bind parameter.
     */
    static void search(StringBuilder where, List<Object> params, GroupSearch.Term term) {
        where.append(term.negated() ? " AND NOT " : " AND ");
        if (term instanceof GroupSearch.Status s) {
            if (s.status().equals("unresolved")) {
                where.append("(status IN ('unresolved', 'regressed'))");
            } else {
                params.add(s.status());
                where.append("(status = $").append(params.size()).append(')');
            }
        } else if (term instanceof GroupSearch.Column c) {
            params.add(c.value());
            // workflow may be null: a group without one is not a match, and !workflow:x keeps it
            where.append("(coalesce(")
                    .append(column(c.column()))
                    .append(", '') = $")
                    .append(params.size())
                    .append(')');
        } else if (term instanceof GroupSearch.Tag t) {
            params.add(t.key());
            params.add(t.value());
            where.append("EXISTS (SELECT 1 FROM group_tag_values t WHERE t.group_id = error_groups.group_id")
                    .append(" AND t.key = $")
                    .append(params.size() - 1)
                    .append(" AND t.value = $")
                    .append(params.size())
                    .append(')');
        } else if (term instanceof GroupSearch.Seen s) {
            params.add(Rows.timestamp(s.at()));
            where.append('(')
                    .append(s.column().equals("first_seen") ? "first_seen" : "last_seen")
                    .append(s.after() ? " >= $" : " < $")
                    .append(params.size())
                    .append(')');
        } else if (term instanceof GroupSearch.Text t) {
            String pattern = "%" + likeEscaped(t.text()) + "%";
            params.add(pattern);
            params.add(pattern);
            where.append("(title ILIKE $")
                    .append(params.size() - 1)
                    .append(" OR coalesce(culprit, '') ILIKE $")
                    .append(params.size())
                    .append(')');
        }
    }

    /** The group columns a search term may name: the term carries a name, the SQL only these. */
    private static String column(String name) {
        return switch (name) {
            case "severity" -> "severity";
            case "category" -> "category";
            case "business_impact" -> "business_impact";
            case "workflow" -> "workflow";
            default -> throw new IllegalArgumentException("not a searchable column: " + name);
        };
    }

    /** ILIKE's wildcards and its escape character typed by the user match themselves. */
    static String likeEscaped(String text) {
        StringBuilder out = new StringBuilder(text.length() + 4);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' || c == '%' || c == '_') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }

    static void condition(StringBuilder where, List<Object> params, String clause, Object value) {
        if (value != null) {
            params.add(value);
            where.append(" AND ").append(clause).append('$').append(params.size());
        }
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
                Rows.instant(r[10]),
                Rows.count(r[11]),
                ((Number) r[12]).intValue());
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
