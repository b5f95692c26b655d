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

    /** Time to resolve critical groups: each group due in the window, not the mean. */
    @WithDefault("10S")
    Duration mttrCritical();

    @WithDefault("5M")
    Duration mttrHigh();

    @WithDefault("30M")
    Duration mttrMedium();

    @WithDefault("2H")
    Duration mttrLow();

    /**
     * Share that must be resolved automatically (strictly more), under both definitions: of the
     * errors (the first user's) and of the actionable groups, those a runbook matched (Faultline's).
     */
    @WithDefault("0.8")
    double autoResolutionTarget();

    /**
     * Share of the groups due in a window that may miss their time-to-resolve target before the
     * priority is breached: 0, the first user's table, means every group within its target.
     */
    @WithDefault("0")
    double timeToResolveAllowedMisses();

    /** The weighted health score (methodology compliance) must stay above this fraction. */
    @WithDefault("0.9")
    double healthScoreTarget();

    /** The rolling window of the error budgets. */
    @WithDefault("30D")
    Duration budgetWindow();
}
