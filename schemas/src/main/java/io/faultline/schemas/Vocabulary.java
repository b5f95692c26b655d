package io.faultline.schemas;

import java.util.List;

/**
 * The classifier's label vocabulary (docs/architecture.md), the values the classified records
 * carry: defined once here for every service that validates or filters on them (the runbook
 * parser, the issue search, the dashboard's relabel).
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

    private Vocabulary() {}
}
