package io.faultline.impact.model;

/**
 * One workflow's impact over a window. {@code errorRate} and {@code successRate} are null when the
 * workflow had no traffic in the window ({@code noTraffic}): a rate without a denominator would be
 * invented.
 */
public record WorkflowImpact(
        String workflow,
        boolean configured,
        double weight,
        double revenuePerHour,
        long requests,
        long errors,
        long criticalErrors,
        long revenueBlockingErrors,
        Double errorRate,
        Double successRate,
        boolean noTraffic,
        long degradedMinutes,
        double revenueLoss,
        double health) {}
