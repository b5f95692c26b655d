package io.faultline.impact.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.faultline.impact.model.ImpactReport;
import io.faultline.impact.model.SlaReport;
import io.faultline.impact.model.SlaReport.Objective;
import io.faultline.impact.model.SlaReport.Verdict;
import io.faultline.impact.repository.ImpactQueries.OpenGroups;
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
            0,
            0.8,
            Map.of("booking", 0.95),
            0.9,
            Duration.ofDays(30));
    private static final Instant FROM = Instant.parse("2026-01-10T00:00:00Z");
    private static final Instant TO = Instant.parse("2026-01-11T00:00:00Z");
    private static final ImpactReport QUIET = new ImpactReport(FROM, TO, 1440, 0.001, 100.0, 0, 0, List.of());

    private static SlaEvaluator.Measurements measured(
            Totals window,
            Totals budget,
            Totals lastHour,
            List<ResolveTimes> times,
            List<OpenGroups> open,
            long actionable,
            long autoResolved) {
        return new SlaEvaluator.Measurements(window, budget, lastHour, times, open, actionable, autoResolved, 0, QUIET);
    }

    /** 1,000 requests and no error in the window, nothing resolved, these groups open at its end. */
    private static SlaReport quietWindow(List<OpenGroups> open) {
        Totals traffic = new Totals(1000, 0, 0, 0);
        return new SlaEvaluator(TARGETS)
                .evaluate(FROM, TO, measured(traffic, traffic, new Totals(0, 0, 0, 0), List.of(), open, 0, 0));
    }

    private static Objective objective(SlaReport report, String id) {
        return report.objectives().stream()
                .filter(o -> o.id().equals(id))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void errorRatesAreComparedStrictlyBelowTheirTargets() {
        SlaReport report = new SlaEvaluator(TARGETS)
                .evaluate(
                        FROM,
                        TO,
                        measured(
                                new Totals(100_000, 50, 10, 0),
                                new Totals(1_000_000, 400, 10, 0),
                                new Totals(10_000, 20, 0, 0),
                                List.of(),
                                List.of(),
                                0,
                                0));

        assertThat(report.errorRate().rate()).isEqualTo(0.0005);
        assertThat(report.errorRate().compliant()).isTrue();
        assertThat(report.criticalErrorRate().rate()).isEqualTo(0.0001);
        assertThat(report.criticalErrorRate().compliant()).isFalse(); // must stay *below* 0.01 %
        assertThat(report.compliant()).isFalse();
        assertThat(report.verdict()).isEqualTo(Verdict.BREACHED);
        SlaReport.ErrorBudget budget = report.errorBudgets().get(0);
        assertThat(budget.allowedErrors()).isEqualTo(1000.0);
        assertThat(budget.consumedErrors()).isEqualTo(400);
        assertThat(budget.remaining()).isEqualTo(0.6, within(1e-9));
        assertThat(budget.burnRate()).isEqualTo(0.4, within(1e-9));
        assertThat(budget.burnRateLastHour()).isEqualTo(2.0, within(1e-9));
        // the window's own budget: 0.1 % of 100,000 requests allowed, 50 spent
        assertThat(objective(report, "error_rate").budget().allowed()).isEqualTo(100.0, within(1e-9));
        assertThat(objective(report, "error_rate").budget().remaining()).isEqualTo(0.5, within(1e-9));
    }

    @Test
    void anyRevenueBlockingErrorAndOneSlowResolutionBreakCompliance() {
        SlaReport report = new SlaEvaluator(TARGETS)
                .evaluate(
                        FROM,
                        TO,
                        measured(
                                new Totals(0, 0, 0, 1),
                                new Totals(0, 0, 0, 1),
                                new Totals(0, 0, 0, 0),
                                List.of(new ResolveTimes("critical", 2, 1, 12_000, 12_000, 19_600, 20_000)),
                                List.of(),
                                10,
                                9));

        assertThat(report.errorRate().rate()).isNull();
        assertThat(report.revenueBlockingErrors().compliant()).isFalse();
        SlaReport.ResolveTimeCompliance critical = report.timeToResolve().get(0);
        assertThat(critical.meanSeconds()).isEqualTo(12.0);
        assertThat(critical.p50Seconds()).isEqualTo(12.0);
        assertThat(critical.worstSeconds()).isEqualTo(20.0);
        assertThat(critical.verdict()).isEqualTo(Verdict.BREACHED);
        assertThat(critical.compliant()).isFalse();
        assertThat(report.autoResolution().rate()).isEqualTo(0.9);
        assertThat(report.autoResolution().compliant()).isTrue();
        assertThat(report.errorBudgets().get(0).remaining()).isEqualTo(1.0);
        assertThat(new SlaEvaluator(TARGETS)
                        .evaluate(
                                FROM,
                                TO,
                                measured(
                                        new Totals(0, 3, 0, 0),
                                        new Totals(0, 3, 0, 0),
                                        new Totals(0, 0, 0, 0),
                                        List.of(),
                                        List.of(),
                                        0,
                                        0))
                        .errorBudgets()
                        .get(0)
                        .remaining())
                .isNull();
    }

    @Test
    void nothingDueIsNoDataNeitherCompliantNorBreachedAndSaysWhy() {
        SlaReport report = quietWindow(List.of(new OpenGroups("high", 0, 2, 0)));

        SlaReport.ResolveTimeCompliance high = report.timeToResolve().get(1);
        assertThat(high.verdict()).isEqualTo(Verdict.NO_DATA);
        assertThat(high.compliant()).isFalse();
        assertThat(high.reason()).contains("no high-priority group").contains("2 open, not yet due");
        assertThat(report.autoResolution().verdict()).isEqualTo(Verdict.NO_DATA);
        assertThat(report.autoResolution().compliant()).isFalse();
        assertThat(objective(report, "auto_resolution_errors").verdict()).isEqualTo(Verdict.NO_DATA);
        assertThat(objective(report, "workflow_success_booking").verdict()).isEqualTo(Verdict.NO_DATA);
        // no target missed where something was measured: compliant, naming what had no data
        assertThat(report.verdict()).isEqualTo(Verdict.COMPLIANT);
        assertThat(report.reason()).contains("time_to_resolve_high");
    }

    @Test
    void aGroupOpenPastItsTargetBreachesEvenWithoutAnyResolution() {
        SlaReport report = quietWindow(List.of(new OpenGroups("critical", 1, 0, 3 * 3600_000.0)));

        SlaReport.ResolveTimeCompliance critical = report.timeToResolve().get(0);
        assertThat(critical.verdict()).isEqualTo(Verdict.BREACHED);
        assertThat(critical.resolved()).isZero();
        assertThat(critical.worstSeconds()).isEqualTo(10_800.0);
        assertThat(objective(report, "time_to_resolve_critical").budget().remaining())
                .isNull();
        assertThat(report.compliant()).isFalse();
    }
}
