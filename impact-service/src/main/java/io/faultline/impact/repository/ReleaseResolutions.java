package io.faultline.impact.repository;

import io.faultline.impact.service.ClassifiedEvents;
import io.faultline.schemas.Signal;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Applies the classifier's decisions about groups resolved in the next release (docs/releases.md):
 * which release comes after which is the classifier's to say, since it sees each project's
 * releases in order. {@code release_shipped}: a later release is out, so the fix counts as resolved
 * from then on for time to resolve; the group's audit trail gets an entry that stops the clock.
 * {@code regression}: an event of a later release reopened the group (the events consumer leaves
 * such a group resolved whatever the time of its events).
 */
final class ReleaseResolutions {

    static final String RELEASE_SHIPPED = "release_shipped";
    static final String REGRESSION = "regression";

    private ReleaseResolutions() {}

    /** The fix shipped: kept, and applied to the group if its resolve is stored already. */
    static Uni<Void> shipped(SqlConnection conn, Signal signal) {
        String release = signal.getDetails().get("release");
        if (signal.getGroupId() == null || release == null) {
            throw new IllegalArgumentException(
                    "release_shipped signal " + signal.getSignalId() + " without a group and a release");
        }
        return conn.preparedQuery("INSERT INTO release_shipments (group_id, release, shipped_at, message)"
                        + " VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING")
                .execute(Tuple.of(
                        signal.getGroupId(),
                        ClassifiedEvents.clip(release, 200),
                        OffsetDateTime.ofInstant(signal.getDetectedAt(), ZoneOffset.UTC),
                        signal.getMessage()))
                .chain(() -> apply(conn, signal.getGroupId(), ClassifiedEvents.clip(release, 200)));
    }

    /**
     * A group pending in {@code release} whose shipping is stored: its clock stops at the shipping
     * (never before the resolve), with an audit entry (phase {@code release_shipped}) that times it.
     * Called on the signal and on the resolve, whichever is stored second finds the other.
     */
    static Uni<Void> apply(SqlConnection conn, String groupId, String release) {
        return conn.preparedQuery("WITH s AS (SELECT shipped_at, message FROM release_shipments"
                        + " WHERE group_id = $1 AND release = $2), shipped AS (UPDATE error_groups g SET"
                        + " release_shipped_at = GREATEST(g.resolved_at, s.shipped_at) FROM s WHERE g.group_id = $1"
                        + " AND g.status = 'resolved' AND g.resolved_in_release = $2 AND g.release_shipped_at IS NULL"
                        + " RETURNING g.group_id, g.project_id, g.release_shipped_at AS at, g.resolved_at,"
                        + " COALESCE(g.clock_started_at, g.first_seen) AS clock, g.severity, s.message)"
                        // one timing entry per resolve: the same release may be resolved in again later
                        + " INSERT INTO resolutions (entry_id, attempt_id, group_id, project_id, occurred_at, phase,"
                        + " strategy, message, clock_started_at, priority) SELECT e.id, e.id, group_id, project_id,"
                        + " at, 'release_shipped', 'manual', message, clock, severity FROM shipped,"
                        + " LATERAL (SELECT 'release_shipped:' || md5(group_id || '|' || CAST(resolved_at AS text))"
                        + " AS id) e ON CONFLICT DO NOTHING")
                .execute(Tuple.of(groupId, release))
                .replaceWithVoid();
    }

    /**
     * A group resolved in a release regressed: a new clock from the event (not before the fix
     * shipped); one whose release had not shipped keeps the clock it had, which never stopped.
     */
    static Uni<Void> regressed(SqlConnection conn, Signal signal) {
        if (signal.getGroupId() == null) {
            return Uni.createFrom().voidItem();
        }
        return conn.preparedQuery("UPDATE error_groups SET status = 'regressed', clock_started_at ="
                        + " CASE WHEN release_shipped_at IS NULL THEN COALESCE(clock_started_at, first_seen)"
                        + " ELSE GREATEST(release_shipped_at, $2) END, resolved_in_release = NULL,"
                        + " release_shipped_at = NULL WHERE group_id = $1 AND status = 'resolved'"
                        + " AND resolved_in_release IS NOT NULL")
                .execute(
                        Tuple.of(signal.getGroupId(), OffsetDateTime.ofInstant(signal.getDetectedAt(), ZoneOffset.UTC)))
                .replaceWithVoid();
    }
}
