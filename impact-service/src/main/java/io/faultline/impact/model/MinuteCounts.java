package io.faultline.impact.model;

import java.time.Instant;

/** The counters of one workflow in one minute (summed over projects when no project is given). */
public record MinuteCounts(
        String workflow, Instant minute, long requests, long errors, long criticalErrors, long revenueBlockingErrors) {}
