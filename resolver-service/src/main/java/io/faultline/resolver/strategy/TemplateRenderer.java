package io.faultline.resolver.strategy;

import io.faultline.resolver.runbook.Trigger;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills {@code ${name}} placeholders in runbook parameters from the trigger. Values are escaped
 * for where they land (a JSON string, a URL path segment), so an error message quoting user
 * input cannot break, or inject into, the request a runbook sends. An unknown placeholder is an
 * error rather than an empty string, so a typo fails the action visibly.
 */
public final class TemplateRenderer {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_.\\-]+)}");

    public static final UnaryOperator<String> PLAIN = s -> s;
    public static final UnaryOperator<String> JSON = TemplateRenderer::jsonEscape;
    public static final UnaryOperator<String> URL =
            s -> URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");

    private TemplateRenderer() {}

    public static String render(String template, Map<String, String> variables, UnaryOperator<String> escape) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            if (!variables.containsKey(name)) {
                throw new IllegalArgumentException("unknown placeholder ${" + name + "}");
            }
            String value = variables.get(name);
            m.appendReplacement(out, Matcher.quoteReplacement(escape.apply(value == null ? "" : value)));
        }
        m.appendTail(out);
        return out.toString();
    }

    static Map<String, String> variables(ActionRequest request) {
        Trigger t = request.trigger();
        Map<String, String> v = new HashMap<>();
        v.put("attempt.id", request.attemptId());
        v.put("attempt.number", Integer.toString(request.attempt()));
        v.put("runbook.id", request.runbookId());
        v.put("action.name", request.actionName());
        v.put("group.id", t.groupId());
        v.put("project.id", t.projectId());
        v.put("event.id", t.eventId());
        v.put("category", t.category());
        v.put("severity", t.severity());
        v.put("businessImpact", t.businessImpact());
        v.put("workflow", t.workflow());
        v.put("release", t.release());
        v.put("environment", t.environment());
        v.put("message", t.message());
        v.put("title", t.title());
        v.put("signal.type", t.signalType());
        v.put(
                "exception.type",
                t.exceptionTypes().isEmpty()
                        ? null
                        : t.exceptionTypes().get(t.exceptionTypes().size() - 1));
        t.tags().forEach((k, value) -> v.put("tag." + k, value));
        t.extra().forEach((k, value) -> v.put("extra." + k, value));
        return v;
    }

    static String jsonEscape(String s) {
        StringBuilder out = new StringBuilder(s.length() + 8);
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
