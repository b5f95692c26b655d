package io.faultline.impact.model;

/**
 * One workflow's counters over a window, with the two per-minute figures the impact model needs
 * already summed: how many minutes were degraded and Σ affected fraction (minutes of revenue lost).
 */
public record WorkflowCounts(
        String workflow,
        long requests,
        long errors,
        long criticalErrors,
        long revenueBlockingErrors,
        long degradedMinutes,
        double affectedMinutes) {}
