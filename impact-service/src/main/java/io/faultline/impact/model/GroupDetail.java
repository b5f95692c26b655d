package io.faultline.impact.model;

import io.faultline.impact.model.Overview.GroupSummary;
import java.time.Instant;
import java.util.List;

/** A group with what the list omits: culprit, grouping strategy, last fix and recent resolver entries. */
public record GroupDetail(
        GroupSummary group, String culprit, String strategy, Instant resolvedAt, List<ResolutionEntry> resolutions) {}
