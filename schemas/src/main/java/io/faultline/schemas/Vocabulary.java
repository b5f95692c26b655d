package io.faultline.schemas;

import java.util.List;

/**
 * The classifier's label vocabulary (docs/architecture.md), the values the classified records,
 * groups and signals carry: defined once here for every service that validates or filters on them
 * (the runbook parser, the issue search, the dashboard's relabel, and the dashboard's page, which
 * reads it from {@code GET /api/v1/vocabulary}).
 */
public final class Vocabulary {

    public static final List<String> SEVERITIES = List.of("critical", "high", "medium", "low", "info");

    public static final List<String> CATEGORIES = List.of(
            "authentication",
            "payment",
            "booking",
            "database",
            "external_api",
            "validation",
            "performance",
            "security",
            "user_experience",
            "business_logic");

    public static final List<String> BUSINESS_IMPACTS =
            List.of("revenue_blocking", "user_blocking", "experience_degrading", "operational", "monitoring");

    /** An error group's status (ErrorGroup.status); {@code merged}: see ErrorGroup.mergedInto. */
    public static final List<String> GROUP_STATUSES =
            List.of("unresolved", "resolved", "ignored", "regressed", "merged");

    /**
     * What the detectors put on the signals topic (Signal.type): a group's first event, its return
     * after a fix, an hour far above its baseline, an SLO burning its budget too fast, an ignored
     * group crossing its until-condition, a group merged into another's template, and a later release
     * shipping the fix of a group resolved in the next release (docs/releases.md).
     */
    public static final List<String> SIGNAL_KINDS = List.of(
            "new_issue", "regression", "spike", "slo_burn", "ignore_expired", "group_merged", "release_shipped");

    private Vocabulary() {}
}
