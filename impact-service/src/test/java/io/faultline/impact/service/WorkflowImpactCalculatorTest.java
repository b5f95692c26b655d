package io.faultline.impact.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.faultline.impact.model.ImpactReport;
import io.faultline.impact.model.MinuteCounts;
import io.faultline.impact.model.WorkflowImpact;
import io.faultline.impact.workflow.Workflow;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkflowImpactCalculatorTest {

    private static final Instant FROM = Instant.parse("2026-01-10T10:00:00Z");
    private static final Instant TO = Instant.parse("2026-01-10T11:00:00Z"); // 60 minutes
    private static final Workflow BOOKING = new Workflow("booking", 0.25, 150, List.of(), List.of(), List.of());
    private static final Workflow PAYMENT =
            new Workflow("payment_processing", 0.75, 200, List.of(), List.of(), List.of());
    private final WorkflowImpactCalculator calculator = new WorkflowImpactCalculator(0.001);

    private static MinuteCounts minute(String workflow, int m, long requests, long errors, long revenueBlocking) {
        return new MinuteCounts(workflow, FROM.plusSeconds(60L * m), requests, errors, 0, revenueBlocking);
    }

    private static WorkflowImpact of(ImpactReport report, String workflow) {
        return report.workflows().stream()
                .filter(w -> w.workflow().equals(workflow))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void errorRateAndRevenueLossFollowTheAffectedFraction() {
        ImpactReport report =
                calculator.calculate(List.of(BOOKING, PAYMENT), List.of(minute("booking", 0, 1000, 20, 0)), FROM, TO);

        WorkflowImpact booking = of(report, "booking");
        assertThat(booking.requests()).isEqualTo(1000);
        assertThat(booking.errors()).isEqualTo(20);
        assertThat(booking.errorRate()).isEqualTo(0.02);
        assertThat(booking.successRate()).isEqualTo(0.98);
        assertThat(booking.degradedMinutes()).isEqualTo(1);
        // 150 $/h × 0.02 × 1/60 h
        assertThat(booking.revenueLoss()).isEqualTo(0.05);
        assertThat(booking.health()).isEqualTo(1 - 1 / 60.0, org.assertj.core.data.Offset.offset(1e-4));
        // weighted: (0.25 × 59/60 + 0.75 × 1) / 1
        assertThat(report.healthScore()).isEqualTo(99.58);
    }

    @Test
    void aRevenueBlockingErrorLosesTheWholeMinute() {
        ImpactReport report = calculator.calculate(
                List.of(PAYMENT), List.of(minute("payment_processing", 5, 10_000, 1, 1)), FROM, TO);

        WorkflowImpact payment = of(report, "payment_processing");
        assertThat(payment.revenueLoss()).isEqualTo(200 / 60.0, org.assertj.core.data.Offset.offset(0.005));
        assertThat(payment.revenueBlockingErrors()).isEqualTo(1);
        assertThat(payment.degradedMinutes()).isEqualTo(1);
        assertThat(report.revenueBlockingErrors()).isEqualTo(1);
    }

    @Test
    void withoutTrafficTheRateIsUndefinedAndOnlyRevenueBlockingErrorsCost() {
        ImpactReport report = calculator.calculate(
                List.of(BOOKING), List.of(minute("booking", 0, 0, 3, 0), minute("booking", 1, 0, 0, 0)), FROM, TO);

        WorkflowImpact booking = of(report, "booking");
        assertThat(booking.errorRate()).isNull();
        assertThat(booking.successRate()).isNull();
        assertThat(booking.noTraffic()).isTrue();
        assertThat(booking.revenueLoss()).isZero();
        assertThat(booking.degradedMinutes()).isEqualTo(1);
    }

    @Test
    void ratesAreCappedAtOneAndMinutesUnderTargetAreHealthy() {
        ImpactReport report = calculator.calculate(
                List.of(BOOKING),
                List.of(minute("booking", 0, 10, 50, 0), minute("booking", 1, 100_000, 100, 0)),
                FROM,
                TO);

        WorkflowImpact booking = of(report, "booking");
        assertThat(booking.errorRate()).isEqualTo(150 / 100_010.0, org.assertj.core.data.Offset.offset(1e-6));
        // minute 0: fraction capped at 1 → 150/60; minute 1: 0.001 = target, not above → healthy
        assertThat(booking.degradedMinutes()).isEqualTo(1);
        assertThat(booking.revenueLoss()).isEqualTo(2.5 + 150 * 0.001 / 60, org.assertj.core.data.Offset.offset(0.005));
    }

    @Test
    void unconfiguredWorkflowsAreReportedWithoutWeightOrRevenue() {
        ImpactReport report = calculator.calculate(List.of(BOOKING), List.of(minute("(none)", 0, 0, 4, 0)), FROM, TO);

        WorkflowImpact none = of(report, "(none)");
        assertThat(none.configured()).isFalse();
        assertThat(none.weight()).isZero();
        assertThat(none.errors()).isEqualTo(4);
        assertThat(report.healthScore()).isEqualTo(100.0);
    }
}
