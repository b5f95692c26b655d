package io.faultline.impact.model;

import java.time.Instant;
import java.util.List;

/** The headline numbers of a project or of all projects. */
public record Overview(long totalEvents, long groupCount, List<GroupSummary> groups) {

    /** One group, as the overview lists it (most recently seen first). */
    public record GroupSummary(
            String groupId,
            String projectId,
            String title,
            String severity,
            String category,
            String businessImpact,
            String workflow,
            String status,
            long count,
            Instant firstSeen,
            Instant lastSeen,
            long usersAffected,
            int priority) {}
}
