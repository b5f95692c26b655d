package io.faultline.impact.repository;

import io.faultline.impact.service.ClassifiedEvents;
import io.faultline.schemas.ResolutionEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Optional;

/**
 * Records one resolver audit entry. The entry id is the primary key, so a redelivered entry
 * conflicts and changes nothing; a first {@code verification_passed} (not a dry run) marks the
 * group resolved and closes its open incident; an operator's resolve / ignore / reopen sets the
 * group's status. Time to resolve is derived at query time (the group may not be stored yet when
 * its resolution arrives: the two topics are consumed independently).
 */
@ApplicationScoped
public class ResolutionRecorder {

    public static final String VERIFIED = "verification_passed";

    /**
     * The tail of a resolving statement whose CTE {@code resolved} returns the group's status
     * before ({@code was}), its clock and severity: an entry that resolved an open group stops
     * its clock and is timed (docs/impact-model.md, time to resolve); resolving a group already
     * resolved or ignored times nothing.
     */
    private static final String TIME_THE_ENTRY = " UPDATE resolutions r SET clock_started_at = resolved.clock,"
            + " priority = COALESCE(r.severity, resolved.severity) FROM resolved WHERE r.entry_id = $3"
            + " AND resolved.was IN ('unresolved', 'regressed')";

    private final Pool pool;

    public ResolutionRecorder(Pool pool) {
        this.pool = pool;
    }

    /** An operator's resolve in the next release; its {@code details.release} is the release the fix comes after. */
    public static final String RESOLVE_IN_RELEASE = "manual_resolve_in_release";

    /**
     * The group's status as far as its time-to-resolve clock goes: a group resolved in a release
     * that has not shipped yet is still open trouble (docs/releases.md), so resolving it otherwise
     * stops its clock and reopening it keeps the clock running.
     */
    private static final String STATUS_FOR_THE_CLOCK =
            " CASE WHEN status = 'resolved' AND resolved_in_release IS NOT NULL"
                    + " AND release_shipped_at IS NULL THEN 'unresolved' ELSE status END AS status";

    /** @return whether the entry was new */
    public Uni<Boolean> record(ResolutionEvent entry) {
        OffsetDateTime at = OffsetDateTime.ofInstant(entry.getTimestamp(), ZoneOffset.UTC);
        return pool.withTransaction(conn -> conn.preparedQuery("INSERT INTO resolutions (entry_id,"
                        + " attempt_id, group_id, project_id, event_id, occurred_at, phase, runbook_id, action,"
                        + " strategy, attempt, dry_run, severity, message) VALUES ($1, $2, $3, $4, $5, $6, $7,"
                        + " $8, $9, $10, $11, $12, $13, $14) ON CONFLICT DO NOTHING")
                .execute(Tuple.from(Arrays.asList(
                        entry.getEntryId(),
                        entry.getAttemptId(),
                        entry.getGroupId(),
                        entry.getProjectId(),
                        entry.getEventId(),
                        at,
                        entry.getPhase(),
                        entry.getRunbookId(),
                        entry.getAction(),
                        entry.getStrategy(),
                        entry.getAttempt(),
                        entry.getDryRun(),
                        entry.getSeverity(),
                        entry.getMessage())))
                .map(rows -> rows.rowCount())
                .flatMap(inserted -> {
                    if (inserted == 0) {
                        return Uni.createFrom().item(false);
                    }
                    Optional<String> manual = manualStatus(entry);
                    if (manual.isPresent()) {
                        return applyManual(
                                conn, entry.getEntryId(), entry.getGroupId(), manual.get(), inReleaseOf(entry), at);
                    }
                    if (!VERIFIED.equals(entry.getPhase()) || entry.getDryRun()) {
                        return Uni.createFrom().item(true);
                    }
                    return conn.preparedQuery("WITH before AS (SELECT group_id," + STATUS_FOR_THE_CLOCK
                                    + ", COALESCE(clock_started_at, first_seen) AS clock, severity FROM error_groups"
                                    + " WHERE group_id = $1 AND last_seen <= $2 AND merged_into IS NULL"
                                    + " AND (resolved_at IS NULL OR resolved_at < $2) FOR UPDATE),"
                                    + " resolved AS (UPDATE error_groups g SET status = 'resolved', resolved_at = $2,"
                                    + " resolved_in_release = NULL, release_shipped_at = NULL"
                                    + " FROM before WHERE g.group_id = before.group_id"
                                    + " RETURNING before.status AS was, before.clock, before.severity)"
                                    + TIME_THE_ENTRY)
                            .execute(Tuple.of(entry.getGroupId(), at, entry.getEntryId()))
                            // the group's incident ends with the verified fix, unless it saw activity after it
                            .chain(() -> conn.preparedQuery("UPDATE incidents SET status = 'closed',"
                                            + " closed_at = $2, close_reason = 'verified' WHERE group_id = $1"
                                            + " AND status = 'open' AND scope = 'group' AND last_activity_at <= $2")
                                    .execute(Tuple.of(entry.getGroupId(), at)))
                            .chain(() -> AlertOutbox.onResolved(conn, entry.getGroupId()))
                            .replaceWith(true);
                }));
    }

    /**
     * An operator's action from the dashboard (strategy {@code manual}): resolve marks the group
     * resolved now (a later event is a regression) and closes its incident; ignore marks it
     * ignored (the classifier's {@code ignore_expired} signal wakes it); reopen makes it
     * unresolved; acknowledge changes no status.
     */
    static Optional<String> manualStatus(ResolutionEvent entry) {
        if (!"manual".equals(entry.getStrategy()) || entry.getAction() == null) {
            return Optional.empty();
        }
        return switch (entry.getAction()) {
            case "manual_resolve", RESOLVE_IN_RELEASE -> Optional.of("resolved");
            case "manual_ignore" -> Optional.of("ignored");
            case "manual_reopen" -> Optional.of("unresolved");
            default -> Optional.empty();
        };
    }

    /**
     * The release of a resolve in the next release, clipped to its column; null for any other entry,
     * and for one without a release, which is a plain resolve (as the classifier takes it).
     */
    static String inReleaseOf(ResolutionEvent entry) {
        if (!RESOLVE_IN_RELEASE.equals(entry.getAction())) {
            return null;
        }
        String release = entry.getDetails().get("release");
        return release == null || release.isBlank() ? null : ClassifiedEvents.clip(release, 200);
    }

    private static Uni<Boolean> applyManual(
            SqlConnection conn, String entryId, String groupId, String status, String release, OffsetDateTime at) {
        // a group reopened (by hand, or an ignore of it ended) is open trouble again from now: a new
        // clock. A resolve in the next release stops no clock: the release's shipping does
        // (IncidentTracker), and until then the group is pending, open for the SLA.
        Uni<?> updated = conn.preparedQuery("WITH before AS (SELECT group_id," + STATUS_FOR_THE_CLOCK
                        + ", COALESCE(clock_started_at, first_seen) AS clock, severity FROM error_groups"
                        + " WHERE group_id = $1 AND merged_into IS NULL FOR UPDATE),"
                        + " resolved AS (UPDATE error_groups g SET status = $4, resolved_at ="
                        + " CASE WHEN $4 = 'resolved' THEN $2 ELSE g.resolved_at END, clock_started_at ="
                        + " CASE WHEN $4 = 'unresolved' AND before.status IN ('resolved', 'ignored') THEN $2"
                        + " ELSE g.clock_started_at END, resolved_in_release = CAST($5 AS varchar),"
                        // a group resolved or ignored already has no clock running for the shipping to stop
                        + " release_shipped_at = CASE WHEN CAST($5 AS varchar) IS NOT NULL"
                        + " AND before.status IN ('resolved', 'ignored') THEN CAST($2 AS timestamptz) END"
                        + " FROM before WHERE g.group_id = before.group_id"
                        + " RETURNING CASE WHEN $4 = 'resolved' AND CAST($5 AS varchar) IS NULL THEN before.status END AS was,"
                        + " before.clock, before.severity)"
                        + TIME_THE_ENTRY)
                .execute(Tuple.of(groupId, at, entryId, status, release));
        if (!"resolved".equals(status)) {
            return updated.replaceWith(true);
        }
        if (release != null) {
            // the classifier may have signalled the shipping before this entry was stored
            updated = updated.call(() -> ReleaseResolutions.apply(conn, groupId, release));
        }
        return updated.chain(() -> conn.preparedQuery("UPDATE incidents SET status = 'closed', closed_at = $2,"
                                + " close_reason = 'manual' WHERE group_id = $1 AND status = 'open'"
                                + " AND scope = 'group'")
                        .execute(Tuple.of(groupId, at)))
                .chain(() -> AlertOutbox.onResolved(conn, groupId))
                .replaceWith(true);
    }
}
