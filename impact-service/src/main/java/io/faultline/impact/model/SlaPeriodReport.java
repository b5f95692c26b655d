package io.faultline.impact.model;

import java.time.Instant;
import java.util.List;

/**
 * The SLA report of a period [from, to) a manager keeps (docs/impact-model.md, "SLA report"): the
 * compliance report of every project and every workflow, each judged on its own, with the series
 * its charts are drawn from. {@code bucket} is the series' step: {@code day}, or {@code hour} for a
 * period of two days or less.
 */
public record SlaPeriodReport(
        Instant from,
        Instant to,
        String bucket,
        Instant generatedAt,
        Scope overall,
        List<Scope> projects,
        List<Scope> workflows) {

    /**
     * One scope: {@code all} (every project the report covers), a {@code project} or a {@code
     * workflow} (across the projects the report covers), its compliance report and its series.
     */
    public record Scope(String scope, String id, SlaReport sla, List<Point> series) {}

    /**
     * One bucket [start, end) of a scope's series; {@code errorRate} = errors / requests and
     * {@code successRate} = 1 − min(1, errorRate), both null without traffic.
     */
    public record Point(
            Instant start,
            Instant end,
            long requests,
            long errors,
            long criticalErrors,
            long revenueBlockingErrors,
            Double errorRate,
            Double successRate) {

        public static Point of(Instant start, Instant end, long requests, long errors, long critical, long blocking) {
            Double rate = requests == 0 ? null : (double) errors / requests;
            return new Point(
                    start,
                    end,
                    requests,
                    errors,
                    critical,
                    blocking,
                    rate,
                    rate == null ? null : 1 - Math.min(1, rate));
        }
    }
}
