package io.faultline.impact.model;

import java.time.Instant;
import java.util.List;

/** Impact of every workflow over a window, with the weighted health score across them. */
public record ImpactReport(
        Instant from,
        Instant to,
        long windowMinutes,
        double errorRateTarget,
        double healthScore,
        double revenueLoss,
        long revenueBlockingErrors,
        List<WorkflowImpact> workflows) {}
