package io.faultline.impact.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.faultline.impact.model.SlaReport;
import io.faultline.impact.repository.ImpactQueries.ResolveTimes;
import io.faultline.impact.repository.ImpactQueries.Totals;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SlaEvaluatorTest {

    private static final SlaEvaluator.Targets TARGETS = new SlaEvaluator.Targets(
            0.001,
            0.0001,
            0,
            Map.of(
                    "critical", Duration.ofSeconds(10),
                    "high", Duration.ofMinutes(5),
                    "medium", Duration.ofMinutes(30),
                    "low", Duration.ofHours(2)),
            0.8,
            Duration.ofDays(30));
    private static final Instant FROM = Instant.parse("2026-01-10T00:00:00Z");
    private static final Instant TO = Instant.parse("2026-01-11T00:00:00Z");

    @Test
    void errorRatesAreComparedStrictlyBelowTheirTargets() {
        SlaReport report = new SlaEvaluator(TARGETS)
                .evaluate(
                        FROM,
                        TO,
                        new Totals(100_000, 50, 10, 0),
                        new Totals(1_000_000, 400, 10, 0),
                        new Totals(10_000, 20, 0, 0),
                        List.of(),
                        0,
                        0);

        assertThat(report.errorRate().rate()).isEqualTo(0.0005);
        assertThat(report.errorRate().compliant()).isTrue();
        assertThat(report.criticalErrorRate().rate()).isEqualTo(0.0001);
        assertThat(report.criticalErrorRate().compliant()).isFalse(); // must stay *below* 0.01 %
        assertThat(report.compliant()).isFalse();
        SlaReport.ErrorBudget budget = report.errorBudgets().get(0);
        assertThat(budget.allowedErrors()).isEqualTo(1000.0);
        assertThat(budget.consumedErrors()).isEqualTo(400);
        assertThat(budget.remaining()).isEqualTo(0.6, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(budget.burnRate()).isEqualTo(0.4, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(budget.burnRateLastHour()).isEqualTo(2.0, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void anyRevenueBlockingErrorAndASlowMeanResolutionBreakCompliance() {
        SlaReport report = new SlaEvaluator(TARGETS)
                .evaluate(
                        FROM,
                        TO,
                        new Totals(0, 0, 0, 1),
                        new Totals(0, 0, 0, 1),
                        new Totals(0, 0, 0, 0),
                        List.of(new ResolveTimes("critical", 2, 1, 12_000, 19_600, 20_000)),
                        10,
                        9);

        assertThat(report.errorRate().rate()).isNull();
        assertThat(report.errorRate().compliant()).isTrue();
        assertThat(report.revenueBlockingErrors().compliant()).isFalse();
        SlaReport.ResolveTimeCompliance critical = report.timeToResolve().get(0);
        assertThat(critical.meanSeconds()).isEqualTo(12.0);
        assertThat(critical.compliant()).isFalse();
        assertThat(report.timeToResolve().get(1).compliant()).isTrue(); // no high resolutions
        assertThat(report.autoResolution().rate()).isEqualTo(0.9);
        assertThat(report.autoResolution().compliant()).isTrue();
        assertThat(report.errorBudgets().get(0).remaining()).isEqualTo(1.0);
        assertThat(new SlaEvaluator(TARGETS)
                        .evaluate(
                                FROM,
                                TO,
                                new Totals(0, 3, 0, 0),
                                new Totals(0, 3, 0, 0),
                                new Totals(0, 0, 0, 0),
                                List.of(),
                                0,
                                0)
                        .errorBudgets()
                        .get(0)
                        .remaining())
                .isNull();
    }
}
