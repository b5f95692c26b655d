package io.faultline.impact.model;

import io.faultline.impact.model.Overview.GroupSummary;
import java.time.Instant;
import java.util.List;

/**
 * A group with what the list omits: culprit, grouping strategy, last fix, recent resolver entries,
 * its occurrences per hour over the week before it was last seen, and its latest events; for a
 * merged group (status {@code merged}), the group it was merged into, which holds its events now;
 * for a group resolved in the next release, the release its fix comes after and when a later one
 * shipped (null while none has: the group counts as open for time to resolve).
 */
public record GroupDetail(
        GroupSummary group,
        String culprit,
        String strategy,
        Instant resolvedAt,
        List<ResolutionEntry> resolutions,
        List<HourCount> hourlyCounts,
        List<Occurrence> recentEvents,
        String mergedInto,
        String resolvedInRelease,
        Instant releaseShippedAt) {

    /** Events of the group in one hour (hours without any are left out). */
    public record HourCount(Instant hour, long count) {}

    /** One stored event of the group. */
    public record Occurrence(String eventId, Instant occurredAt, String release, String environment, String message) {}
}
