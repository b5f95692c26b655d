package io.faultline.impact.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** When an incident nobody verified is considered over. */
@ConfigMapping(prefix = "faultline.incidents")
public interface IncidentsConfig {

    /**
     * An open incident without a new event or signal for this long is closed as {@code quiet}
     * ({@code FAULTLINE_INCIDENTS_QUIET_PERIOD}). Workflow incidents (an SLO burn) have no
     * verification to close them, so this is how they end.
     */
    @WithDefault("1H")
    Duration quietPeriod();

    /** How often quiet incidents are closed (scheduler syntax; {@code off} disables it). */
    @WithDefault("1m")
    String every();
}
