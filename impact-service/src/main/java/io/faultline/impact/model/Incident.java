package io.faultline.impact.model;

import java.time.Instant;

/**
 * A period during which a group or a workflow was in trouble: opened by a critical or
 * revenue-blocking error, or by a spike / new-issue / regression / SLO-burn signal; closed when a
 * verified fix resolved its group ({@code verified}) or after a quiet period ({@code quiet}).
 *
 * @param scope {@code group}, {@code workflow} or {@code project} (a signal naming neither)
 * @param trigger what opened it: critical, revenue_blocking, spike, new_issue, regression, slo_burn
 */
public record Incident(
        String incidentId,
        String projectId,
        String scope,
        String groupId,
        String workflow,
        String trigger,
        String severity,
        String title,
        String status,
        Instant openedAt,
        Instant lastActivityAt,
        Instant closedAt,
        String closeReason,
        long eventCount,
        long signalCount) {}
