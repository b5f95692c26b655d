package io.faultline.impact.service;

import io.faultline.schemas.Signal;
import io.smallrye.mutiny.Uni;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.hibernate.reactive.mutiny.Mutiny;

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

    /** The fix shipped: stop the group's clock at the shipping (never before the resolve). */
    static Uni<Void> shipped(Mutiny.Session session, Signal signal) {
        String release = signal.getDetails().get("release");
        if (signal.getGroupId() == null || release == null) {
            throw new IllegalArgumentException(
                    "release_shipped signal " + signal.getSignalId() + " without a group and a release");
        }
        return session.createNativeQuery("WITH shipped AS (UPDATE error_groups g SET release_shipped_at ="
                        + " GREATEST(g.resolved_at, ?2) WHERE g.group_id = ?1 AND g.status = 'resolved'"
                        + " AND g.resolved_in_release = ?3 AND g.release_shipped_at IS NULL"
                        + " RETURNING g.group_id, g.project_id, g.release_shipped_at AS at,"
                        + " COALESCE(g.clock_started_at, g.first_seen) AS clock, g.severity)"
                        + " INSERT INTO resolutions (entry_id, attempt_id, group_id, project_id, occurred_at, phase,"
                        + " strategy, message, clock_started_at, priority) SELECT ?4, ?4, group_id, project_id, at,"
                        + " 'release_shipped', 'manual', ?5, clock, severity FROM shipped ON CONFLICT DO NOTHING")
                .setParameter(1, signal.getGroupId())
                .setParameter(2, OffsetDateTime.ofInstant(signal.getDetectedAt(), ZoneOffset.UTC))
                .setParameter(3, ImpactRecorder.clip(release, 200))
                .setParameter(4, ImpactRecorder.clip(signal.getSignalId(), 160))
                .setParameter(5, signal.getMessage())
                .executeUpdate()
                .replaceWithVoid();
    }

    /**
     * A group resolved in a release regressed: a new clock from the event (not before the fix
     * shipped); one whose release had not shipped keeps the clock it had, which never stopped.
     */
    static Uni<Void> regressed(Mutiny.Session session, Signal signal) {
        if (signal.getGroupId() == null) {
            return Uni.createFrom().voidItem();
        }
        return session.createNativeQuery("UPDATE error_groups SET status = 'regressed', clock_started_at ="
                        + " CASE WHEN release_shipped_at IS NULL THEN COALESCE(clock_started_at, first_seen)"
                        + " ELSE GREATEST(release_shipped_at, ?2) END, resolved_in_release = NULL,"
                        + " release_shipped_at = NULL WHERE group_id = ?1 AND status = 'resolved'"
                        + " AND resolved_in_release IS NOT NULL")
                .setParameter(1, signal.getGroupId())
                .setParameter(2, OffsetDateTime.ofInstant(signal.getDetectedAt(), ZoneOffset.UTC))
                .executeUpdate()
                .replaceWithVoid();
    }
}
