package io.faultline.resolver.runbook;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Typed reads of one object's fields of a runbook file, with errors that say where: {@code where}
 * names the file and runbook, {@code path} the field within it.
 */
record RunbookFields(String where, String path) {

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

    RunbookFields nested(String key) {
        return new RunbookFields(where, path.isEmpty() ? key : path + "." + key);
    }

    RunbookFileException error(String key, String problem) {
        String field = key.isEmpty() ? path : path.isEmpty() ? key : path + "." + key;
        return new RunbookFileException(where + ": " + (field.isEmpty() ? "" : field + ": ") + problem);
    }

    void object(JsonNode node, Set<String> allowed) {
        if (node == null || !node.isObject()) {
            throw error("", "must be a map");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!allowed.contains(key)) {
                throw error(key, "unknown field (allowed: " + String.join(", ", new TreeSet<>(allowed)) + ")");
            }
        }
    }

    String requiredText(JsonNode node, String key) {
        String value = text(node, key, null);
        if (value == null || value.isBlank()) {
            throw error(key, "is required");
        }
        return value;
    }

    String text(JsonNode node, String key, String fallback) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isValueNode()) {
            throw error(key, "must be a single value");
        }
        return v.asText();
    }

    /** {@link #texts}, each of which must be one of {@code allowed}. */
    List<String> vocabulary(JsonNode node, String key, String what, List<String> allowed) {
        List<String> values = texts(node, key);
        for (String v : values) {
            if (!allowed.contains(v)) {
                throw error(key, "unknown " + what + " '" + v + "' (allowed: " + String.join(", ", allowed) + ")");
            }
        }
        return values;
    }

    List<String> texts(JsonNode node, String key) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (v.isValueNode()) {
            return List.of(v.asText());
        }
        if (!v.isArray()) {
            throw error(key, "must be a value or a list of values");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : v) {
            if (!item.isValueNode() || item.isNull()) {
                throw error(key, "list items must be single values");
            }
            out.add(item.asText());
        }
        return out;
    }

    boolean bool(JsonNode node, String key, boolean fallback) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isBoolean()) {
            throw error(key, "must be true or false");
        }
        return v.booleanValue();
    }

    int integer(JsonNode node, String key, int fallback) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isIntegralNumber()) {
            throw error(key, "must be a whole number");
        }
        return v.intValue();
    }

    double number(JsonNode node, String key, double fallback) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isNumber()) {
            throw error(key, "must be a number");
        }
        return v.doubleValue();
    }

    Duration duration(JsonNode node, String key, Duration fallback) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (v.isIntegralNumber()) {
            if (v.longValue() < 0) {
                // a negative window would judge an empty stretch and always pass
                throw error(key, "must not be negative");
            }
            return Duration.ofSeconds(v.longValue());
        }
        Matcher m = DURATION.matcher(v.asText().trim());
        if (!v.isTextual() || !m.matches()) {
            throw error(key, "'" + v.asText() + "' is not a duration (e.g. 500ms, 10s, 5m, 1h)");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }

    Pattern regex(JsonNode node, String key) {
        String value = requiredText(node, key);
        try {
            return Pattern.compile(value, Pattern.DOTALL);
        } catch (PatternSyntaxException e) {
            throw error(key, "invalid regular expression: " + e.getDescription());
        }
    }
}
