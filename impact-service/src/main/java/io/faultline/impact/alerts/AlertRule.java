package io.faultline.impact.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.faultline.impact.rest.InvalidQueryException.Violation;
import java.net.URI;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One alert rule: when it fires (a trigger), about what (filters, each a set of accepted values) and
 * where to (one channel). Parsed and validated from the API's JSON here, so the store and the
 * evaluator only ever see a rule that can fire and be delivered.
 */
public record AlertRule(
        long id,
        String name,
        boolean enabled,
        String trigger,
        Integer threshold,
        Integer windowSeconds,
        String per,
        Map<String, List<String>> filters,
        ObjectNode channel,
        int actionIntervalSeconds) {

    public static final String NEW_ISSUE = "new_issue";
    public static final String REGRESSION = "regression";
    public static final String EVENT_COUNT = "event_count";
    public static final String SLO_BURN = "slo_burn";
    /** A group open past its priority's time-to-resolve target ({@link SlaBreachAlerts}). */
    public static final String SLA_BREACH = "sla_breach";

    public static final Set<String> TRIGGERS = Set.of(NEW_ISSUE, REGRESSION, EVENT_COUNT, SLO_BURN, SLA_BREACH);
    public static final Set<String> SCOPES = Set.of("group", "workflow", "project");
    public static final Set<String> FILTERS =
            Set.of("project", "environment", "release", "severity", "category", "impact", "workflow", "tag");
    public static final Set<String> CHANNELS = Set.of("slack", "pagerduty", "webhook", "email");
    /** Counting windows longer than a day would hold a day of buckets per key: not what this is for. */
    static final int MAX_WINDOW_SECONDS = 86_400;

    static final int MAX_INTERVAL_SECONDS = 7 * 86_400;

    /** The rule as the API shows it: the webhook's secret and PagerDuty's routing key never leave. */
    public ObjectNode toJson(ObjectMapper json) {
        ObjectNode out = json.createObjectNode();
        out.put("id", id);
        out.put("name", name);
        out.put("enabled", enabled);
        ObjectNode when = out.putObject("when");
        when.put("type", trigger);
        if (threshold != null) {
            when.put("threshold", threshold);
            when.put("windowSeconds", windowSeconds);
            when.put("per", per);
        }
        ObjectNode f = out.putObject("filters");
        filters.forEach((k, v) -> v.forEach(f.withArray(k)::add));
        ObjectNode ch = channel.deepCopy();
        if (ch.remove("secret") != null) {
            ch.put("secretSet", true);
        }
        if (ch.has("routingKey")) {
            ch.put("routingKey", "***");
        }
        out.set("channel", ch);
        out.put("actionIntervalSeconds", actionIntervalSeconds);
        return out;
    }

    /**
     * Validates a rule sent to the API. {@code previous} is the stored rule on an update: a channel
     * sent without its secret keeps the stored one, since the API never shows it.
     */
    public static AlertRule parse(JsonNode body, long id, AlertRule previous) {
        List<Violation> errors = new ArrayList<>();
        if (body == null || !body.isObject()) {
            throw new InvalidAlertRuleException(List.of(new Violation("body", "must be a JSON object")));
        }
        String name = text(body, "name", errors, true);
        if (name != null && (name.isBlank() || name.length() > 200)) {
            errors.add(new Violation("name", "must be 1 to 200 characters"));
        }
        JsonNode enabledNode = body.get("enabled");
        if (enabledNode != null && !enabledNode.isBoolean()) {
            errors.add(new Violation("enabled", "must be true or false"));
        }
        boolean enabled = enabledNode == null || enabledNode.asBoolean(true);

        String trigger = null;
        Integer threshold = null;
        Integer window = null;
        String per = null;
        JsonNode when = body.get("when");
        if (when == null || !when.isObject()) {
            errors.add(new Violation("when", "required: an object with a type"));
        } else {
            trigger = text(when, "type", errors, true, "when.");
            if (trigger != null && !TRIGGERS.contains(trigger)) {
                errors.add(new Violation("when.type", "must be one of " + sorted(TRIGGERS)));
            }
            if (EVENT_COUNT.equals(trigger)) {
                threshold = integer(when, "threshold", 1, Integer.MAX_VALUE, errors, "when.");
                window = integer(when, "windowSeconds", 10, MAX_WINDOW_SECONDS, errors, "when.");
                per = text(when, "per", errors, false, "when.");
                if (per == null) {
                    per = "group";
                } else if (!SCOPES.contains(per)) {
                    errors.add(new Violation("when.per", "must be one of " + sorted(SCOPES)));
                }
            }
        }

        Map<String, List<String>> filters = new LinkedHashMap<>();
        JsonNode f = body.get("filters");
        if (f != null && !f.isNull()) {
            if (!f.isObject()) {
                errors.add(new Violation("filters", "must be an object"));
            } else {
                for (Iterator<String> it = f.fieldNames(); it.hasNext(); ) {
                    String key = it.next();
                    if (!FILTERS.contains(key)) {
                        errors.add(new Violation("filters." + key, "unknown filter; known: " + sorted(FILTERS)));
                        continue;
                    }
                    List<String> values = values(f.get(key), "filters." + key, errors);
                    if ("tag".equals(key)) {
                        for (String v : values) {
                            int eq = v.indexOf('=');
                            if (eq <= 0 || eq == v.length() - 1) {
                                errors.add(new Violation("filters.tag", "each tag must read key=value"));
                                break;
                            }
                        }
                    }
                    if (!values.isEmpty()) {
                        filters.put(key, values);
                    }
                }
            }
        }

        ObjectNode channel = channel(body.get("channel"), previous, errors);
        Integer interval = body.has("actionIntervalSeconds")
                ? integer(body, "actionIntervalSeconds", 0, MAX_INTERVAL_SECONDS, errors, "")
                : Integer.valueOf(300);
        if (!errors.isEmpty()) {
            throw new InvalidAlertRuleException(errors);
        }
        return new AlertRule(id, name, enabled, trigger, threshold, window, per, filters, channel, interval);
    }

    private static ObjectNode channel(JsonNode ch, AlertRule previous, List<Violation> errors) {
        if (ch == null || !ch.isObject()) {
            errors.add(new Violation("channel", "required: an object with a type"));
            return null;
        }
        ObjectNode out = ((ObjectNode) ch).deepCopy();
        out.remove("secretSet");
        String type = text(ch, "type", errors, true, "channel.");
        if (type == null) {
            return out;
        }
        switch (type) {
            case "slack", "webhook" -> url(ch, "url", true, errors);
            case "pagerduty" -> {
                url(ch, "url", false, errors);
                String key = text(ch, "routingKey", errors, false, "channel.");
                if ((key == null || "***".equals(key)) && previous != null && previous.channel.has("routingKey")) {
                    out.set("routingKey", previous.channel.get("routingKey"));
                } else if (key == null || key.isBlank() || key.length() > 64) {
                    errors.add(new Violation(
                            "channel.routingKey", "required: the integration's routing key (32 characters)"));
                }
            }
            case "email" -> {
                List<String> to = values(ch.get("to"), "channel.to", errors);
                if (to.isEmpty()) {
                    errors.add(new Violation("channel.to", "required: one or more addresses"));
                }
                for (String a : to) {
                    if (!a.matches("[^@\\s<>,;]+@[^@\\s<>,;]+")) {
                        errors.add(new Violation("channel.to", "not an e-mail address: " + a));
                        break;
                    }
                }
            }
            default -> errors.add(new Violation("channel.type", "must be one of " + sorted(CHANNELS)));
        }
        if ("webhook".equals(type)) {
            String secret = text(ch, "secret", errors, false, "channel.");
            if (secret == null && previous != null && previous.channel.has("secret")) {
                out.set("secret", previous.channel.get("secret"));
            } else if (secret == null || secret.length() < 16 || secret.length() > 256) {
                errors.add(new Violation("channel.secret", "required: 16 to 256 characters to sign the body with"));
            }
        }
        return out;
    }

    private static void url(JsonNode ch, String field, boolean required, List<Violation> errors) {
        String u = text(ch, field, errors, required, "channel.");
        if (u == null) {
            return;
        }
        try {
            URI uri = URI.create(u);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                errors.add(new Violation("channel." + field, "must be an absolute http or https URL"));
            }
        } catch (IllegalArgumentException e) {
            errors.add(new Violation("channel." + field, "not a URL: " + e.getMessage()));
        }
    }

    private static String text(JsonNode node, String field, List<Violation> errors, boolean required) {
        return text(node, field, errors, required, "");
    }

    private static String text(JsonNode node, String field, List<Violation> errors, boolean required, String prefix) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                errors.add(new Violation(prefix + field, "required"));
            }
            return null;
        }
        if (!v.isTextual()) {
            errors.add(new Violation(prefix + field, "must be a string"));
            return null;
        }
        return v.asText();
    }

    private static Integer integer(
            JsonNode node, String field, int min, int max, List<Violation> errors, String prefix) {
        JsonNode v = node.get(field);
        if (v == null || !v.canConvertToInt() || !v.isIntegralNumber()) {
            errors.add(new Violation(prefix + field, "required: a whole number from " + min + " to " + max));
            return null;
        }
        int i = v.asInt();
        if (i < min || i > max) {
            errors.add(new Violation(prefix + field, "must be from " + min + " to " + max));
            return null;
        }
        return i;
    }

    /** A filter's values: one string, or an array of strings. */
    private static List<String> values(JsonNode v, String field, List<Violation> errors) {
        List<String> out = new ArrayList<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (v.isTextual()) {
            out.add(v.asText());
        } else if (v.isArray()) {
            for (JsonNode e : (ArrayNode) v) {
                if (!e.isTextual() || e.asText().isEmpty() || e.asText().length() > 200) {
                    errors.add(new Violation(field, "each value must be a string of 1 to 200 characters"));
                    return List.of();
                }
                out.add(e.asText());
            }
        } else {
            errors.add(new Violation(field, "must be a string or an array of strings"));
        }
        if (out.size() > 50) {
            errors.add(new Violation(field, "at most 50 values"));
        }
        return out;
    }

    private static List<String> sorted(Set<String> s) {
        return s.stream().sorted().toList();
    }

    /** Whether a filter accepts the value; a filter the rule does not set accepts anything. */
    boolean accepts(String filter, String value) {
        List<String> accepted = filters.get(filter);
        return accepted == null || (value != null && accepted.contains(value));
    }
}
