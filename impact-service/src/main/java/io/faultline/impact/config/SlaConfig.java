package io.faultline.impact.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * SLA / SLO targets. Environment overrides follow the Quarkus convention, e.g.
 * {@code FAULTLINE_SLA_ERROR_RATE_TARGET}, {@code FAULTLINE_SLA_MTTR_CRITICAL}.
 */
@ConfigMapping(prefix = "faultline.sla")
public interface SlaConfig {

    /** Overall error rate must stay below this fraction of requests (0.1 %). */
    @WithDefault("0.001")
    double errorRateTarget();

    /** Critical-severity error rate must stay below this fraction of requests (0.01 %). */
    @WithDefault("0.0001")
    double criticalErrorRateTarget();

    /** Revenue-blocking errors allowed in a window. */
    @WithDefault("0")
    long revenueBlockingErrorTarget();

    /** Mean time to resolve critical groups. */
    @WithDefault("10S")
    Duration mttrCritical();

    @WithDefault("5M")
    Duration mttrHigh();

    @WithDefault("30M")
    Duration mttrMedium();

    @WithDefault("2H")
    Duration mttrLow();

    /** Share of actionable groups (a runbook matched) that must be resolved automatically. */
    @WithDefault("0.8")
    double autoResolutionTarget();

    /** The rolling window of the error budgets. */
    @WithDefault("30D")
    Duration budgetWindow();
}
