package io.faultline.dashboard.stream;

import java.util.List;

/**
 * One item of the live feed, the same shape for all three sources so the page needs one
 * renderer: {@code kind} is {@code error}, {@code signal} or {@code resolution}; {@code type} is
 * the signal type or resolution phase; {@code stack} holds the innermost exception's frames,
 * crashing frame first (errors only), so the group page can show a trace before the
 * impact-service stores samples.
 */
public record FeedEvent(
        String kind,
        String type,
        long at,
        String projectId,
        String groupId,
        String title,
        String severity,
        String category,
        String businessImpact,
        String workflow,
        String message,
        String action,
        List<String> stack) {}
