package io.faultline.resolver.engine;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the audit trail must not carry. It is published to Kafka, stored by the impact-service and
 * shown on the dashboard, while runbooks hold credentials: a webhook's {@code header.Authorization},
 * a token in a URL's query, a user and password in its authority, a Slack or Teams webhook whose
 * path is the secret. Every entry passes through here ({@link AuditEntry}'s constructor), so a new
 * strategy cannot forget it.
 */
public final class AuditRedaction {

    public static final String FILTERED = "[Filtered]";

    /** Detail keys whose values are secrets: headers, and names that say so. */
    private static final Pattern SECRET_KEY = Pattern.compile(
            "(?i)^header\\..*|.*(password|passwd|secret|token|api[-_]?key|auth|credential|routing[-_]?key|signature|cookie).*");

    private static final Pattern URL =
            Pattern.compile("(?i)\\b(https?)://([^\\s\"'<>/?#]+)([^\\s\"'<>?#]*)(\\?[^\\s\"'<>#]*)?(#[^\\s\"'<>]*)?");

    /** Hosts whose webhook URLs carry their secret in the path. */
    private static final Pattern SECRET_PATH_HOST = Pattern.compile(
            "(?i)(hooks\\.slack\\.com|discord(app)?\\.com|[a-z0-9.-]*webhook\\.office\\.com|chat\\.googleapis\\.com)");

    private AuditRedaction() {}

    /** The text with every URL's user info, query and fragment removed (and the path of webhook hosts). */
    public static String text(String text) {
        if (text == null || text.indexOf("://") < 0) {
            return text;
        }
        Matcher m = URL.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String authority = m.group(2);
            int at = authority.lastIndexOf('@');
            String host = at >= 0 ? authority.substring(at + 1) : authority;
            String path = m.group(3);
            String hostName = host.replaceFirst(":\\d+$", "");
            if (SECRET_PATH_HOST.matcher(hostName).matches() && !path.isEmpty()) {
                path = "/" + FILTERED;
            }
            String query = m.group(4) != null ? "?" + FILTERED : "";
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + "://" + host + path + query));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The details with secret-named values filtered and URLs in the others redacted. */
    public static Map<String, String> details(Map<String, String> details) {
        Map<String, String> out = new LinkedHashMap<>();
        details.forEach((key, value) -> {
            if (value == null) {
                return;
            }
            out.put(key, SECRET_KEY.matcher(key).matches() ? FILTERED : text(value));
        });
        return out;
    }
}
