package io.faultline.impact.rest;

import io.faultline.impact.repository.Cursor;
import io.faultline.impact.repository.GroupSearch;
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

    static final Set<String> SEVERITIES = GroupSearch.SEVERITIES;
    static final Set<String> STATUSES = GroupSearch.STATUSES;
    static final Set<String> CATEGORIES = GroupSearch.CATEGORIES;
    static final Duration MAX_WINDOW = Duration.ofDays(366);

    /**
     * Instants a query may name: four-digit years. {@link Instant#parse} takes years up to a
     * billion, which neither {@code OffsetDateTime} arithmetic nor PostgreSQL can hold (issue #19).
     */
    static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");

    static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    /** The longest id any table keys on (resolutions.entry_id). */
    static final int MAX_ID = 160;

    private final List<Violation> violations = new ArrayList<>();

    Instant instant(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        Instant at = parseInstant(value);
        if (at == null) {
            violations.add(new Violation(
                    field,
                    "must be an ISO-8601 instant such as 2026-01-31T10:15:30Z, between " + EARLIEST + " and "
                            + LATEST));
        }
        return at;
    }

    /** @return null unless the text is an instant within [EARLIEST, LATEST] */
    private static Instant parseInstant(String value) {
        try {
            Instant at = Instant.parse(value);
            return at.isBefore(EARLIEST) || at.isAfter(LATEST) ? null : at;
        } catch (DateTimeParseException e) {
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

    /** PostgreSQL refuses a NUL in text outright (a 500 before issue #19); no id holds a control character. */
    String text(String field, String value, int maxLength) {
        if (value != null && (value.isBlank() || value.length() > maxLength)) {
            violations.add(new Violation(field, "must be 1 to " + maxLength + " characters"));
        } else if (value != null && hasControlCharacter(value)) {
            violations.add(new Violation(field, "must not contain control characters"));
        }
        return value;
    }

    private static boolean hasControlCharacter(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Taken as text: a typed parameter that does not convert is a 404 by the JAX-RS rules, which
     * tells the client nothing about its mistake.
     */
    int limit(String value, int defaultLimit, int max) {
        if (value == null || value.isBlank()) {
            return defaultLimit;
        }
        int limit;
        try {
            limit = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            limit = 0;
        }
        if (limit < 1 || limit > max) {
            violations.add(new Violation("limit", "must be a whole number between 1 and " + max));
            return defaultLimit;
        }
        return limit;
    }

    /**
     * A cursor this API issued for the sort: its key a count or an instant, its id one a table
     * could hold. Anything else (a forged or damaged cursor) is rejected before it reaches SQL. A
     * null sort (itself rejected) checks only that the text is a cursor at all.
     */
    Cursor cursor(String value, String sort, boolean countKey) {
        if (value == null) {
            return null;
        }
        Cursor after = Cursor.decode(value).orElse(null);
        if (after != null && sort == null) {
            return null;
        }
        if (after != null && !after.sort().equals(sort)) {
            violations.add(new Violation("cursor", "was issued for sort '" + after.sort() + "', not '" + sort + "'"));
            return null;
        }
        if (after == null
                || !(countKey ? isCount(after.key()) : parseInstant(after.key()) != null)
                || after.id().isEmpty()
                || after.id().length() > MAX_ID
                || hasControlCharacter(after.id())) {
            violations.add(new Violation("cursor", "is not a cursor issued by this API"));
            return null;
        }
        return after;
    }

    private static boolean isCount(String text) {
        try {
            return Long.parseLong(text) >= 0;
        } catch (NumberFormatException e) {
            return false;
        }
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
