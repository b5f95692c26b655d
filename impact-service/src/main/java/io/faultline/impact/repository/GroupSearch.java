package io.faultline.impact.repository;

import io.faultline.schemas.Vocabulary;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The groups list's search, in the spirit of Sentry's issue search: {@code key:value} terms, each
 * negated by a leading {@code !}, values quoted when they hold spaces, and free words matched
 * against title and culprit. Terms are ANDed. Parsing yields typed terms only: the SQL built from
 * them ({@link GroupQueries}) binds every value, so nothing a user types reaches the statement text.
 */
public record GroupSearch(List<Term> terms) {

    public static final int MAX_LENGTH = 1000;
    public static final int MAX_TERMS = 30;
    /** The widths of group_tag_values' key and value: what is stored is what can be searched. */
    public static final int MAX_KEY = 32;

    public static final int MAX_VALUE = 200;

    public static final Set<String> STATUSES = Set.copyOf(Vocabulary.GROUP_STATUSES);
    public static final Set<String> LEVELS = Set.of("fatal", "error", "warning", "info", "debug");
    public static final Set<String> SEVERITIES = Set.copyOf(Vocabulary.SEVERITIES);
    public static final Set<String> IMPACTS = Set.copyOf(Vocabulary.BUSINESS_IMPACTS);
    public static final Set<String> CATEGORIES = Set.copyOf(Vocabulary.CATEGORIES);

    /** One condition a group must meet (or, negated, must not). */
    public sealed interface Term {
        boolean negated();
    }

    /** {@code is:}: unresolved also takes in regressed groups, as Sentry counts a regression unresolved. */
    public record Status(String status, boolean negated) implements Term {}

    /** A column of the group itself: severity, category, business_impact or workflow. */
    public record Column(String column, String value, boolean negated) implements Term {}

    /**
     * A value some stored event of the group carried: level, release, environment, a context
     * (browser, os, runtime, device), server_name or any custom tag ({@code group_tag_values}).
     */
    public record Tag(String key, String value, boolean negated) implements Term {}

    /** first_seen or last_seen after (or before) an instant. */
    public record Seen(String column, Instant at, boolean after, boolean negated) implements Term {}

    /** A word or quoted phrase in the title or the culprit, case-insensitive. */
    public record Text(String text, boolean negated) implements Term {}

    /** The query cannot be served: {@code token} is the offending token as typed. */
    public static final class Malformed extends RuntimeException {
        private final String token;

        Malformed(String token, String reason) {
            super("'" + token + "': " + reason);
            this.token = token;
        }

        public String token() {
            return token;
        }
    }

    public boolean isEmpty() {
        return terms.isEmpty();
    }

    /** @throws Malformed naming the first token that cannot be served and why */
    public static GroupSearch parse(String query, Instant now) {
        if (query == null || query.isBlank()) {
            return new GroupSearch(List.of());
        }
        if (query.length() > MAX_LENGTH) {
            throw new Malformed(
                    query.substring(0, 20) + "…", "the query must be at most " + MAX_LENGTH + " characters");
        }
        List<Term> terms = new ArrayList<>();
        int i = 0;
        int n = query.length();
        while (i < n) {
            char c = query.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            int start = i;
            boolean negated = c == '!';
            if (negated) {
                i++;
            }
            // the key runs up to ':' unless a space or a quote comes first (then it is free text)
            int keyEnd = i;
            while (keyEnd < n && isKeyChar(query.charAt(keyEnd))) {
                keyEnd++;
            }
            boolean filter = keyEnd > i && keyEnd < n && query.charAt(keyEnd) == ':';
            String key = filter ? query.substring(i, keyEnd) : null;
            int valueStart = filter ? keyEnd + 1 : i;
            StringBuilder value = new StringBuilder();
            int end = readValue(query, valueStart, value, start);
            String token = query.substring(start, end);
            i = end;
            if (hasControlCharacter(token)) {
                throw new Malformed(token, "must not contain control characters");
            }
            if (terms.size() == MAX_TERMS) {
                throw new Malformed(token, "a query takes at most " + MAX_TERMS + " terms");
            }
            terms.add(
                    filter ? term(token, key, value.toString(), negated, now) : text(token, value.toString(), negated));
        }
        return new GroupSearch(List.copyOf(terms));
    }

    /** Reads a bare or quoted value from {@code from} into {@code out}; @return the index after it. */
    private static int readValue(String query, int from, StringBuilder out, int tokenStart) {
        int n = query.length();
        int i = from;
        if (i < n && query.charAt(i) == '"') {
            i++;
            while (i < n && query.charAt(i) != '"') {
                char c = query.charAt(i);
                if (c == '\\' && i + 1 < n) {
                    c = query.charAt(++i);
                }
                out.append(c);
                i++;
            }
            if (i >= n) {
                throw new Malformed(query.substring(tokenStart), "the quote is never closed");
            }
            i++; // the closing quote
            if (i < n && !Character.isWhitespace(query.charAt(i))) {
                throw new Malformed(query.substring(tokenStart, i + 1), "a closing quote must end the term");
            }
            return i;
        }
        while (i < n && !Character.isWhitespace(query.charAt(i))) {
            out.append(query.charAt(i));
            i++;
        }
        return i;
    }

    private static boolean isKeyChar(char c) {
        return (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9')
                || c == '_'
                || c == '.'
                || c == '-';
    }

    private static Term text(String token, String value, boolean negated) {
        if (value.isEmpty()) {
            throw new Malformed(token, "nothing to search for");
        }
        if (value.length() > 200) {
            throw new Malformed(token, "a search text must be at most 200 characters");
        }
        return new Text(value, negated);
    }

    private static Term term(String token, String key, String value, boolean negated, Instant now) {
        if (value.isEmpty()) {
            throw new Malformed(token, "has no value after ':'");
        }
        switch (key) {
            case "is":
                return new Status(oneOf(token, "is", value, STATUSES), negated);
            case "level":
                return new Tag("level", oneOf(token, key, value, LEVELS), negated);
            case "severity":
                return new Column("severity", oneOf(token, key, value, SEVERITIES), negated);
            case "category":
                return new Column("category", oneOf(token, key, value, CATEGORIES), negated);
            case "impact":
                return new Column("business_impact", oneOf(token, key, value, IMPACTS), negated);
            case "workflow":
                return new Column("workflow", bounded(token, value, 64), negated);
            case "release":
                return new Tag("release", bounded(token, value, 200), negated);
            case "environment":
                return new Tag("environment", bounded(token, value, 100), negated);
            case "firstSeen":
                return seen(token, "first_seen", value, negated, now);
            case "lastSeen":
                return seen(token, "last_seen", value, negated, now);
            case "tag": {
                int eq = value.indexOf('=');
                if (eq <= 0 || eq == value.length() - 1) {
                    throw new Malformed(token, "tag: takes key=value, e.g. tag:customer_tier=gold");
                }
                return new Tag(
                        bounded(token, value.substring(0, eq), MAX_KEY),
                        bounded(token, value.substring(eq + 1), MAX_VALUE),
                        negated);
            }
            default:
                return new Tag(bounded(token, key, MAX_KEY), bounded(token, value, MAX_VALUE), negated);
        }
    }

    private static String oneOf(String token, String key, String value, Set<String> allowed) {
        String v = value.toLowerCase(Locale.ROOT);
        if (!allowed.contains(v)) {
            throw new Malformed(token, key + " must be one of " + new TreeSet<>(allowed));
        }
        return v;
    }

    private static String bounded(String token, String value, int max) {
        if (value.length() > max) {
            throw new Malformed(token, "a value must be at most " + max + " characters");
        }
        return value;
    }

    /**
     * {@code -24h} within the last 24 hours, {@code +24h} longer ago; {@code >}, {@code >=},
     * {@code <}, {@code <=} before an ISO-8601 instant or date, or before a relative time
     * ({@code >-7d}: after seven days ago).
     */
    private static Term seen(String token, String column, String value, boolean negated, Instant now) {
        String why = "takes -24h (within), +24h (older than), or >, >=, <, <= with an ISO-8601 instant, a date"
                + " or -24h; units s, m, h, d, w";
        if (value.startsWith("-") || value.startsWith("+")) {
            Duration d = duration(value.substring(1));
            if (d == null) {
                throw new Malformed(token, why);
            }
            return new Seen(column, now.minus(d), value.charAt(0) == '-', negated);
        }
        boolean after;
        String rest;
        if (value.startsWith(">")) {
            after = true;
            rest = value.substring(value.startsWith(">=") ? 2 : 1);
        } else if (value.startsWith("<")) {
            after = false;
            rest = value.substring(value.startsWith("<=") ? 2 : 1);
        } else {
            throw new Malformed(token, why);
        }
        Instant at = null;
        if (rest.startsWith("-")) {
            Duration d = duration(rest.substring(1));
            at = d == null ? null : now.minus(d);
        } else {
            at = instant(rest);
        }
        if (at == null) {
            throw new Malformed(token, why);
        }
        return new Seen(column, at, after, negated);
    }

    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    private static Instant instant(String text) {
        Instant at;
        try {
            at = text.length() == 10
                    ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant()
                    : Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
        return at.isBefore(EARLIEST) || at.isAfter(LATEST) ? null : at;
    }

    /** At most ten years: a count such as 99999999999w would overflow the instant arithmetic. */
    private static Duration duration(String text) {
        if (text.length() < 2 || text.length() > 8) {
            return null;
        }
        long amount;
        try {
            amount = Long.parseLong(text.substring(0, text.length() - 1));
        } catch (NumberFormatException e) {
            return null;
        }
        if (amount < 0 || text.charAt(0) == '+' || text.charAt(0) == '-') {
            return null;
        }
        Duration d =
                switch (text.charAt(text.length() - 1)) {
                    case 's' -> Duration.ofSeconds(amount);
                    case 'm' -> Duration.ofMinutes(amount);
                    case 'h' -> Duration.ofHours(amount);
                    case 'd' -> Duration.ofDays(amount);
                    case 'w' -> Duration.ofDays(7 * amount);
                    default -> null;
                };
        return d == null || d.compareTo(Duration.ofDays(3660)) > 0 ? null : d;
    }

    private static boolean hasControlCharacter(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                return true;
            }
        }
        return false;
    }
}
