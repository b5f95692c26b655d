package io.faultline.ingest.mapping;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Generated events in Sentry's JSON shape, as NDJSON lines: every field in the variants SDKs send
 * (objects or lists of pairs, numbers where texts are expected, epoch and RFC 3339 timestamps,
 * nested exceptions, frame and breadcrumb lists past their limits), secrets seeded in every
 * string, unicode and escapes (NUL, lone surrogates, noncharacters, BOM, RTL overrides), timestamps
 * skewed or beyond any calendar and numbers beyond a long or a double; and, when asked for,
 * invalid ones (wrong types, bad ids, levels and timestamps, malformed JSON).
 */
final class EventCorpus {

    private static final String[] FRAGMENTS = {
        "connection refused",
        "password=S3CRET-1",
        "PassWord: \"hunter2\"",
        "api_key=abc123&x=1",
        "Bearer eyJhbGciOi.abc.def",
        "token ",
        "customer_ref=C-77",
        "4111 1111 1111 1111",
        "5500-0000-0000-0004",
        "4111111111111112",
        "DE89 3704 0044 0532 0130 00",
        "GB82WEST12345698765432",
        "-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----",
        "{\"password\":\"p\",\"a\":[1,{\"secret\":2}]}",
        "[1,\"token=x\"]",
        "\"quoted\"",
        "é ü 中文 😀",
        "\u2028\u2029",
        "tab\there",
        "back\\slash",
        "nul\u0000byte",
        "ctl\u001f",
        "12345",
        "-3.5",
        "[Filtered]",
        "session=abc; cookie=xyz",
        " ",
        "",
        "x",
        "ord_17",
        "\u0130\u212a",
        // what PostgreSQL text refuses (repaired by ingest) and the other edges of Unicode
        "lone\ud800high",
        "\udfff",
        "\ud83d",
        "\ufffe\uffff",
        "\ufeffbom",
        "e\u0301",
        "\u202eevil",
        "\u0000",
    };

    private static final String[] KEYS = {
        "service",
        "workflow",
        "password",
        "Session-Id",
        "authorization",
        "X-Api-Key",
        "customer_ref",
        "Accept",
        "region",
        "note",
        "cookie",
        "user_agent",
        "é",
        "db",
        "nested",
        "nul\u0000key",
        "\u202ertl",
    };

    private final Random r;

    EventCorpus(Random r) {
        this.r = r;
    }

    /** One event as one line of JSON; invalid (for the tree mapper) more often than not when asked. */
    String event(boolean valid) {
        if (!valid && r.nextInt(8) == 0) {
            return broken();
        }
        List<String> fields = new ArrayList<>();
        if (r.nextInt(10) < 8) fields.add(field("event_id", eventId()));
        if (r.nextInt(3) == 0) fields.add(field("timestamp", timestamp()));
        if (r.nextInt(2) == 0) fields.add(field("level", level()));
        for (String name :
                new String[] {"platform", "logger", "server_name", "release", "environment", "transaction"}) {
            if (r.nextInt(3) == 0) fields.add(field(name, text()));
        }
        if (r.nextInt(2) == 0) fields.add(field("message", r.nextInt(10) == 0 ? "null" : str()));
        if (r.nextInt(5) == 0) fields.add(field("logentry", logentry()));
        if (r.nextInt(10) < 7) fields.add(field("exception", exception()));
        if (r.nextInt(3) == 0) fields.add(field("request", request()));
        if (r.nextInt(2) == 0) fields.add(field("user", user()));
        if (r.nextInt(2) == 0) fields.add(field("tags", pairs()));
        if (r.nextInt(4) == 0) fields.add(field("contexts", freeObject(2)));
        if (r.nextInt(4) == 0) fields.add(field("extra", freeObject(3)));
        if (r.nextInt(5) == 0) fields.add(field("fingerprint", fingerprint()));
        if (r.nextInt(4) == 0) fields.add(field("sdk", sdk()));
        if (r.nextInt(4) == 0) fields.add(field("breadcrumbs", breadcrumbs()));
        if (r.nextInt(4) == 0) fields.add(field("modules", freeObject(2))); // ignored by the mapper
        // ignored by the tree mapper; the streaming one leaves all but error events to the tree
        if (r.nextInt(6) == 0)
            fields.add(field("type", pick("\"error\"", "\"default\"", "\"transaction\"", "null", "7")));
        if (r.nextInt(60) == 0) fields.add(field("message", "{\"message\":" + str() + ",\"params\":[1]}"));
        if (r.nextInt(60) == 0) fields.add(field("sentry.interfaces.Exception", exception()));
        // a lone surrogate in a name is malformed JSON to the parser: refused on both paths
        if (r.nextInt(100) == 0) fields.add(field("extra", "{" + field("lone\udc00", str()) + "}"));
        if (r.nextInt(40) == 0 && !fields.isEmpty()) fields.add(fields.get(r.nextInt(fields.size()))); // duplicate
        if (!valid) {
            int mutations = 1 + r.nextInt(2);
            for (int i = 0; i < mutations; i++) {
                fields.add(invalidField());
            }
        }
        Collections.shuffle(fields, r);
        return "{" + String.join(r.nextInt(10) == 0 ? " , " : ",", fields) + "}";
    }

    private String broken() {
        String ok = event(true);
        return switch (r.nextInt(6)) {
            case 0 -> ok.substring(0, Math.max(1, ok.length() - 1 - r.nextInt(Math.min(ok.length() - 1, 20))));
            case 1 -> ok + " x";
            case 2 -> ok + " {}";
            case 3 -> "[" + ok + "]";
            case 4 -> "42";
            default -> ok.replaceFirst("\\}$", ",}");
        };
    }

    private String invalidField() {
        return switch (r.nextInt(30)) {
            case 0 -> field("event_id", pick("\"xyz\"", "123", "{}", "\"" + "a".repeat(33) + "\""));
            case 1 -> field("level", pick("\"loud\"", "{}", "3", "[\"error\"]"));
            case 2 -> field("timestamp", pick("\"yesterday\"", "true", "[]", "{}", "\"2026-13-45T99:00:00Z\""));
            case 3 -> field("platform", pick("{}", "[1]"));
            case 4 -> field("exception", pick("\"boom\"", "{\"values\":\"x\"}", "{\"values\":[1]}", "7"));
            case 5 -> field("exception", "[{\"module\":\"m\"}]"); // neither type nor value
            case 6 -> field(
                    "exception",
                    exceptionWithFrame(pick(
                            "{\"lineno\":\"seven\"}",
                            "{\"lineno\":\"42\"}",
                            "{\"in_app\":true,\"in_app\":false}",
                            "{\"lineno\":1.5}",
                            "{\"colno\":99999999999}",
                            "{\"function\":{\"n\":1}}",
                            "{\"filename\":[\"a\"]}",
                            "\"frame\"",
                            "null")));
            case 7 -> field("exception", "{\"values\":[{\"type\":\"E\",\"stacktrace\":{\"frames\":\"x\"}}]}");
            case 8 -> field("request", pick("\"x\"", "[]", "{\"url\":{}}", "{\"headers\":\"h\"}"));
            case 9 -> field("user", pick("[]", "\"bob\"", "{\"email\":{}}", "{\"username\":[1]}"));
            case 10 -> field(
                    "tags", pick("\"x\"", "[[\"a\"]]", "[[1,\"x\"]]", "[\"a\",\"b\"]", "[[\"a\",\"b\",\"c\"]]"));
            case 11 -> field("contexts", pick("[]", "\"c\"", "1"));
            case 12 -> field("extra", pick("[1]", "\"e\""));
            case 13 -> field("fingerprint", pick("\"x\"", "[null]", "[{}]", "[[\"a\"]]", "{}"));
            case 14 -> field("breadcrumbs", pick("\"x\"", "{\"values\":null}", "{}", "{\"values\":{}}", "3"));
            case 15 -> field("logentry", pick("\"x\"", "[]", "4"));
            case 16 -> field("message", pick("42", "[]", "true"));
            case 17 -> field("request", "{\"env\":[[\"k\"]]}");
            case 18 -> field("user", "{\"ip_address\":{\"v\":4}}");
            case 19 -> field("exception", "{\"values\":[{\"type\":{},\"value\":\"v\"}]}");
            case 20 -> field("exception", "{\"values\":[{\"type\":\"T\",\"module\":[]}]}");
            case 21 -> field("timestamp", "\"12:00\"");
            case 22 -> field("release", "{\"v\":1}");
            case 23 -> field("transaction", "[]");
            case 24 -> field("exception", "{\"values\":[null]}");
            case 25 -> field("request", "{\"method\":{}}");
            case 26 -> field("tags", "[[\"k\",\"v\"],{\"k\":1}]");
            case 27 -> field("server_name", "{}");
            case 28 -> field("level", "\"\"");
            default -> field("environment", "[]");
        };
    }

    private String exceptionWithFrame(String frame) {
        return "{\"values\":[{\"type\":\"E\",\"stacktrace\":{\"frames\":[{\"module\":\"a\"}," + frame + "]}}]}";
    }

    private String eventId() {
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < 32; i++) {
            hex.append("0123456789abcdefABCDEF".charAt(r.nextInt(22)));
        }
        return switch (r.nextInt(6)) {
            case 0 -> "\"" + hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-"
                    + hex.substring(16, 20) + "-" + hex.substring(20) + "\"";
            case 1 -> "null";
            default -> "\"" + hex + "\"";
        };
    }

    private String timestamp() {
        long received = 1796032800L; // 2026-11-30T10:00:00Z, the tests' receivedAt
        long at =
                received - r.nextInt(3600) + (r.nextInt(10) == 0 ? 86_400L * 60 : 0) + (r.nextInt(10) == 0 ? 3_600 : 0);
        if (r.nextInt(8) == 0) {
            // skewed clocks, negative times and dates no millisecond count holds: replaced by the
            // receive time, the original kept
            return pick(
                    Long.toString(received + 7_200),
                    "-1",
                    "0",
                    "1e300",
                    "-1e300",
                    "1e400",
                    "12345678901234567890123456789",
                    "\"99999999999999999999999\"",
                    "\"-999999999-01-01T00:00:00Z\"",
                    "\"+999999999-12-31T23:59:59Z\"",
                    "\"2026-11-30T12:00:00Z\"");
        }
        return switch (r.nextInt(9)) {
            case 0 -> Long.toString(at);
            case 1 -> at + "." + r.nextInt(1000);
            case 2 -> "\"" + at + "\"";
            case 3 -> "\"" + at + ".25\"";
            case 4 -> "\"" + java.time.Instant.ofEpochSecond(at, r.nextInt(1_000_000_000)) + "\"";
            case 5 -> "\"" + java.time.Instant.ofEpochSecond(at).atOffset(java.time.ZoneOffset.ofHours(2)) + "\"";
            case 6 -> "\"" + java.time.LocalDateTime.ofEpochSecond(at, 5_000_000, java.time.ZoneOffset.UTC) + "\"";
            case 7 -> "null";
            default -> at + "e0";
        };
    }

    private String level() {
        return pick(
                "\"error\"",
                "\"WARN\"",
                "\"warning\"",
                "\"Critical\"",
                "\"log\"",
                "\"info\"",
                "\"debug\"",
                "\"fatal\"",
                "null");
    }

    private String logentry() {
        StringBuilder params = new StringBuilder();
        if (r.nextBoolean()) {
            params.append("[");
            int n = r.nextInt(4);
            for (int i = 0; i < n; i++) {
                params.append(i > 0 ? "," : "")
                        .append(pick(str(), "42", "1.5", "null", "{\"a\":" + str() + "}", "true"));
            }
            params.append("]");
        } else {
            params.append(pick("{\"user\":" + str() + ",\"n\":3}", "null", "\"p\"", "{}"));
        }
        List<String> fields = new ArrayList<>();
        if (r.nextInt(4) != 0) fields.add(field("message", pick(str(), "null", "{}", "7")));
        if (r.nextBoolean()) fields.add(field("formatted", pick(str(), "null")));
        if (r.nextBoolean()) fields.add(field("params", params.toString()));
        Collections.shuffle(fields, r);
        return "{" + String.join(",", fields) + "}";
    }

    private String exception() {
        int n = r.nextInt(10) == 0 ? 0 : 1 + r.nextInt(3);
        List<String> values = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            values.add(exceptionValue());
        }
        String list = "[" + String.join(",", values) + "]";
        return switch (r.nextInt(8)) {
            case 0 -> list;
            case 1 -> "{\"values\":null}";
            case 2 -> "{}";
            case 3 -> "null";
            default -> "{\"values\":" + list + (r.nextBoolean() ? ",\"other\":[1,{}]" : "") + "}";
        };
    }

    private String exceptionValue() {
        List<String> fields = new ArrayList<>();
        boolean type = r.nextInt(5) != 0;
        if (type) fields.add(field("type", pick("\"java.lang.IllegalStateException\"", str(), "42")));
        if (!type || r.nextBoolean()) fields.add(field("value", str()));
        if (r.nextBoolean()) fields.add(field("module", text()));
        if (r.nextInt(4) == 0) fields.add(field("thread_id", pick("7", "\"main\"", "{\"id\":1}", "null", "2.5")));
        if (r.nextInt(3) == 0)
            fields.add(field(
                    "mechanism",
                    pick(
                            "{\"type\":\"generic\",\"handled\":false}",
                            "{\"type\":\"onerror\",\"handled\":\"yes\",\"synthetic\":true,\"data\":{\"a\":1}}",
                            "{\"handled\":true}",
                            "{\"type\":{}}",
                            "{\"type\":3}",
                            "\"m\"",
                            "null")));
        if (r.nextInt(5) != 0) fields.add(field("stacktrace", stacktrace()));
        Collections.shuffle(fields, r);
        return "{" + String.join(",", fields) + "}";
    }

    private String stacktrace() {
        switch (r.nextInt(12)) {
            case 0:
                return "null";
            case 1:
                return "[1,2]";
            case 2:
                return "{\"frames\":null}";
            default:
        }
        boolean huge = r.nextInt(15) == 0;
        int n = huge ? 240 + r.nextInt(80) : r.nextInt(6);
        List<String> frames = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            // past the limit the tree mapper never looks at the first frames: invalid ones there pass
            boolean dropped = huge && i < n - SentryEventMapper.MAX_FRAMES;
            frames.add(dropped && r.nextInt(5) == 0 ? pick("\"frame\"", "{\"lineno\":\"x\"}", "null") : frame());
        }
        return "{\"frames\":[" + String.join(",", frames) + "]" + (r.nextBoolean() ? ",\"registers\":{}" : "") + "}";
    }

    private String frame() {
        List<String> fields = new ArrayList<>();
        if (r.nextBoolean()) fields.add(field("filename", pick("\"Main.java\"", text())));
        if (r.nextInt(4) == 0) fields.add(field("abs_path", text()));
        if (r.nextBoolean()) fields.add(field("module", pick("\"com.example.Booking\"", text())));
        if (r.nextBoolean()) fields.add(field("function", pick("\"save\"", text())));
        if (r.nextBoolean()) fields.add(field("lineno", pick("42", "0", "-1", "2147483647", "null")));
        if (r.nextInt(4) == 0) fields.add(field("colno", pick("7", "null")));
        if (r.nextBoolean()) fields.add(field("in_app", pick("true", "false", "null", "\"yes\"", "1", "{}")));
        if (r.nextInt(3) == 0) fields.add(field("context_line", str()));
        if (r.nextInt(6) == 0) fields.add(field("vars", freeObject(2)));
        if (r.nextInt(6) == 0) fields.add(field("pre_context", "[" + str() + "," + str() + "]"));
        Collections.shuffle(fields, r);
        return "{" + String.join(",", fields) + "}";
    }

    private String request() {
        List<String> fields = new ArrayList<>();
        if (r.nextBoolean()) fields.add(field("url", pick("\"https://x.example/a?token=abc&b=1\"", str())));
        if (r.nextBoolean()) fields.add(field("method", pick("\"POST\"", "null", "1")));
        if (r.nextBoolean())
            fields.add(field(
                    "query_string",
                    pick(str(), "\"a=1&password=x\"", "{\"token\":\"t\",\"q\":1}", "[[\"a\",\"b\"]]", "null", "12")));
        if (r.nextBoolean())
            fields.add(field("data", pick(str(), freeObject(2), "[1,\"password=p\"]", "null", "true")));
        if (r.nextBoolean()) fields.add(field("headers", pairs()));
        if (r.nextInt(3) == 0) fields.add(field("env", pairs()));
        if (r.nextInt(4) == 0) fields.add(field("cookies", str()));
        Collections.shuffle(fields, r);
        return "{" + String.join(",", fields) + "}";
    }

    private String user() {
        List<String> fields = new ArrayList<>();
        if (r.nextBoolean()) fields.add(field("id", pick("\"u42\"", "42", "{\"n\":1}", "null", str())));
        if (r.nextBoolean()) fields.add(field("email", pick("\"bob@example.com\"", "null", str())));
        if (r.nextInt(3) == 0) fields.add(field("username", text()));
        if (r.nextInt(3) == 0) fields.add(field("ip_address", pick("\"203.0.113.77\"", "\"{{auto}}\"")));
        if (r.nextInt(4) == 0) fields.add(field("segment", text()));
        int extra = r.nextInt(3);
        for (int i = 0; i < extra; i++) {
            fields.add(field(
                    pick("name", "customer_ref", "session_token", "plan", "geo"),
                    pick(str(), "null", "3", "{\"city\":\"x\"}")));
        }
        Collections.shuffle(fields, r);
        // repeated data keys are left out here: the tree keeps the last, so both paths must agree
        return "{" + String.join(",", dedupe(fields)) + "}";
    }

    private String pairs() {
        int n = r.nextInt(5);
        List<String> entries = new ArrayList<>();
        if (r.nextInt(3) == 0) {
            for (int i = 0; i < n; i++) {
                entries.add(
                        "[" + quote(KEYS[r.nextInt(KEYS.length)]) + "," + pick(str(), "null", "5", "{\"a\":1}") + "]");
            }
            return "[" + String.join(",", entries) + "]";
        }
        for (int i = 0; i < n; i++) {
            entries.add(field(KEYS[r.nextInt(KEYS.length)], pick(str(), str(), "null", "5", "true", "[1]")));
        }
        return r.nextInt(15) == 0 ? "null" : "{" + String.join(",", dedupe(entries)) + "}";
    }

    private String freeObject(int depth) {
        int n = r.nextInt(4);
        List<String> entries = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            entries.add(field(KEYS[r.nextInt(KEYS.length)], freeValue(depth)));
        }
        return "{" + String.join(",", dedupe(entries)) + "}";
    }

    private String freeValue(int depth) {
        int kind = r.nextInt(depth > 0 ? 10 : 8);
        return switch (kind) {
            case 0 -> "null";
            case 1 -> pick(
                    "4111111111111111",
                    "4111111111111112",
                    "12",
                    "-0",
                    "1e3",
                    "2.50",
                    "12345678901234567890123",
                    "1e400",
                    "-1e400",
                    "-9223372036854775809");
            case 2 -> pick("true", "false");
            case 3 -> "[" + str() + "," + pick("1", "\"token=x\"") + "]";
            case 8 -> freeObject(depth - 1);
            case 9 -> "[" + freeObject(depth - 1) + "]";
            default -> str();
        };
    }

    private String fingerprint() {
        int n = r.nextInt(4);
        List<String> values = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            values.add(pick("\"{{ default }}\"", str(), "42", "true", "1.25"));
        }
        return "[" + String.join(",", values) + "]";
    }

    private String sdk() {
        return pick(
                "{\"name\":\"sentry.java\",\"version\":\"8.1.0\"}",
                "{\"name\":\"sentry.javascript.react\",\"integrations\":[\"a\"]}",
                "{\"version\":\"1\"}",
                "{\"name\":{}}",
                "{\"name\":5,\"version\":null}",
                "\"sdk\"",
                "null");
    }

    private String breadcrumbs() {
        boolean huge = r.nextInt(10) == 0;
        int n = huge ? 95 + r.nextInt(30) : r.nextInt(5);
        List<String> crumbs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            crumbs.add(r.nextInt(12) == 0 ? pick("\"crumb\"", "null", "3") : breadcrumb());
        }
        String list = "[" + String.join(",", crumbs) + "]";
        return r.nextBoolean() ? list : "{\"values\":" + list + "}";
    }

    private String breadcrumb() {
        List<String> fields = new ArrayList<>();
        if (r.nextBoolean())
            fields.add(field(
                    "timestamp",
                    pick(
                            "1796032000",
                            "1796032000.5",
                            "\"2026-11-30T09:00:00Z\"",
                            "\"2026-11-30T09:00:00.25\"",
                            "\"bad\"",
                            "\"-999999999-01-01T00:00:00Z\"",
                            "\"+999999999-12-31T23:59:59Z\"",
                            "-1e300",
                            "1e400",
                            "null",
                            "true",
                            "{}")));
        if (r.nextBoolean()) fields.add(field("type", pick("\"http\"", "\"default\"", "null")));
        if (r.nextBoolean()) fields.add(field("category", pick("\"query\"", "{}", "5")));
        if (r.nextInt(3) == 0) fields.add(field("level", pick("\"info\"", "[1]")));
        if (r.nextBoolean()) fields.add(field("message", pick(str(), "null", "7")));
        if (r.nextInt(3) == 0) fields.add(field("data", crumbData()));
        Collections.shuffle(fields, r);
        return "{" + String.join(",", fields) + "}";
    }

    /** A breadcrumb's data: mostly an object, some past the key limit, with repeats, or no object. */
    private String crumbData() {
        return switch (r.nextInt(10)) {
            case 0 -> pick("\"data\"", "[1]", "null", "7");
            case 1 -> {
                List<String> entries = new ArrayList<>();
                for (int i = 15 + r.nextInt(15); i > 0; i--) {
                    entries.add(field("k" + r.nextInt(40), r.nextInt(5) == 0 ? "null" : freeValue(1)));
                }
                yield "{" + String.join(",", entries) + "}"; // may repeat a key
            }
            case 2 -> "{\"url\":\"https://api.example/x?token=abc&n=1\",\"method\":\"GET\",\"status_code\":"
                    + pick("500", "\"500\"", "null") + ",\"long\":\"" + "y".repeat(r.nextInt(2_000)) + "\"}";
            default -> freeObject(1);
        };
    }

    /** A value where the mapper expects a text: mostly strings, sometimes other scalars. */
    private String text() {
        return switch (r.nextInt(12)) {
            case 0 -> "12";
            case 1 -> "true";
            case 2 -> "1.5e3";
            case 3 -> "null";
            case 4 -> pick("12345678901234567890", "1e400");
            default -> str();
        };
    }

    /** A string of fragments, JSON-quoted, with some characters escaped as \\uXXXX. */
    private String str() {
        StringBuilder s = new StringBuilder();
        int parts = r.nextInt(4);
        for (int i = 0; i < parts; i++) {
            s.append(FRAGMENTS[r.nextInt(FRAGMENTS.length)]);
        }
        return quote(s.toString());
    }

    private String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        boolean escapeMore = r.nextInt(5) == 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || (escapeMore && r.nextInt(3) == 0) || lone(s, i)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    /** A surrogate without its other half: JSON can only carry it escaped. */
    private static boolean lone(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
        }
        return Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(s.charAt(i - 1)));
    }

    private String field(String name, String value) {
        return quote(name) + ":" + value;
    }

    /** Fields with distinct names: the first of each. */
    private static List<String> dedupe(List<String> fields) {
        List<String> out = new ArrayList<>();
        java.util.Set<String> names = new java.util.HashSet<>();
        for (String f : fields) {
            String name = f.substring(0, f.indexOf("\":") + 1);
            if (names.add(name)) {
                out.add(f);
            }
        }
        return out;
    }

    @SafeVarargs
    private <T> T pick(T... options) {
        return options[r.nextInt(options.length)];
    }
}
