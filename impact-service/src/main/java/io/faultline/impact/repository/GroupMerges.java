package io.faultline.impact.repository;

import io.faultline.schemas.Signal;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Applies the classifier's {@code group_merged} signal: the template miner found the group's
 * template to be another group's (the third user name at one position), so the group is merged
 * into that survivor. In the signal's transaction: the merge is recorded (so events of the group
 * still in flight are stored under the survivor, see {@link ImpactRecorder}), the group's count
 * and seen range move to the survivor (created from it if not stored yet), its events move, it
 * stays behind as {@code merged} with a count of 0, its tag values and users move (the survivor's
 * users counted anew), and its open incident is closed ({@code
 * merged}). Groups merged into it earlier follow it to the survivor.
 */
final class GroupMerges {

    static final String GROUP_MERGED = "group_merged";

    /**
     * The advisory lock a merge takes exclusively and every batch of classified events shares:
     * one key for all groups, so a batch takes one lock however many groups it touches, and
     * merges (a handful per template learned) wait only for the batches in flight.
     */
    static final String LOCK_KEY = "hashtextextended('faultline.group-merges', 0)";

    private GroupMerges() {}

    static Uni<Boolean> apply(SqlConnection conn, Signal signal) {
        String merged = signal.getGroupId();
        String named = signal.getDetails().get("mergedInto");
        if (merged == null || named == null || merged.equals(named)) {
            throw new IllegalArgumentException(
                    "group_merged signal " + signal.getSignalId() + " without a group and a different mergedInto");
        }
        OffsetDateTime at = OffsetDateTime.ofInstant(signal.getDetectedAt(), ZoneOffset.UTC);
        return conn.query("SELECT count(*) FROM (SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")) AS locked")
                .execute()
                // the survivor may itself have been merged meanwhile (signals of a chain of merges
                // are keyed by their survivors, so they may be applied out of order): the group goes
                // to the end of the chain
                .chain(() -> conn.preparedQuery(
                                "WITH RECURSIVE chain(id, depth) AS (SELECT CAST($1 AS varchar), 0 UNION ALL"
                                        + " SELECT m.merged_into, c.depth + 1 FROM group_merges m JOIN chain c"
                                        + " ON m.group_id = c.id WHERE c.depth < 64)"
                                        + " SELECT id FROM chain ORDER BY depth DESC LIMIT 1")
                        .execute(Tuple.of(named))
                        .map(rows -> rows.iterator().next().getString(0)))
                .chain(survivor -> survivor.equals(merged)
                        ? Uni.createFrom().item(true) // merged into itself through a chain: nothing to move
                        : moveInto(conn, merged, survivor, at));
    }

    private static Uni<Boolean> moveInto(SqlConnection conn, String merged, String survivor, OffsetDateTime at) {
        return update(
                        conn,
                        "INSERT INTO group_merges (group_id, merged_into, merged_at) VALUES ($1, $2, $3)"
                                + " ON CONFLICT (group_id) DO NOTHING",
                        merged,
                        survivor,
                        at)
                .chain(() -> update(
                        conn, "UPDATE group_merges SET merged_into = $2 WHERE merged_into = $1", merged, survivor))
                .chain(() -> update(
                        conn, "UPDATE error_groups SET merged_into = $2 WHERE merged_into = $1", merged, survivor))
                .chain(() -> update(
                        conn,
                        "INSERT INTO error_groups (group_id, project_id, title, culprit, strategy, severity,"
                                + " category, business_impact, workflow, first_seen, last_seen, event_count)"
                                + " SELECT $2, project_id, title, culprit, strategy, severity, category,"
                                + " business_impact, workflow, first_seen, last_seen, event_count FROM error_groups"
                                + " WHERE group_id = $1 AND merged_into IS NULL"
                                + " ON CONFLICT (group_id) DO UPDATE SET"
                                + " event_count = error_groups.event_count + EXCLUDED.event_count,"
                                + " first_seen = LEAST(error_groups.first_seen, EXCLUDED.first_seen),"
                                + " last_seen = GREATEST(error_groups.last_seen, EXCLUDED.last_seen)",
                        merged,
                        survivor))
                .chain(() -> update(
                        conn,
                        "UPDATE error_groups SET status = 'merged', merged_into = $2, event_count = 0"
                                + " WHERE group_id = $1 AND merged_into IS NULL",
                        merged,
                        survivor))
                .chain(() ->
                        update(conn, "UPDATE error_events SET group_id = $2 WHERE group_id = $1", merged, survivor))
                // the tag distributions and users follow the events: the survivor's add up, the
                // merged group's are gone with its events
                .chain(() -> update(
                        conn,
                        "WITH moved AS (DELETE FROM group_tag_values WHERE group_id = $1 RETURNING *)"
                                + " INSERT INTO group_tag_values (group_id, key, value, times_seen, first_seen, last_seen)"
                                + " SELECT $2, key, value, times_seen, first_seen, last_seen FROM moved ORDER BY key, value"
                                + " ON CONFLICT (group_id, key, value) DO UPDATE SET"
                                + " times_seen = group_tag_values.times_seen + EXCLUDED.times_seen,"
                                + " first_seen = LEAST(group_tag_values.first_seen, EXCLUDED.first_seen),"
                                + " last_seen = GREATEST(group_tag_values.last_seen, EXCLUDED.last_seen)",
                        merged,
                        survivor))
                .chain(() -> update(
                        conn,
                        "WITH moved AS (DELETE FROM group_users WHERE group_id = $1 RETURNING user_hash),"
                                + " fresh AS (INSERT INTO group_users (group_id, user_hash) SELECT $2, user_hash"
                                + " FROM moved ON CONFLICT DO NOTHING RETURNING 1)"
                                + " UPDATE error_groups SET users_affected = CASE WHEN group_id = $1 THEN 0"
                                + " ELSE users_affected + (SELECT count(*) FROM fresh) END"
                                + " WHERE group_id IN ($1, $2)",
                        merged,
                        survivor))
                .chain(() -> update(
                        conn,
                        "UPDATE incidents SET status = 'closed', closed_at = GREATEST(last_activity_at, $2),"
                                + " close_reason = 'merged' WHERE group_id = $1 AND status = 'open' AND scope = 'group'",
                        merged,
                        at))
                .replaceWith(true);
    }

    private static Uni<Integer> update(SqlConnection conn, String sql, Object... parameters) {
        return conn.preparedQuery(sql).execute(Tuple.from(parameters)).map(rows -> rows.rowCount());
    }
}
