package io.faultline.impact.rest;

import io.faultline.impact.rest.InvalidQueryException.Violation;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Parses query parameters, collecting every violation so a client learns about all its mistakes
 * in one answer.
 */
final class QueryParams {

    static final Set<String> SEVERITIES = Set.of("critical", "high", "medium", "low", "info");
    static final Set<String> STATUSES = Set.of("unresolved", "resolved", "ignored", "regressed", "merged");
    static final Set<String> CATEGORIES = Set.of(
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
    static final Duration MAX_WINDOW = Duration.ofDays(366);

    private final List<Violation> violations = new ArrayList<>();

    Instant instant(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            violations.add(new Violation(field, "must be an ISO-8601 instant such as 2026-01-31T10:15:30Z"));
            return null;
        }
    }

    /** A window defaulting to the 24 hours before now. */
    Instant[] window(String fromValue, String toValue, Duration defaultSpan) {
        Instant from = instant("from", fromValue);
        Instant to = instant("to", toValue);
        if (violations.isEmpty()) {
            to = to != null ? to : Instant.now();
            from = from != null ? from : to.minus(defaultSpan);
            if (!from.isBefore(to)) {
                violations.add(new Violation("from", "must be before 'to'"));
            } else if (Duration.between(from, to).compareTo(MAX_WINDOW) > 0) {
                violations.add(new Violation("to", "window must not exceed " + MAX_WINDOW.toDays() + " days"));
            }
        }
        return new Instant[] {from, to};
    }

    String oneOf(String field, String value, Set<String> allowed) {
        if (value != null && !allowed.contains(value)) {
            violations.add(new Violation(field, "must be one of " + new java.util.TreeSet<>(allowed)));
        }
        return value;
    }

    String text(String field, String value, int maxLength) {
        if (value != null && (value.isBlank() || value.length() > maxLength)) {
            violations.add(new Violation(field, "must be 1 to " + maxLength + " characters"));
        }
        return value;
    }

    int limit(Integer value, int defaultLimit, int max) {
        if (value == null) {
            return defaultLimit;
        }
        if (value < 1 || value > max) {
            violations.add(new Violation("limit", "must be between 1 and " + max));
        }
        return value;
    }

    void reject(String field, String reason) {
        violations.add(new Violation(field, reason));
    }

    /** @throws InvalidQueryException if any parameter was rejected */
    void check() {
        if (!violations.isEmpty()) {
            throw new InvalidQueryException(violations);
        }
    }
}
