package io.faultline.system;

import io.faultline.system.SeededSecrets.Kind;
import io.faultline.system.SeededSecrets.Secret;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

/**
 * A seeded corpus of hostile requests against every public endpoint of the stack. Case {@code i}
 * depends only on the seed and {@code i}, so a failing run is replayed exactly with
 * {@code -Dfuzz.seed=<seed>}. The first cases are fixed (the reproducers of issue #19, bombs,
 * raw-socket cases, slow bodies); the rest are drawn from weighted families, each mutating a
 * valid request. Every valid error event carries seeded secrets and a seeded user identity.
 */
final class HostileCorpus {

    enum Target {
        INGEST,
        DASHBOARD,
        IMPACT
    }

    /**
     * One request: its raw bytes (the part from {@code trickleFrom} on sent slowly when
     * {@code trickle} is set), the error event ids it carries (stored if the answer is 2xx), and
     * whether it is not HTTP/1.1 at all (an HTTP/2 preface, a TLS hello), so any answer or a
     * close is fine.
     */
    record Case(
            int index,
            String family,
            String name,
            Target target,
            byte[] bytes,
            int trickleFrom,
            RawHttp.Trickle trickle,
            List<String> eventIds,
            boolean notHttp) {

        boolean carriesEvents() {
            return !eventIds.isEmpty();
        }
    }

    /** What the corpus needs to know of the running stack. */
    record Stack(
            String projectId,
            String projectKey,
            String adminToken,
            String sessionCookie,
            String groupId,
            Map<Target, Integer> ports) {}

    private final long seed;
    private final Stack stack;
    private final SeededSecrets secrets;
    private final List<Function<SplittableRandom, Case>> fixed = new ArrayList<>();
    /** The cases that hold the intake up go last; see {@link #fixedCases}. */
    private final List<Function<SplittableRandom, Case>> last = new ArrayList<>();

    private final int total;
    /** Dates are relative to the run's start, so a replay of a seed sends the same offsets. */
    private final Instant now;

    private int index;

    /** The shared 150 MB bombs: made once, each a few hundred KB. */
    private static volatile Map<String, byte[]> bombs;

    HostileCorpus(long seed, Stack stack, SeededSecrets secrets, int total, Instant now) {
        this.now = now;
        this.seed = seed;
        this.total = total;
        this.stack = stack;
        this.secrets = secrets;
        fixedCases();
    }

    int fixedCount() {
        return fixed.size();
    }

    /** Case {@code i}: a fixed one first, then one of a weighted family. */
    synchronized Case get(int i) {
        SplittableRandom rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + i);
        index = i;
        if (i < fixed.size()) {
            return fixed.get(i).apply(rnd);
        }
        if (i >= total - last.size()) {
            return last.get(i - (total - last.size())).apply(rnd);
        }
        int roll = rnd.nextInt(100);
        if (roll < 18) return nativeSecret(rnd);
        if (roll < 23) return nativeBatch(rnd);
        if (roll < 40) return nativeMutant(rnd);
        if (roll < 43) return nativeGarbage(rnd);
        if (roll < 48) return nativeEncoded(rnd);
        if (roll < 57) return store(rnd);
        if (roll < 70) return envelope(rnd);
        if (roll < 76) return traffic(rnd);
        if (roll < 80) return wrongAuth(rnd);
        if (roll < 82) return admin(rnd);
        if (roll < 90) return dashboardQuery(rnd);
        if (roll < 93) return groupAction(rnd);
        if (roll < 98) return impactQuery(rnd);
        return oddMethodOrPath(rnd);
    }

    // ------------------------------------------------------------------ fixed cases

    private void fixedCases() {
        // issue #19: one traffic sample stopped classification
        fixed.add(r -> trafficCase(
                r, "traffic-windowEnd-minus-1", "{\"workflow\":\"booking\",\"requests\":1,\"windowEnd\":-1}"));
        fixed.add(
                r -> trafficCase(
                        r,
                        "traffic-windowStart-far-past",
                        "{\"workflow\":\"booking\",\"requests\":1,\"windowStart\":-9223372036854775808,\"windowEnd\":9223372036854775807}"));
        // a transaction 2 h ahead with only the public key, as a browser sends it
        fixed.add(r -> {
            long ahead = now.plusSeconds(7200).getEpochSecond();
            String tx = "{\"type\":\"transaction\",\"transaction\":\"/booking\",\"start_timestamp\":" + (ahead - 1)
                    + ",\"timestamp\":" + ahead + ",\"contexts\":{\"trace\":{\"trace_id\":\"" + hex(r, 32)
                    + "\",\"span_id\":\"" + hex(r, 16)
                    + "\",\"op\":\"http.server\",\"status\":\"ok\"}},\"tags\":{\"workflow\":\"booking\"}}";
            String env = "{\"sent_at\":\"" + now.plusSeconds(7200) + "\"}\n{\"type\":\"transaction\"}\n" + tx + "\n";
            return ingest(
                    r,
                    "issue19",
                    "transaction-2h-ahead-public-key",
                    "POST",
                    "/api/" + stack.projectId() + "/envelope/?sentry_key=" + stack.projectKey(),
                    headers("Content-Type", "application/x-sentry-envelope"),
                    utf8(env),
                    List.of());
        });
        // NUL where PostgreSQL cannot store it
        for (String field : List.of("message", "release", "type", "environment", "culprit")) {
            fixed.add(r -> {
                String id = hex(r, 32);
                Map<String, String> over = new LinkedHashMap<>();
                if (field.equals("type")) {
                    over.put("exception", "{\"values\":[{\"type\":\"Nul\\u0000Type\",\"value\":\"nul in the type\"}]}");
                } else {
                    over.put(field, "\"nul\\u0000in " + field + "\"");
                }
                return nativeEventCase(r, "issue19", "nul-in-" + field, id, over, 2);
            });
        }
        // secrets the scrubber let through
        fixed.add(r -> {
            String id = hex(r, 32);
            Secret aws = secrets.plant(r, Kind.AWS_ACCESS_KEY_ID, "message");
            Map<String, String> over = new LinkedHashMap<>();
            over.put("message", "\"deploy failed with key " + aws.value() + "\"");
            return nativeEventCase(r, "issue19", "aws-key-in-message", id, over, 1);
        });
        fixed.add(r -> {
            String id = hex(r, 32);
            Secret pem = secrets.plant(r, Kind.PEM_PRIVATE_KEY_URL_ENCODED, "request.query_string");
            Map<String, String> over = new LinkedHashMap<>();
            over.put(
                    "request",
                    "{\"url\":\"https://app.example/upload\",\"method\":\"GET\",\"query_string\":"
                            + SeededSecrets.quote("cert=" + pem.value() + "&page=1") + "}");
            return nativeEventCase(r, "issue19", "url-encoded-pem-in-query-string", id, over, 1);
        });
        // structure: Jackson's limits
        fixed.add(r -> nativeRaw(r, "structure", "array-nesting-1001", "[".repeat(1001) + "]".repeat(1001)));
        fixed.add(r -> nativeRaw(
                r,
                "structure",
                "object-nesting-1001",
                "{\"message\":\"x\",\"extra\":" + "{\"a\":".repeat(1001) + "1" + "}".repeat(1001) + "}"));
        fixed.add(r -> {
            String body = "[".repeat(1001) + "]".repeat(1001);
            return ingest(
                    r,
                    "structure",
                    "store-array-nesting-1001",
                    "POST",
                    "/api/" + stack.projectId() + "/store/",
                    sentryAuth(headers("Content-Type", "application/json")),
                    utf8(body),
                    List.of());
        });
        fixed.add(r -> {
            String payload = "{\"message\":\"deep\",\"extra\":" + "[".repeat(1500) + "]".repeat(1500) + "}";
            return envelopeCase(
                    r,
                    "structure",
                    "envelope-event-nesting-1500",
                    List.<String[]>of(item("event", payload)),
                    List.of(),
                    true);
        });
        fixed.add(r -> nativeRaw(
                r,
                "structure",
                "number-1001-digits",
                "{\"message\":\"n\",\"extra\":{\"n\":" + "9".repeat(1001) + "}}"));
        fixed.add(r -> nativeRaw(
                r,
                "structure",
                "fraction-5000-digits",
                "{\"message\":\"n\",\"timestamp\":1." + "1".repeat(5000) + "}"));
        fixed.add(r -> nativeRaw(r, "structure", "exponent-huge", "{\"message\":\"n\",\"timestamp\":1e999999999}"));
        fixed.add(r -> nativeRaw(
                r, "structure", "key-50001-chars", "{\"message\":\"k\",\"extra\":{\"" + "k".repeat(50_001) + "\":1}}"));
        last.add(r -> {
            byte[] body = gzipRepeat("{\"message\":\"", "s", 20_000_001, "\"}");
            return ingest(
                    r,
                    "structure",
                    "string-20M-chars-gzip",
                    "POST",
                    nativePath(),
                    bearer(headers("Content-Type", "application/json", "Content-Encoding", "gzip")),
                    body,
                    List.of());
        });
        // dates
        fixed.add(r -> {
            String id = hex(r, 32);
            Map<String, String> over = new LinkedHashMap<>();
            over.put(
                    "breadcrumbs", "{\"values\":[{\"timestamp\":\"-999999999-01-01T00:00:00Z\",\"message\":\"old\"}]}");
            return nativeEventCase(r, "issue19", "breadcrumb-timestamp-min", id, over, 1);
        });
        for (String ts : List.of(
                "\"+999999999-12-31T23:59:59.999999999Z\"",
                "1e300",
                "-1e300",
                "\"NaN\"",
                "-62135596801",
                "253402300800",
                "\"2024-02-30T25:61:61Z\"",
                "9223372036854775807")) {
            fixed.add(r -> {
                String id = hex(r, 32);
                Map<String, String> over = new LinkedHashMap<>();
                over.put("timestamp", ts);
                return nativeEventCase(r, "dates", "event-timestamp-" + ts.replace("\"", ""), id, over, 1);
            });
        }
        // what blocks the intake for a while (sizes, the scrubber's quadratic case, bombs) goes last:
        // the cases before get a verdict of their own, the checks afterwards see the damage
        // over 1 MB
        last.add(r -> nativeRaw(r, "size", "native-1.5MB-message", "{\"message\":\"" + "m".repeat(1_500_000) + "\"}"));
        last.add(r -> {
            StringBuilder b =
                    new StringBuilder("{\"event_id\":\"" + hex(r, 32) + "\",\"message\":\"many\",\"extra\":{");
            for (int i = 0; b.length() < 1_000_000; i++) {
                b.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":[1,2]");
            }
            return nativeRaw(
                    r,
                    "size",
                    "native-under-1MB-serialises-over",
                    b.append("}}").toString());
        });
        last.add(r -> ingest(
                r,
                "size",
                "native-21MB-body",
                "POST",
                nativePath(),
                bearer(headers("Content-Type", "application/json")),
                utf8("{\"message\":\"" + "b".repeat(21 * 1024 * 1024) + "\"}"),
                List.of()));
        last.add(r -> {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i <= 10_001; i++) {
                b.append("{\"message\":\"l\"}\n");
            }
            return ingest(
                    r,
                    "size",
                    "ndjson-10002-lines",
                    "POST",
                    nativePath(),
                    bearer(headers("Content-Type", "application/x-ndjson")),
                    utf8(b.toString()),
                    List.of());
        });
        // the scrubber's quadratic case
        for (int n : List.of(16_384, 65_536)) {
            last.add(r -> nativeRaw(
                    r,
                    "scrubber",
                    "letters-" + n + "-then-password",
                    "{\"message\":\"" + "a".repeat(n) + " password=1\"}"));
            last.add(r -> nativeRaw(
                    r,
                    "scrubber",
                    "letters-" + n + "-then-token-in-extra",
                    "{\"message\":\"x\",\"extra\":{\"note\":\"" + "b".repeat(n) + " token=abcdefgh\"}}"));
        }
        // decompression bombs, last of all: four gzip ones back to back, so they are in flight together
        for (int i = 0; i < 4; i++) {
            int n = i;
            last.add(r -> bomb(r, "gzip", n));
        }
        last.add(r -> bomb(r, "deflate", 0));
        last.add(r -> bomb(r, "zstd", 0));
        last.add(r -> bomb(r, "br", 0));
        last.add(r -> bomb(r, "gzip, gzip", 0));
        // the dashboard
        fixed.add(r -> groupActionCase(
                r,
                "issue19",
                "until-PT10000000000000H",
                "{\"action\":\"ignore\",\"projectId\":\"" + stack.projectId() + "\",\"until\":\"PT10000000000000H\"}"));
        fixed.add(r -> groupActionCase(
                r,
                "dates",
                "until-far-future-instant",
                "{\"action\":\"ignore\",\"projectId\":\"" + stack.projectId()
                        + "\",\"until\":\"+1000000000-01-01T00:00:00Z\"}"));
        fixed.add(r -> groupActionCase(
                r,
                "numbers",
                "untilOccurrences-long-max",
                "{\"action\":\"ignore\",\"projectId\":\"" + stack.projectId()
                        + "\",\"untilOccurrences\":9223372036854775807}"));
        fixed.add(r -> groupActionCase(
                r,
                "numbers",
                "untilOccurrences-overflow",
                "{\"action\":\"ignore\",\"projectId\":\"" + stack.projectId()
                        + "\",\"untilOccurrences\":99999999999999999999999}"));
        fixed.add(r -> dashboard(
                r,
                "issue19",
                "login-username-bad-escape",
                "POST",
                "/auth/login",
                headers("Content-Type", "application/x-www-form-urlencoded"),
                utf8("username=%zz&password=x")));
        for (String path : List.of(
                "/api/v1/groups",
                "/api/v1/sla",
                "/api/v1/workflows/impact",
                "/api/v1/incidents",
                "/api/v1/resolutions")) {
            fixed.add(r -> dashboard(
                    r,
                    "issue19",
                    "from-far-past" + path,
                    "GET",
                    path + "?from=-1000000000-01-01T00:00:00Z",
                    admin(headers()),
                    null));
            fixed.add(r -> direct(
                    r,
                    Target.IMPACT,
                    "dates",
                    "impact-from-far-past" + path,
                    "GET",
                    path + "?from=-1000000000-01-01T00:00:00Z&to=%2B1000000000-01-01T00:00:00Z",
                    headers(),
                    null));
        }
        fixed.add(
                r -> dashboard(r, "issue19", "groups-percent-00", "GET", "/api/v1/groups/%00", admin(headers()), null));
        fixed.add(r -> dashboard(r, "paths", "groups-percent-zz", "GET", "/api/v1/groups/%zz", admin(headers()), null));
        fixed.add(r -> direct(
                r, Target.IMPACT, "paths", "impact-groups-percent-00", "GET", "/api/v1/groups/%00", headers(), null));
        // slow bodies: the client stops sending after 20 s at one byte a second
        fixed.add(r -> slow(dashboard(
                r,
                "slow",
                "slow-login-body",
                "POST",
                "/auth/login",
                headers("Content-Type", "application/x-www-form-urlencoded", "Content-Length", "4096"),
                utf8("username=admin&password=" + "p".repeat(4000)))));
        fixed.add(r -> slow(ingest(
                r,
                "slow",
                "slow-native-body",
                "POST",
                nativePath(),
                bearer(headers("Content-Type", "application/json", "Content-Length", "100000")),
                utf8("{\"message\":\"" + "s".repeat(99_980) + "\"}"),
                List.of())));
        fixed.add(r -> slow(dashboard(
                r,
                "slow",
                "slow-group-action-body",
                "POST",
                "/api/v1/groups/" + stack.groupId() + "/actions",
                admin(headers("Content-Type", "application/json", "Content-Length", "4096")),
                utf8("{\"action\":\"acknowledge\",\"projectId\":\"1\",\"note\":\"" + "n".repeat(4000) + "\"}"))));
        // not HTTP/1.1 on the plain ports
        for (Target t : Target.values()) {
            fixed.add(r -> notHttp(r, t, "http2-preface", utf8("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")));
            fixed.add(r -> notHttp(r, t, "http2-preface-and-settings", http2Preface()));
            fixed.add(r -> notHttp(r, t, "tls-client-hello", tlsClientHello(r)));
            fixed.add(r -> notHttp(r, t, "garbage-bytes", randomBytes(r, 512)));
        }
        // malformed chunking and framing
        for (String chunked : List.of(
                "zz\r\n{}\r\n0\r\n\r\n",
                "5\r\n{\"a\":\r\n",
                "ffffffffffffffffff\r\n{}\r\n0\r\n\r\n",
                "-1\r\n{}\r\n0\r\n\r\n",
                "2\r\n{}XX0\r\n\r\n")) {
            fixed.add(r -> ingest(
                    r,
                    "framing",
                    "native-chunked-" + Integer.toHexString(chunked.hashCode()),
                    "POST",
                    nativePath(),
                    bearer(headers("Content-Type", "application/json", "Transfer-Encoding", "chunked")),
                    utf8(chunked),
                    List.of()));
            fixed.add(r -> dashboard(
                    r,
                    "framing",
                    "login-chunked-" + Integer.toHexString(chunked.hashCode()),
                    "POST",
                    "/auth/login",
                    headers("Content-Type", "application/x-www-form-urlencoded", "Transfer-Encoding", "chunked"),
                    utf8(chunked)));
        }
        fixed.add(r -> ingest(
                r,
                "framing",
                "content-length-and-chunked",
                "POST",
                nativePath(),
                bearer(headers(
                        "Content-Type", "application/json", "Content-Length", "4", "Transfer-Encoding", "chunked")),
                utf8("2\r\n{}\r\n0\r\n\r\n"),
                List.of()));
        fixed.add(r -> ingest(
                r,
                "framing",
                "content-length-negative",
                "POST",
                nativePath(),
                bearer(headers("Content-Type", "application/json", "Content-Length", "-5")),
                utf8("{}"),
                List.of()));
        fixed.add(r -> ingest(
                r,
                "framing",
                "content-length-huge",
                "POST",
                nativePath(),
                bearer(headers("Content-Type", "application/json", "Content-Length", "99999999999999999999")),
                utf8("{}"),
                List.of()));
        fixed.add(r -> ingest(
                r,
                "framing",
                "header-20KB",
                "POST",
                nativePath(),
                bearer(headers("Content-Type", "application/json", "X-Big", "h".repeat(20_000))),
                utf8("{}"),
                List.of()));
        fixed.add(r -> ingest(
                r,
                "framing",
                "header-with-NUL",
                "POST",
                nativePath(),
                bearer(headers("Content-Type", "application/json", "X-Nul", "a\u0000b")),
                utf8("{}"),
                List.of()));
        fixed.add(r -> rawBytes(r, Target.INGEST, "framing", "bad-request-line", utf8("GET\r\n\r\n")));
        fixed.add(r ->
                rawBytes(r, Target.INGEST, "framing", "http-9.9", utf8("GET /q/health HTTP/9.9\r\nHost: x\r\n\r\n")));
        fixed.add(r -> rawBytes(
                r,
                Target.DASHBOARD,
                "framing",
                "bare-lf",
                utf8("GET /auth/me HTTP/1.1\nHost: x\nConnection: close\n\n")));
        fixed.add(r -> rawBytes(
                r, Target.DASHBOARD, "framing", "http-1.0-no-host", utf8("GET /api/v1/overview HTTP/1.0\r\n\r\n")));
        fixed.add(r -> rawBytes(
                r,
                Target.INGEST,
                "framing",
                "h2c-upgrade",
                utf8("GET /q/health HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
                        + "HTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n")));
        // login: a seeded password must appear in no log; a few PBKDF2 checks only
        for (int i = 0; i < 12; i++) {
            fixed.add(r -> {
                Secret pw = secrets.plant(r, Kind.PASSWORD, "login password");
                String user = r.nextBoolean() ? "admin" : "fz" + SeededSecrets.chars(r, "abcdefgh", 6);
                return dashboard(
                        r,
                        "login",
                        "login-wrong-password",
                        "POST",
                        "/auth/login",
                        headers("Content-Type", "application/x-www-form-urlencoded"),
                        utf8("username=" + user + "&password=" + pw.value()));
            });
        }
        for (String form : List.of(
                "",
                "username=",
                "password=x",
                "username=" + "u".repeat(100_000) + "&password=x",
                "username=a%00b&password=x",
                "username=%F0%9F%92%A9&password=%ED%A0%80",
                "=&=&&&",
                "username=a&username=b&password=x&password=y")) {
            fixed.add(r -> dashboard(
                    r,
                    "login",
                    "login-form-" + Integer.toHexString(form.hashCode()),
                    "POST",
                    "/auth/login",
                    headers("Content-Type", "application/x-www-form-urlencoded"),
                    utf8(form)));
        }
        fixed.add(r -> dashboard(
                r,
                "login",
                "login-json",
                "POST",
                "/auth/login",
                headers("Content-Type", "application/json"),
                utf8("{\"username\":\"admin\"}")));
    }

    // ------------------------------------------------------------------ families

    private Case nativeSecret(SplittableRandom r) {
        String id = hex(r, 32);
        byte[] body = utf8(validEvent(r, id, 2 + r.nextInt(3), Map.of()));
        Map<String, String> h = bearer(headers("Content-Type", "application/json"));
        if (r.nextInt(5) == 0) {
            h.put("Content-Encoding", "gzip");
            body = gzip(body);
        }
        return ingest(r, "native-secret", "valid-event-with-secrets", "POST", nativePath(), h, body, List.of(id));
    }

    private Case nativeBatch(SplittableRandom r) {
        int lines = 2 + r.nextInt(30);
        StringBuilder b = new StringBuilder();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < lines; i++) {
            String id = hex(r, 32);
            int kind = r.nextInt(10);
            if (kind < 6) {
                b.append(validEvent(r, id, 1 + r.nextInt(2), Map.of()));
                ids.add(id);
            } else if (kind < 9) {
                b.append(mutantEvent(r, id).replace('\n', ' '));
                ids.add(id);
            } else {
                b.append(garbage(r).replace('\n', ' '));
            }
            b.append(r.nextInt(8) == 0 ? "\r\n" : "\n");
            if (r.nextInt(15) == 0) {
                b.append("   \n");
            }
        }
        String type =
                pick(r, "application/x-ndjson", "application/ndjson", "application/jsonl", "application/x-jsonlines");
        return ingest(
                r,
                "native-batch",
                "ndjson-" + lines,
                "POST",
                nativePath(),
                bearer(headers("Content-Type", type)),
                utf8(b.toString()),
                ids);
    }

    private Case nativeMutant(SplittableRandom r) {
        String id = hex(r, 32);
        return ingest(
                r,
                "native-mutant",
                "mutant",
                "POST",
                nativePath(),
                bearer(headers("Content-Type", "application/json")),
                utf8(mutantEvent(r, id)),
                List.of(id));
    }

    private Case nativeGarbage(SplittableRandom r) {
        byte[] body =
                switch (r.nextInt(6)) {
                    case 0 -> randomBytes(r, r.nextInt(2048));
                    case 1 -> new byte[0];
                    case 2 -> utf8(garbage(r));
                    case 3 -> invalidUtf8(r);
                    case 4 -> concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, utf8("{\"message\":\"bom\"}"));
                    default -> utf8(pick(
                            r,
                            "null",
                            "true",
                            "1",
                            "\"s\"",
                            "[]",
                            "[{}]",
                            "{}",
                            "{\"message\":null}",
                            "{\"exception\":{\"values\":[]}}",
                            "{\"exception\":{\"values\":[null]}}"));
                };
        String type = pick(
                r,
                "application/json",
                "text/plain",
                "application/x-ndjson",
                "multipart/form-data; boundary=x",
                "application/json; charset=utf-16",
                "",
                "*/*");
        Map<String, String> h = bearer(headers());
        if (!type.isEmpty()) {
            h.put("Content-Type", type);
        }
        return ingest(r, "native-garbage", "garbage", "POST", nativePath(), h, body, List.of());
    }

    private Case nativeEncoded(SplittableRandom r) {
        String id = hex(r, 32);
        byte[] json = utf8(validEvent(r, id, 1 + r.nextInt(2), Map.of()));
        String enc = pick(
                r,
                "gzip",
                "deflate",
                "deflate-raw",
                "zstd",
                "br",
                "corrupt-gzip",
                "wrong-label",
                "unknown",
                "gzip,identity",
                "truncated-gzip");
        byte[] body;
        String label;
        switch (enc) {
            case "gzip" -> {
                body = gzip(json);
                label = "gzip";
            }
            case "deflate" -> {
                body = deflate(json, false);
                label = "deflate";
            }
            case "deflate-raw" -> {
                body = deflate(json, true);
                label = "deflate";
            }
            case "zstd" -> {
                body = com.github.luben.zstd.Zstd.compress(json);
                label = "zstd";
            }
            case "br" -> {
                body = brotli(json);
                label = "br";
            }
            case "corrupt-gzip" -> {
                body = gzip(json);
                body[body.length / 2] ^= (byte) 0xFF;
                body[body.length / 2 + 1] ^= (byte) 0x55;
                label = "gzip";
            }
            case "wrong-label" -> {
                body = gzip(json);
                label = "br";
            }
            case "unknown" -> {
                body = json;
                label = pick(r, "compress", "x-fuzz", "gzip;q=1", "identity, x");
            }
            case "gzip,identity" -> {
                body = gzip(json);
                label = "gzip, identity";
            }
            default -> {
                byte[] g = gzip(json);
                body = java.util.Arrays.copyOf(g, g.length / 2);
                label = "gzip";
            }
        }
        // whatever the coding, a 2xx says the event was stored
        return ingest(
                r,
                "native-encoded",
                "encoding-" + enc,
                "POST",
                nativePath(),
                bearer(headers("Content-Type", "application/json", "Content-Encoding", label)),
                body,
                List.of(id));
    }

    private Case store(SplittableRandom r) {
        String id = hex(r, 32);
        String event = r.nextInt(3) == 0 ? mutantEvent(r, id) : validEvent(r, id, 1 + r.nextInt(3), Map.of());
        Map<String, String> h = headers("Content-Type", "application/json");
        String path = "/api/" + stack.projectId() + "/store/";
        switch (r.nextInt(6)) {
            case 0, 1 -> sentryAuth(h);
            case 2 -> path += "?sentry_key=" + stack.projectKey() + "&sentry_version=7";
            case 3 -> h.put("Authorization", "Sentry sentry_key=" + stack.projectKey() + ", sentry_version=7");
            case 4 -> h.put(
                    "X-Sentry-Auth",
                    pick(
                            r,
                            "Sentry",
                            "Sentry sentry_key=",
                            "sentry_key=" + stack.projectKey(),
                            "Sentry sentry_key=" + stack.projectKey() + "\u00ff",
                            "Sentry " + "x=".repeat(2000)));
            default -> {
                sentryAuth(h);
                byte[] b64 = Base64.getEncoder().encode(deflate(utf8(event), false));
                return ingest(r, "store", "store-legacy-base64-deflate", "POST", path, h, b64, List.of(id));
            }
        }
        return ingest(r, "store", "store", "POST", path, h, utf8(event), List.of(id));
    }

    private Case envelope(SplittableRandom r) {
        List<String[]> items = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        String envelopeId = hex(r, 32);
        int kind = r.nextInt(10);
        if (kind < 5) {
            String event = r.nextInt(3) == 0
                    ? mutantEvent(r, envelopeId)
                    : validEvent(r, envelopeId, 1 + r.nextInt(3), Map.of());
            items.add(item("event", event));
            ids.add(envelopeId);
            if (r.nextBoolean()) {
                items.add(item("attachment", "attached " + SeededSecrets.chars(r, "xyz", 50)));
            }
        } else if (kind < 7) {
            items.add(item("transaction", transaction(r)));
        } else if (kind < 8) {
            items.add(item(
                    "session",
                    "{\"sid\":\"" + hex(r, 32) + "\",\"status\":\"" + pick(r, "ok", "crashed", "errored", "x")
                            + "\",\"started\":"
                            + pick(r, "\"2024-01-01T00:00:00Z\"", "-1", "1e308", "\"+999999999-01-01T00:00:00Z\"")
                            + ",\"attrs\":{\"release\":\"fz@1\"}}"));
        } else {
            items.add(item(
                    pick(r, "client_report", "check_in", "profile", "x-unknown", "", "EVENT", "event\u0000"),
                    pick(
                            r,
                            "{}",
                            "[]",
                            "not json",
                            "{\"discarded_events\":[{\"reason\":\"x\",\"category\":\"error\",\"quantity\":-1}]}")));
        }
        return envelopeCase(r, "envelope", "envelope-" + kind, items, ids, r.nextInt(4) != 0);
    }

    private Case traffic(SplittableRandom r) {
        String workflow = pick(
                r,
                "\"booking\"",
                "\"checkout\"",
                "\"\"",
                "null",
                "1",
                "\"" + "w".repeat(300) + "\"",
                "\"a\\u0000b\"",
                "\"\\ud800\"",
                "[\"booking\"]",
                "{\"a\":1}",
                "\"BOOKING\"",
                "\"../../etc\"");
        String requests = pick(
                r,
                "1",
                "0",
                "-1",
                "1000",
                "9223372036854775807",
                "9223372036854775808",
                "1e308",
                "-1e308",
                "1.5",
                "\"10\"",
                "null",
                "NaN",
                "true",
                "99999999999999999999999999999");
        StringBuilder b = new StringBuilder("{\"workflow\":")
                .append(workflow)
                .append(",\"requests\":")
                .append(requests);
        if (r.nextBoolean()) {
            b.append(",\"failed\":").append(pick(r, "0", "-5", "2000000", "1e99", "\"x\""));
        }
        if (r.nextBoolean()) {
            b.append(",\"windowStart\":").append(dateValue(r));
        }
        if (r.nextBoolean()) {
            b.append(",\"windowEnd\":").append(dateValue(r));
        }
        return trafficCase(r, "traffic", b.append('}').toString());
    }

    private Case wrongAuth(SplittableRandom r) {
        String project = pick(
                r,
                stack.projectId(),
                "2",
                "999999",
                "%00",
                "..",
                "%2e%2e",
                "-1",
                "1%20",
                "x".repeat(300),
                "%F0%9F%92%A9",
                "1;drop",
                "1'--");
        String path = pick(
                r,
                "/api/v1/projects/" + project + "/events",
                "/api/v1/projects/" + project + "/traffic",
                "/api/" + project + "/store/",
                "/api/" + project + "/envelope/");
        Map<String, String> h = headers("Content-Type", "application/json");
        switch (r.nextInt(6)) {
            case 0 -> {}
            case 1 -> {
                // a wrong key is a secret too: it must not be logged
                Secret wrong = secrets.plant(r, Kind.BEARER_TOKEN, "wrong Authorization key");
                h.put("Authorization", "Bearer " + wrong.value());
            }
            case 2 -> h.put(
                    "Authorization",
                    pick(
                            r,
                            "Bearer",
                            "Bearer ",
                            "Basic eDp5",
                            "bearer " + stack.projectKey().toUpperCase(Locale.ROOT),
                            "Bearer " + stack.projectKey() + " extra",
                            "Bearer " + stack.adminToken()));
            case 3 -> {
                Secret wrong = secrets.plant(r, Kind.BEARER_TOKEN, "wrong X-Sentry-Auth key");
                h.put("X-Sentry-Auth", "Sentry sentry_key=" + wrong.value() + ", sentry_version=7");
            }
            case 4 -> path += (path.contains("?") ? "&" : "?") + "sentry_key="
                    + pick(r, "", "%00", stack.adminToken(), "x".repeat(5000));
            default -> h.put("Authorization", "Bearer " + stack.projectKey());
        }
        String id = hex(r, 32);
        return ingest(
                r,
                "auth",
                "wrong-auth",
                "POST",
                path,
                h,
                utf8(validEvent(r, id, 1, Map.of())),
                // with the right key on the right project the event is stored
                project.equals(stack.projectId())
                                && h.getOrDefault("Authorization", "").equals("Bearer " + stack.projectKey())
                                && path.contains("/events")
                        ? List.of(id)
                        : List.of());
    }

    private Case admin(SplittableRandom r) {
        Map<String, String> h = headers("Content-Type", "application/json");
        int auth = r.nextInt(5);
        if (auth < 3) {
            h.put("Authorization", "Bearer " + stack.adminToken());
        } else if (auth == 3) {
            h.put("Authorization", "Bearer " + stack.projectKey());
        }
        String id = pick(r, stack.projectId(), "999", "%00", "x".repeat(1000), "-1", "..", "%zz");
        return switch (r.nextInt(6)) {
            case 0 -> ingest(
                    r,
                    "admin",
                    "create-project",
                    "POST",
                    "/api/v1/admin/projects",
                    h,
                    utf8("{\"name\":"
                            + pick(
                                    r,
                                    "\"fz project\"",
                                    "\"\"",
                                    "null",
                                    "1",
                                    "\"" + "n".repeat(10_000) + "\"",
                                    "\"a\\u0000b\"",
                                    "\"\\ud800\"",
                                    "[]")
                            + pick(r, "}", ",\"id\":\"1\"}", ",\"extra\":" + "[".repeat(600) + "]".repeat(600) + "}")),
                    List.of());
            case 1 -> ingest(
                    r,
                    "admin",
                    "list-projects",
                    "GET",
                    "/api/v1/admin/projects" + pick(r, "", "?limit=-1", "?x=%zz"),
                    h,
                    null,
                    List.of());
            case 2 -> ingest(r, "admin", "get-project", "GET", "/api/v1/admin/projects/" + id, h, null, List.of());
            case 3 -> ingest(
                    r,
                    "admin",
                    "add-key",
                    "POST",
                    "/api/v1/admin/projects/" + (id.equals(stack.projectId()) ? "999" : id) + "/keys",
                    h,
                    utf8(pick(r, "{}", "", "[]", "{\"label\":\"" + "l".repeat(5000) + "\"}")),
                    List.of());
            case 4 -> ingest(
                    r,
                    "admin",
                    "delete-key",
                    "DELETE",
                    "/api/v1/admin/projects/" + id + "/keys/" + pick(r, "nokey", "%00", "x".repeat(3000)),
                    h,
                    null,
                    List.of());
            default -> ingest(
                    r,
                    "admin",
                    "create-project-garbage",
                    "POST",
                    "/api/v1/admin/projects",
                    h,
                    utf8(garbage(r)),
                    List.of());
        };
    }

    private Case dashboardQuery(SplittableRandom r) {
        String path = pick(
                r,
                "/api/v1/overview",
                "/api/v1/groups",
                "/api/v1/groups/" + pick(r, stack.groupId(), "nope", "%00", "x".repeat(2000), "..%2f..%2f", "%zz"),
                "/api/v1/workflows/impact",
                "/api/v1/sla",
                "/api/v1/resolutions",
                "/api/v1/incidents",
                "/api/v1/me",
                "/",
                "/login.html",
                "/q/health/ready",
                "/nope/%00");
        Map<String, String> h = headers();
        switch (r.nextInt(6)) {
            case 0, 1, 2 -> admin(h);
            case 3 -> h.put("Cookie", "faultline_session=" + stack.sessionCookie());
            case 4 -> h.put(
                    "Cookie",
                    "faultline_session="
                            + pick(
                                    r,
                                    "",
                                    "x",
                                    "a.b.c",
                                    stack.sessionCookie() + "x",
                                    Base64.getEncoder().encodeToString(randomBytes(r, 64)),
                                    "%00",
                                    "x".repeat(8000)));
            default -> h.put(
                    "Authorization",
                    pick(r, "Bearer", "Bearer x", "Basic YWRtaW46YWRtaW4=", "Bearer " + stack.projectKey()));
        }
        return dashboard(
                r, "dashboard-query", "query" + path.replaceAll("[^a-z/]", ""), "GET", path + query(r), h, null);
    }

    private Case impactQuery(SplittableRandom r) {
        String path = pick(
                r,
                "/api/v1/overview",
                "/api/v1/groups",
                "/api/v1/groups/" + pick(r, stack.groupId(), "nope", "x".repeat(2000)),
                "/api/v1/workflows/impact",
                "/api/v1/sla",
                "/api/v1/resolutions",
                "/api/v1/incidents");
        return direct(
                r,
                Target.IMPACT,
                "impact-query",
                "impact" + path.replaceAll("[^a-z/]", ""),
                "GET",
                path + query(r),
                headers(),
                null);
    }

    private Case groupAction(SplittableRandom r) {
        String action = pick(
                r,
                "\"resolve\"",
                "\"ignore\"",
                "\"reopen\"",
                "\"acknowledge\"",
                "\"relabel\"",
                "\"\"",
                "null",
                "1",
                "\"RESOLVE\"",
                "\"x\"");
        StringBuilder b = new StringBuilder("{\"action\":").append(action);
        if (r.nextInt(5) != 0) {
            b.append(",\"projectId\":")
                    .append(pick(
                            r,
                            "\"" + stack.projectId() + "\"",
                            "\"\"",
                            "null",
                            "\"" + "p".repeat(500) + "\"",
                            "1",
                            "\"\\u0000\""));
        }
        if (r.nextBoolean()) {
            b.append(",\"until\":")
                    .append(pick(
                            r,
                            "\"PT24H\"",
                            "\"30m\"",
                            "\"999999d\"",
                            "\"PT-1H\"",
                            "\"P9999999999D\"",
                            "\"PT10000000000000H\"",
                            "\"+1000000000-01-01T00:00:00Z\"",
                            "\"-1000000000-01-01T00:00:00Z\"",
                            "\"2020-01-01T00:00:00Z\"",
                            "1",
                            "\"\"",
                            "\"x\""));
        }
        if (r.nextInt(4) == 0) {
            b.append(",\"untilOccurrences\":")
                    .append(pick(r, "0", "-1", "1", "9223372036854775807", "1e20", "\"5\"", "1.5"));
        }
        if (r.nextInt(4) == 0) {
            b.append(",\"severity\":")
                    .append(pick(r, "\"critical\"", "\"x\"", "1", "null"))
                    .append(",\"workflow\":")
                    .append(pick(r, "\"booking\"", "\"" + "w".repeat(100) + "\"", "\"a b\""));
        }
        if (r.nextInt(3) == 0) {
            b.append(",\"note\":")
                    .append(pick(
                            r, "\"fuzz note\"", "\"" + "n".repeat(20_000) + "\"", "\"\\u0000\"", "\"\\ud800\"", "[]"));
        }
        String body = r.nextInt(10) == 0 ? garbage(r) : b.append('}').toString();
        return groupActionCase(r, "group-action", body);
    }

    private Case oddMethodOrPath(SplittableRandom r) {
        Target t = pick(r, Target.INGEST, Target.DASHBOARD, Target.IMPACT);
        String method = pick(r, "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "HEAD", "CONNECT", "FUZZ", "GET");
        String path = pick(
                r,
                "/",
                "/api/" + stack.projectId() + "/envelope/",
                nativePath(),
                "/api/v1/groups",
                "/" + "a/".repeat(2000),
                "/%00",
                "/%zz",
                "/..;/q/health",
                "/q/metrics",
                "/q/openapi",
                "/q/dev",
                "//",
                "*",
                "http://evil.example/",
                "/api/v1/groups/" + "%ff".repeat(100));
        Map<String, String> h = headers();
        if (r.nextBoolean()) {
            h.put("Origin", pick(r, "https://evil.example", "null"));
            h.put("Access-Control-Request-Method", "POST");
        }
        return direct(
                r,
                t,
                "method-path",
                method + " " + path.substring(0, Math.min(20, path.length())),
                method,
                path,
                h,
                method.equals("GET") || method.equals("HEAD") ? null : utf8("{}"));
    }

    // ------------------------------------------------------------------ events

    /** A valid error event carrying {@code secretCount} seeded secrets and a seeded user. */
    String validEvent(SplittableRandom r, String id, int secretCount, Map<String, String> overrides) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("event_id", "\"" + id + "\"");
        f.put(
                "timestamp",
                r.nextBoolean()
                        ? Long.toString(now.getEpochSecond() - r.nextInt(600))
                        : "\"" + now.minusSeconds(r.nextInt(600)) + "\"");
        f.put("level", pick(r, "\"error\"", "\"fatal\"", "\"warning\"", "\"error\""));
        f.put("platform", pick(r, "\"java\"", "\"python\"", "\"javascript\"", "\"node\""));
        f.put("release", "\"fz@" + r.nextInt(100) + ".0\"");
        f.put("environment", "\"fuzz\"");
        f.put(
                "tags",
                "{\"workflow\":\"" + pick(r, "booking", "checkout", "login", "search") + "\",\"fz\":\""
                        + r.nextInt(1000) + "\"}");
        Secret uid = secrets.plant(r, Kind.USER_ID, "user.id");
        Secret email = secrets.plant(r, Kind.USER_EMAIL, "user.email");
        Secret name = secrets.plant(r, Kind.USER_NAME, "user.username");
        Secret ip = secrets.plant(r, Kind.USER_IP, "user.ip_address");
        f.put(
                "user",
                "{\"id\":\"" + uid.value() + "\",\"email\":\"" + email.value() + "\",\"username\":\"" + name.value()
                        + "\",\"ip_address\":\"" + ip.value() + "\"}");
        List<String> messageParts = new ArrayList<>();
        messageParts.add(pick(
                r,
                "booking failed",
                "payment declined",
                "timeout calling",
                "NullPointerException in",
                "could not reserve"));
        List<String> extra = new ArrayList<>();
        List<String> headers = new ArrayList<>();
        List<String> cookies = new ArrayList<>();
        List<String> query = new ArrayList<>();
        List<String> crumbs = new ArrayList<>();
        List<String> data = new ArrayList<>();
        String exceptionValue = "slot " + r.nextInt(1000) + " unavailable";
        Kind[] kinds = Kind.values();
        for (int i = 0; i < secretCount; i++) {
            Kind kind = kinds[r.nextInt(Kind.USER_ID.ordinal())];
            int slot = r.nextInt(7);
            String where =
                    switch (kind) {
                        case PEM_PRIVATE_KEY_URL_ENCODED -> "request.query_string";
                        case BASE64_WRAPPED -> slot % 2 == 0 ? "request.cookies" : "request.headers";
                        default -> List.of(
                                        "message",
                                        "exception.value",
                                        "extra",
                                        "breadcrumb",
                                        "request.headers",
                                        "request.data",
                                        "request.query_string")
                                .get(slot);
                    };
            if (where.equals("breadcrumb") && i % 2 == 1) {
                where = "breadcrumb.data"; // by the index, not a draw: the corpus stays what it was
            }
            Secret s = secrets.plant(r, kind, where);
            String v = s.value();
            // a password, a bearer token or an AWS secret key is random text: it is planted where its
            // name or scheme says what it is; the other kinds say it themselves (AKIA..., xoxb-, a PEM block)
            String key =
                    switch (kind) {
                        case PASSWORD -> pick(r, "password", "passwd", "db_password");
                        case BEARER_TOKEN -> pick(r, "token", "access_token", "auth_token");
                        case AWS_SECRET_KEY -> "aws_secret_access_key";
                        default -> pick(r, "note", "detail", "value", "config", "api_key", "secret");
                    };
            String inText =
                    switch (kind) {
                        case PASSWORD, AWS_SECRET_KEY -> key + "=" + v;
                        case BEARER_TOKEN -> "Authorization: Bearer " + v;
                        default -> v;
                    };
            switch (where) {
                case "message" -> messageParts.add("with " + inText);
                case "exception.value" -> exceptionValue += " " + inText;
                case "extra" -> extra.add("\"" + key + i + "\":" + SeededSecrets.quote(v));
                case "breadcrumb" -> crumbs.add("{\"timestamp\":" + now.getEpochSecond()
                        + ",\"category\":\"log\",\"message\":" + SeededSecrets.quote("called with " + inText) + "}");
                case "breadcrumb.data" -> crumbs.add("{\"timestamp\":" + now.getEpochSecond()
                        + ",\"type\":\"http\",\"category\":\"xhr\",\"data\":{\"method\":\"POST\","
                        + "\"url\":\"https://app.example/api/slots\",\"status_code\":502,\"" + key + i + "\":"
                        + SeededSecrets.quote(v) + "}}");
                case "request.headers" -> headers.add(
                        switch (kind) {
                            case BASE64_WRAPPED -> "\"Authorization\":\"Basic " + v + "\"";
                            case BEARER_TOKEN -> "\"Authorization\":\"Bearer " + v + "\"";
                            case PASSWORD -> "\"X-Password\":" + SeededSecrets.quote(v);
                            case AWS_SECRET_KEY -> "\"X-Aws-Secret-Access-Key\":" + SeededSecrets.quote(v);
                            default -> "\"" + pick(r, "X-Note", "X-Api-Key", "X-Config") + "\":"
                                    + SeededSecrets.quote(v);
                        });
                case "request.cookies" -> cookies.add("blob=" + v);
                case "request.data" -> data.add("\"" + key + "\":" + SeededSecrets.quote(v));
                default -> query.add(
                        (kind == Kind.PEM_PRIVATE_KEY_URL_ENCODED ? pick(r, "cert", "key", "q") : key) + "="
                                + (kind == Kind.PEM_PRIVATE_KEY_URL_ENCODED
                                        ? v
                                        : URLEncoder.encode(v, StandardCharsets.UTF_8)));
            }
        }
        f.put("message", SeededSecrets.quote(String.join(" ", messageParts)));
        f.put(
                "exception",
                "{\"values\":[{\"type\":\"com.example.booking."
                        + pick(r, "SlotUnavailableException", "PaymentException", "TimeoutException") + "\",\"value\":"
                        + SeededSecrets.quote(exceptionValue)
                        + ",\"stacktrace\":{\"frames\":[{\"module\":\"com.example.booking.BookingService\",\"function\":\"reserve\",\"lineno\":"
                        + (1 + r.nextInt(400)) + ",\"in_app\":true}]}}]}");
        if (!extra.isEmpty()) {
            f.put("extra", "{" + String.join(",", extra) + "}");
        }
        if (!crumbs.isEmpty()) {
            f.put("breadcrumbs", "{\"values\":[" + String.join(",", crumbs) + "]}");
        }
        if (!headers.isEmpty() || !cookies.isEmpty() || !query.isEmpty() || !data.isEmpty()) {
            StringBuilder req = new StringBuilder("{\"url\":\"https://app.example/booking\",\"method\":\"POST\"");
            if (!query.isEmpty()) {
                req.append(",\"query_string\":").append(SeededSecrets.quote(String.join("&", query)));
            }
            if (!headers.isEmpty()) {
                req.append(",\"headers\":{").append(String.join(",", headers)).append('}');
            }
            if (!cookies.isEmpty()) {
                req.append(",\"cookies\":").append(SeededSecrets.quote(String.join("; ", cookies)));
            }
            if (!data.isEmpty()) {
                req.append(",\"data\":{").append(String.join(",", data)).append('}');
            }
            f.put("request", req.append('}').toString());
        }
        f.putAll(overrides);
        StringBuilder out = new StringBuilder("{");
        boolean first = true;
        for (Map.Entry<String, String> e : f.entrySet()) {
            out.append(first ? "" : ",")
                    .append('"')
                    .append(e.getKey())
                    .append("\":")
                    .append(e.getValue());
            first = false;
        }
        return out.append('}').toString();
    }

    /** A valid event with one hostile mutation. */
    String mutantEvent(SplittableRandom r, String id) {
        Map<String, String> over = new LinkedHashMap<>();
        String field = pick(
                r,
                "message",
                "release",
                "environment",
                "level",
                "platform",
                "logger",
                "transaction",
                "server_name",
                "culprit",
                "dist");
        switch (r.nextInt(12)) {
            case 0 -> over.put(field, unicodeJson(r));
            case 1 -> over.put(field, typeConfusion(r));
            case 2 -> over.put("timestamp", dateValue(r));
            case 3 -> over.put(
                    "breadcrumbs",
                    "{\"values\":[{\"timestamp\":" + dateValue(r) + ",\"message\":" + unicodeJson(r) + "}]}");
            case 4 -> over.put("extra", "{\"n\":" + numberValue(r) + ",\"m\":" + numberValue(r) + "}");
            case 5 -> over.put(
                    "exception",
                    "{\"values\":[{\"type\":" + unicodeJson(r) + ",\"value\":"
                            + pick(r, "null", "1", "[]", unicodeJson(r)) + ",\"stacktrace\":{\"frames\":"
                            + pick(
                                    r,
                                    "[]",
                                    "null",
                                    "[null]",
                                    "[{\"lineno\":-1}]",
                                    "[{\"lineno\":1e99,\"colno\":\"x\"}]",
                                    "[" + "{\"function\":\"f\"},".repeat(3000) + "{}]")
                            + "}}]}");
            case 6 -> over.put(
                    "tags",
                    pick(
                            r,
                            "[]",
                            "null",
                            "{\"workflow\":1}",
                            "[[\"workflow\",\"booking\"]]",
                            "{\"" + "t".repeat(300) + "\":\"v\"}",
                            "{\"workflow\":\"" + "w".repeat(300) + "\"}",
                            "{\"a\\u0000\":\"b\\u0000\"}",
                            "{" + "\"k\":1,".repeat(2000) + "\"z\":2}"));
            case 7 -> over.put("extra", "{\"big\":[" + "1,".repeat(r.nextInt(50_000)) + "1]}");
            case 8 -> over.put(field, "\"" + "x".repeat(r.nextInt(200_000)) + "\"");
            case 9 -> over.put(
                    "user",
                    pick(
                            r,
                            "null",
                            "[]",
                            "\"u\"",
                            "{\"id\":1e99}",
                            "{\"ip_address\":\"999.1.1.1\"}",
                            "{\"ip_address\":\"{{auto}}\"}",
                            "{\"email\":[]}",
                            "{\"id\":{\"nested\":" + "[".repeat(200) + "]".repeat(200) + "}}"));
            case 10 -> over.put(
                    "event_id",
                    pick(
                            r,
                            "\"" + id.toUpperCase(Locale.ROOT) + "\"",
                            "\"" + id.substring(0, 8) + "-" + id.substring(8, 12) + "-" + id.substring(12, 16) + "-"
                                    + id.substring(16, 20) + "-" + id.substring(20) + "\"",
                            "\"" + id + "\""));
            default -> over.put(
                    "contexts",
                    pick(
                            r,
                            "{\"trace\":{\"trace_id\":1}}",
                            "{\"os\":null}",
                            "[]",
                            "{\"runtime\":{\"name\":" + unicodeJson(r) + "}}"));
        }
        return validEvent(r, id, r.nextInt(2), over);
    }

    /** A JSON string literal with Unicode edge cases; lone surrogates as escapes, the only way JSON text carries them. */
    private String unicodeJson(SplittableRandom r) {
        return switch (r.nextInt(10)) {
            case 0 -> SeededSecrets.quote("nul\u0000byte");
            case 1 -> "\"lone \\ud800 high\"";
            case 2 -> "\"lone \\udfff low \\udc00\\ud800 reversed\"";
            case 3 -> SeededSecrets.quote("nonchar \ufffe\uffff\ufdd0");
            case 4 -> SeededSecrets.quote("ctrl \u0001\u0007\u001b[31m\u007f\u0085");
            case 5 -> SeededSecrets.quote("bidi \u202e\u2066 rtl");
            case 6 -> SeededSecrets.quote("astral \ud83d\udca9 " + "\ud83d\ude00".repeat(r.nextInt(2000)));
            case 7 -> SeededSecrets.quote("zero\u200b\u200dwidth \ufeff");
            case 8 -> SeededSecrets.quote("combining " + "e\u0301".repeat(r.nextInt(5000)));
            default -> SeededSecrets.quote("line\r\nbreak\u2028\u2029 sep");
        };
    }

    private String typeConfusion(SplittableRandom r) {
        return pick(
                r, "null", "1", "-1", "1.5e300", "true", "[]", "{}", "[\"a\"]", "{\"a\":\"b\"}", "\"\"", "[[[[]]]]");
    }

    private String dateValue(SplittableRandom r) {
        return pick(
                r,
                "-1",
                "0",
                "1",
                "-9223372036854775808",
                "9223372036854775807",
                "1e300",
                "-1e300",
                "1.7e308",
                "\"NaN\"",
                "\"Infinity\"",
                "\"-999999999-01-01T00:00:00Z\"",
                "\"+999999999-12-31T23:59:59Z\"",
                "\"0000-00-00T00:00:00Z\"",
                "\"2024-13-45T99:99:99Z\"",
                "\"" + now.plusSeconds(7200) + "\"",
                "\"" + now.plusSeconds(86400L * 365 * 100) + "\"",
                "\"1970-01-01T00:00:00Z\"",
                "\"yesterday\"",
                "\"\"",
                "null",
                "[]",
                "{}",
                "253402300800",
                "-62135596801",
                Long.toString(now.plusSeconds(7200).getEpochSecond()),
                "1e10",
                "99999999999999999999");
    }

    private String numberValue(SplittableRandom r) {
        return pick(
                r,
                "9223372036854775808",
                "-9223372036854775809",
                "1e309",
                "-1e309",
                "4.9e-325",
                "0.0000000000000000000001",
                "-0",
                "1" + "0".repeat(400),
                "0." + "0".repeat(400) + "1",
                "123456789012345678901234567890.123456789");
    }

    private String garbage(SplittableRandom r) {
        return pick(
                r,
                "{",
                "}",
                "{\"message\":",
                "{\"message\":\"unterminated",
                "{'single':'quotes'}",
                "{\"a\":1,}",
                "[1,2",
                "{\"a\":NaN}",
                "{\"a\":Infinity}",
                "{\"a\":01}",
                "{\"a\":.5}",
                "{\"a\":1}{\"b\":2}",
                "/* c */{}",
                "{\"a\":\"\\x\"}",
                "{\"a\":\"\\ud800\\u\"}",
                "\u0000\u0000\u0000",
                "<xml/>",
                "message=hi",
                "{\"message\":\"a\"}garbage");
    }

    private String transaction(SplittableRandom r) {
        double nowSeconds = now.getEpochSecond();
        String start = pick(
                r,
                Double.toString(nowSeconds - 1),
                Double.toString(nowSeconds + 7200),
                "-1",
                "1e300",
                "\"-999999999-01-01T00:00:00Z\"",
                "null");
        String end = pick(
                r,
                Double.toString(nowSeconds),
                Double.toString(nowSeconds + 7200),
                Double.toString(nowSeconds + 86400L * 365),
                "-1",
                "1e300",
                "\"x\"");
        return "{\"type\":\"transaction\",\"event_id\":\"" + hex(r, 32) + "\",\"transaction\":"
                + pick(r, "\"/booking\"", "\"\"", "null", "\"" + "t".repeat(5000) + "\"")
                + ",\"start_timestamp\":" + start + ",\"timestamp\":" + end
                + ",\"contexts\":{\"trace\":{\"trace_id\":\"" + hex(r, 32) + "\",\"span_id\":\"" + hex(r, 16)
                + "\",\"op\":\"http.server\",\"status\":"
                + pick(r, "\"ok\"", "\"internal_error\"", "1", "null") + "}},\"tags\":{\"workflow\":"
                + pick(r, "\"booking\"", "\"\"", "1") + "}"
                + pick(
                        r,
                        "",
                        ",\"spans\":[" + "{\"span_id\":\"1\"},".repeat(1000) + "{}]",
                        ",\"measurements\":{\"lcp\":{\"value\":1e999}}")
                + "}";
    }

    // ------------------------------------------------------------------ request shapes

    private Case nativeEventCase(
            SplittableRandom r, String family, String name, String id, Map<String, String> over, int secretsIn) {
        return ingest(
                r,
                family,
                name,
                "POST",
                nativePath(),
                bearer(headers("Content-Type", "application/json")),
                utf8(validEvent(r, id, secretsIn, over)),
                List.of(id));
    }

    private Case nativeRaw(SplittableRandom r, String family, String name, String json) {
        return ingest(
                r,
                family,
                name,
                "POST",
                nativePath(),
                bearer(headers("Content-Type", "application/json")),
                utf8(json),
                List.of());
    }

    private Case trafficCase(SplittableRandom r, String name, String json) {
        return ingest(
                r,
                "traffic",
                name,
                "POST",
                "/api/v1/projects/" + stack.projectId() + "/traffic",
                bearer(headers("Content-Type", pick(r, "application/json", "application/json", "text/plain"))),
                utf8(json),
                List.of());
    }

    private Case groupActionCase(SplittableRandom r, String family, String name, String body) {
        String group = r.nextInt(4) == 0 ? pick(r, "nope", "%00", "x".repeat(500)) : stack.groupId();
        return dashboard(
                r,
                family,
                name,
                "POST",
                "/api/v1/groups/" + group + "/actions",
                admin(headers("Content-Type", "application/json")),
                utf8(body));
    }

    private Case groupActionCase(SplittableRandom r, String family, String body) {
        return groupActionCase(r, family, "action", body);
    }

    private static String[] item(String type, String payload) {
        return new String[] {type, payload};
    }

    private Case envelopeCase(
            SplittableRandom r,
            String family,
            String name,
            List<String[]> items,
            List<String> ids,
            boolean wellFormed) {
        String dsn = "http://" + stack.projectKey() + "@127.0.0.1:"
                + stack.ports().get(Target.INGEST) + "/" + stack.projectId();
        String envelopeId = ids.isEmpty() ? hex(r, 32) : ids.get(0);
        StringBuilder b = new StringBuilder();
        int auth = r.nextInt(4);
        b.append("{\"event_id\":\"")
                .append(envelopeId)
                .append("\",\"sent_at\":\"")
                .append(now)
                .append('"');
        if (auth == 2) {
            b.append(",\"dsn\":\"").append(dsn).append('"');
        }
        b.append("}\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(utf8(b.toString()));
        for (String[] it : items) {
            byte[] payload = utf8(it[1]);
            String len;
            if (wellFormed) {
                len = r.nextBoolean() ? ",\"length\":" + payload.length : "";
            } else {
                len = ",\"length\":"
                        + pick(
                                r,
                                "-1",
                                "0",
                                "99999999",
                                "1e3",
                                "\"10\"",
                                Integer.toString(payload.length + 7),
                                "9223372036854775807");
            }
            out.writeBytes(utf8("{\"type\":" + SeededSecrets.quote(it[0]) + len + "}\n"));
            out.writeBytes(payload);
            out.writeBytes(utf8("\n"));
        }
        byte[] body = out.toByteArray();
        if (!wellFormed && r.nextBoolean()) {
            body = java.util.Arrays.copyOf(
                    body, Math.max(1, body.length - 1 - r.nextInt(Math.max(1, body.length / 2))));
        }
        String path = "/api/" + stack.projectId() + "/envelope/";
        Map<String, String> h = headers("Content-Type", "application/x-sentry-envelope");
        if (auth == 0) {
            sentryAuth(h);
        } else if (auth == 1) {
            path += "?sentry_key=" + stack.projectKey() + "&sentry_version=7&sentry_client=fuzz%2F1.0";
        }
        if (auth == 3 && r.nextBoolean()) {
            sentryAuth(h);
        }
        if (r.nextInt(5) == 0) {
            body = gzip(body);
            h.put("Content-Encoding", "gzip");
        }
        // an envelope without any key is refused; its ids are not expected then
        boolean authorized = auth != 3 || h.containsKey("X-Sentry-Auth");
        return ingest(r, family, name, "POST", path, h, body, authorized && wellFormed ? ids : List.of());
    }

    private Case bomb(SplittableRandom r, String encoding, int n) {
        Map<String, byte[]> made = bombs();
        byte[] body = made.get(encoding.startsWith("gzip,") ? "gzip-gzip" : encoding);
        boolean envelope = n % 2 == 1;
        Map<String, String> h = headers(
                "Content-Type",
                envelope ? "application/x-sentry-envelope" : "application/json",
                "Content-Encoding",
                encoding);
        String path = envelope ? "/api/" + stack.projectId() + "/envelope/" : nativePath();
        return ingest(
                r,
                "bomb",
                "bomb-150MB-" + encoding.replace(", ", "+") + "-" + n,
                "POST",
                path,
                envelope ? sentryAuth(h) : bearer(h),
                body,
                List.of());
    }

    /** 150 MB of one JSON string, compressed by each coding: made once per JVM. */
    static Map<String, byte[]> bombs() {
        Map<String, byte[]> b = bombs;
        if (b == null) {
            synchronized (HostileCorpus.class) {
                if (bombs == null) {
                    Map<String, byte[]> made = new LinkedHashMap<>();
                    made.put("gzip", gzipRepeat("{\"message\":\"", "a", 150_000_000, "\"}"));
                    made.put("gzip-gzip", gzip(made.get("gzip")));
                    ByteArrayOutputStream d = new ByteArrayOutputStream();
                    try (OutputStream out = new DeflaterOutputStream(d, new java.util.zip.Deflater(9))) {
                        repeat(out, "{\"message\":\"", "a", 150_000_000, "\"}");
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                    made.put("deflate", d.toByteArray());
                    ByteArrayOutputStream z = new ByteArrayOutputStream();
                    try (OutputStream out = new com.github.luben.zstd.ZstdOutputStreamNoFinalizer(z, 3)) {
                        repeat(out, "{\"message\":\"", "a", 150_000_000, "\"}");
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                    made.put("zstd", z.toByteArray());
                    made.put("br", brotliRepeat(150_000_000));
                    bombs = made;
                }
                b = bombs;
            }
        }
        return b;
    }

    private Case notHttp(SplittableRandom r, Target t, String name, byte[] bytes) {
        return new Case(
                index,
                "raw-protocol",
                name + "-" + t.name().toLowerCase(Locale.ROOT),
                t,
                bytes,
                0,
                null,
                List.of(),
                true);
    }

    private Case rawBytes(SplittableRandom r, Target t, String family, String name, byte[] bytes) {
        return new Case(index, family, name, t, bytes, 0, null, List.of(), false);
    }

    private Case slow(Case c) {
        // headers and the first bytes at once, then one byte every 500 ms for at most 20 s
        int headEnd = indexOf(c.bytes(), "\r\n\r\n") + 4;
        return new Case(
                c.index(),
                c.family(),
                c.name(),
                c.target(),
                c.bytes(),
                headEnd + 10,
                new RawHttp.Trickle(1, 500, 20_000),
                c.eventIds(),
                false);
    }

    private Case ingest(
            SplittableRandom r,
            String family,
            String name,
            String method,
            String path,
            Map<String, String> h,
            byte[] body,
            List<String> ids) {
        return direct(r, Target.INGEST, family, name, method, path, h, body, ids);
    }

    private Case dashboard(
            SplittableRandom r,
            String family,
            String name,
            String method,
            String path,
            Map<String, String> h,
            byte[] body) {
        return direct(r, Target.DASHBOARD, family, name, method, path, h, body, List.of());
    }

    private Case direct(
            SplittableRandom r,
            Target t,
            String family,
            String name,
            String method,
            String path,
            Map<String, String> h,
            byte[] body) {
        return direct(r, t, family, name, method, path, h, body, List.of());
    }

    private Case direct(
            SplittableRandom r,
            Target t,
            String family,
            String name,
            String method,
            String path,
            Map<String, String> h,
            byte[] body,
            List<String> ids) {
        byte[] bytes =
                RawHttp.request(method, path, "127.0.0.1:" + stack.ports().get(t), h, body);
        return new Case(index, family, name, t, bytes, 0, null, ids, false);
    }

    private String nativePath() {
        return "/api/v1/projects/" + stack.projectId() + "/events";
    }

    private Map<String, String> bearer(Map<String, String> h) {
        h.put("Authorization", "Bearer " + stack.projectKey());
        return h;
    }

    private Map<String, String> admin(Map<String, String> h) {
        h.put("Authorization", "Bearer " + stack.adminToken());
        return h;
    }

    private Map<String, String> sentryAuth(Map<String, String> h) {
        h.put("X-Sentry-Auth", "Sentry sentry_version=7, sentry_client=fuzz/1.0, sentry_key=" + stack.projectKey());
        return h;
    }

    private String query(SplittableRandom r) {
        if (r.nextInt(3) == 0) {
            return "";
        }
        List<String> params = new ArrayList<>();
        int n = 1 + r.nextInt(4);
        for (int i = 0; i < n; i++) {
            String name = pick(
                    r,
                    "project",
                    "limit",
                    "from",
                    "to",
                    "cursor",
                    "sort",
                    "status",
                    "severity",
                    "category",
                    "workflow",
                    "group",
                    "phase",
                    "trigger",
                    "x");
            String value = pick(
                    r,
                    stack.projectId(),
                    "-1",
                    "0",
                    "501",
                    "2147483648",
                    "99999999999999999999",
                    "%00",
                    "%zz",
                    "",
                    "-1000000000-01-01T00:00:00Z",
                    "%2B1000000000-01-01T00:00:00Z",
                    "2024-02-30T00:00:00Z",
                    "PT1H",
                    "x".repeat(5000),
                    "eyJ4IjoxfQ",
                    "%FF%FE",
                    "critical",
                    "unresolved",
                    "lastSeen",
                    "events",
                    "..%2F..",
                    "1%27%20OR%201%3D1--",
                    "NaN");
            params.add(name + "=" + value);
        }
        return "?" + String.join("&", params);
    }

    static Map<String, String> headers(String... kv) {
        Map<String, String> h = new LinkedHashMap<>();
        for (int i = 0; i + 1 < kv.length; i += 2) {
            h.put(kv[i], kv[i + 1]);
        }
        return h;
    }

    @SafeVarargs
    static <T> T pick(SplittableRandom r, T... options) {
        return options[r.nextInt(options.length)];
    }

    static String hex(SplittableRandom r, int n) {
        return SeededSecrets.chars(r, "0123456789abcdef", n);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] randomBytes(SplittableRandom r, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) r.nextInt(256);
        }
        return b;
    }

    private static byte[] invalidUtf8(SplittableRandom r) {
        byte[] bad = pick(
                r,
                new byte[] {(byte) 0xC0, (byte) 0x80},
                new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                new byte[] {(byte) 0xFF},
                new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
                new byte[] {(byte) 0xE2, (byte) 0x82});
        return concat(concat(utf8("{\"message\":\"bad "), bad), utf8(" utf8\"}"));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static byte[] gzip(byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(out)) {
            g.write(b);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    private static byte[] gzipRepeat(String head, String unit, int times, String tail) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(out, 64 * 1024)) {
            repeat(g, head, unit, times, tail);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    private static void repeat(OutputStream out, String head, String unit, int times, String tail) throws IOException {
        out.write(utf8(head));
        byte[] block = utf8(unit.repeat(64 * 1024));
        int units = 64 * 1024;
        int left = times;
        while (left >= units) {
            out.write(block);
            left -= units;
        }
        out.write(utf8(unit.repeat(left)));
        out.write(utf8(tail));
    }

    private static byte[] deflate(byte[] b, boolean raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DeflaterOutputStream d = new DeflaterOutputStream(out, new java.util.zip.Deflater(6, raw))) {
            d.write(b);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    private static byte[] brotli(byte[] b) {
        try {
            com.aayushatharva.brotli4j.Brotli4jLoader.ensureAvailability();
            return com.aayushatharva.brotli4j.encoder.Encoder.compress(b);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] brotliRepeat(int times) {
        com.aayushatharva.brotli4j.Brotli4jLoader.ensureAvailability();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream br = new com.aayushatharva.brotli4j.encoder.BrotliOutputStream(
                out, new com.aayushatharva.brotli4j.encoder.Encoder.Parameters().setQuality(4))) {
            repeat(br, "{\"message\":\"", "a", times, "\"}");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] b, String s) {
        byte[] n = utf8(s);
        outer:
        for (int i = 0; i <= b.length - n.length; i++) {
            for (int j = 0; j < n.length; j++) {
                if (b[i + j] != n[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    static byte[] http2Preface() {
        byte[] preface = utf8("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
        // an empty SETTINGS frame: length 0, type 4, flags 0, stream 0
        byte[] settings = {0, 0, 0, 4, 0, 0, 0, 0, 0};
        return concat(preface, settings);
    }

    /** A TLS 1.2 ClientHello record with one cipher suite and no extensions. */
    static byte[] tlsClientHello(SplittableRandom r) {
        ByteArrayOutputStream hello = new ByteArrayOutputStream();
        hello.write(3);
        hello.write(3); // client_version TLS 1.2
        hello.writeBytes(randomBytes(r, 32)); // random
        hello.write(0); // session id length
        hello.writeBytes(new byte[] {0, 2, (byte) 0xC0, 0x2F}); // one cipher suite
        hello.writeBytes(new byte[] {1, 0}); // compression: null
        byte[] body = hello.toByteArray();
        ByteArrayOutputStream handshake = new ByteArrayOutputStream();
        handshake.write(1); // ClientHello
        handshake.writeBytes(new byte[] {0, (byte) (body.length >> 8), (byte) body.length});
        handshake.writeBytes(body);
        byte[] hs = handshake.toByteArray();
        ByteArrayOutputStream record = new ByteArrayOutputStream();
        record.writeBytes(new byte[] {0x16, 3, 1, (byte) (hs.length >> 8), (byte) hs.length});
        record.writeBytes(hs);
        return record.toByteArray();
    }
}
