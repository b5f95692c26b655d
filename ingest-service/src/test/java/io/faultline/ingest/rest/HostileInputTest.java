package io.faultline.ingest.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.aayushatharva.brotli4j.Brotli4jLoader;
import com.aayushatharva.brotli4j.encoder.BrotliOutputStream;
import com.aayushatharva.brotli4j.encoder.Encoder;
import com.github.luben.zstd.Zstd;
import io.faultline.devstack.quarkus.KafkaTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.DeflaterOutputStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Bodies no SDK would send: random bytes, truncated and corrupted envelopes, wrong encodings.
 * Every one must be refused with a 4xx and a reason, or stored; never a 5xx.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
class HostileInputTest {

    @TestHTTPResource("/")
    URI base;

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpRequest request(String path, byte[] body, String... headers) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(base.resolve(path)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return request.build();
    }

    private HttpResponse<String> post(String path, byte[] body, String... headers) throws Exception {
        return http.send(request(path, body, headers), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void tenThousandRandomBodiesAreRefusedWithAReasonNeverA5xx() throws Exception {
        Random random = new Random(20261130L); // fixed seed: a failure is reproducible
        byte[] valid = SentryResourceTest.envelope("0123456789abcdef0123456789abcdef", "")
                .getBytes(StandardCharsets.UTF_8);
        String[] encodings = {null, "gzip", "deflate", "br", "identity", "zstd"};
        String[] paths = {"/api/1/envelope/", "/api/1/store/", "/api/v1/projects/1/events"};
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            byte[] body;
            boolean pureNoise = i % 2 == 0;
            if (pureNoise) {
                body = new byte[1 + random.nextInt(600)];
                random.nextBytes(body);
            } else {
                // a real envelope, truncated and with a few bytes flipped
                body = Arrays.copyOf(valid, 1 + random.nextInt(valid.length));
                for (int f = random.nextInt(4); f > 0; f--) {
                    body[random.nextInt(body.length)] = (byte) random.nextInt(256);
                }
            }
            String path = paths[i % paths.length];
            String encoding = encodings[random.nextInt(encodings.length)];
            List<String> headers = path.startsWith("/api/v1/")
                    ? new ArrayList<>(List.of("Authorization", "Bearer test-project-key"))
                    : new ArrayList<>(List.of("X-Sentry-Auth", SentryResourceTest.AUTH));
            if (encoding != null) {
                headers.add("Content-Encoding");
                headers.add(encoding);
            }
            if (random.nextInt(4) == 0) {
                headers.add("Content-Type");
                headers.add(random.nextBoolean() ? "application/x-ndjson" : "text/plain; charset=latin1");
            }
            HttpResponse<String> response = post(path, body, headers.toArray(String[]::new));
            int status = response.statusCode();
            boolean ok = status < 500 && (status >= 400 ? response.body().contains("detail") : !pureNoise);
            if (!ok && failures.size() < 20) {
                failures.add(i + " " + path + " enc=" + encoding + " -> " + status + " " + response.body());
            }
        }
        assertThat(failures).isEmpty();
    }

    /** The native, batch, traffic and Sentry endpoints, each with its credentials; the body is one event. */
    private List<HttpResponse<String>> postEverywhere(String event) throws Exception {
        byte[] json = event.getBytes(StandardCharsets.UTF_8);
        String good = "{\"message\":\"a neighbour\"}";
        String envelope = "{}\n{\"type\":\"event\"}\n" + event + "\n";
        return List.of(
                post("/api/v1/projects/1/events", json, "Authorization", KEY, "Content-Type", "application/json"),
                post(
                        "/api/v1/projects/1/events",
                        (event + "\n" + good).getBytes(StandardCharsets.UTF_8),
                        "Authorization",
                        KEY,
                        "Content-Type",
                        "application/x-ndjson"),
                post("/api/v1/projects/1/traffic", json, "Authorization", KEY, "Content-Type", "application/json"),
                post(
                        "/api/1/envelope/",
                        envelope.getBytes(StandardCharsets.UTF_8),
                        "X-Sentry-Auth",
                        SentryResourceTest.AUTH),
                post("/api/1/store/", json, "X-Sentry-Auth", SentryResourceTest.AUTH),
                post(
                        "/api/v1/admin/projects",
                        json,
                        "Authorization",
                        AdminProjectResourceTest.ADMIN,
                        "Content-Type",
                        "application/json"));
    }

    private static final String KEY = "Bearer test-project-key";

    @Test
    void jacksonStreamLimitsAreA400NamingTheFieldAndTheLimitOnEveryEndpoint() throws Exception {
        // what Jackson's StreamReadConstraints refuse: nesting, number length, key length
        Map<String, String> limits = new LinkedHashMap<>();
        limits.put("[".repeat(1001), "nesting depth (1001) exceeds the maximum allowed (1000)");
        limits.put("{\"message\":\"m\",\"extra\":{\"n\":" + "7".repeat(1001) + "}}", "Number value length");
        limits.put("{\"message\":\"m\",\"extra\":{\"n\":0." + "7".repeat(1001) + "}}", "Number value length");
        limits.put("{\"message\":\"m\",\"extra\":{\"" + "k".repeat(50_001) + "\":1}}", "Name length");
        List<String> failures = new ArrayList<>();
        for (Map.Entry<String, String> limit : limits.entrySet()) {
            List<HttpResponse<String>> answers = postEverywhere(limit.getKey());
            for (int i = 0; i < answers.size(); i++) {
                HttpResponse<String> answer = answers.get(i);
                // the batch stores its good line and lists the refused one
                int expected = i == 1 ? 202 : 400;
                if (answer.statusCode() != expected
                        || !answer.body().contains(limit.getValue())
                        || answer.body().contains("StreamReadConstraints")) {
                    failures.add(answer.request().uri().getPath() + " " + limit.getValue() + " -> "
                            + answer.statusCode() + " " + abbreviate(answer.body()));
                }
            }
        }
        assertThat(failures).isEmpty();
        // the problem names the field where the limit was met
        HttpResponse<String> number = post(
                "/api/v1/projects/1/events",
                ("{\"message\":\"m\",\"extra\":{\"n\":" + "7".repeat(1001) + "}}").getBytes(StandardCharsets.UTF_8),
                "Authorization",
                KEY);
        assertThat(number.body()).contains("\"field\":\"/extra/n\"");
    }

    @Test
    void aStringPastJacksonsLengthLimitIsA400OrA413NeverA5xx() throws Exception {
        // 20,000,001 characters: under the 20 MB wire limit, past Jackson's string length limit
        String huge = "s".repeat(20_000_001);
        HttpResponse<String> admin = post(
                "/api/v1/admin/projects",
                ("{\"name\":\"" + huge + "\"}").getBytes(StandardCharsets.UTF_8),
                "Authorization",
                AdminProjectResourceTest.ADMIN,
                "Content-Type",
                "application/json");
        assertThat(admin.statusCode()).as(abbreviate(admin.body())).isEqualTo(400);
        assertThat(admin.body()).contains("String value length", "\"field\":\"/name\"");
        // an envelope's item header is read before any size limit applies; compressed on the wire
        byte[] envelope = BodyDecoderTest.gzip(
                ("{}\n{\"type\":\"event\",\"x\":\"" + huge + "\"}\n{}\n").getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> header = post(
                "/api/1/envelope/", envelope, "X-Sentry-Auth", SentryResourceTest.AUTH, "Content-Encoding", "gzip");
        assertThat(header.statusCode()).as(abbreviate(header.body())).isEqualTo(400);
        assertThat(header.body()).contains("String value length");
        byte[] event = BodyDecoderTest.gzip(("{\"message\":\"" + huge + "\"}").getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> nativeEvent =
                post("/api/v1/projects/1/events", event, "Authorization", KEY, "Content-Encoding", "gzip");
        assertThat(nativeEvent.statusCode()).as(abbreviate(nativeEvent.body())).isEqualTo(413);
    }

    @Test
    void aNativeEventOverOneMegabyteIsA413WithTheReason() throws Exception {
        // Sentry's limit per event, as the batch lines, the store endpoint and envelope items have it
        byte[] event = ("{\"message\":\"" + "x".repeat(1_100_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> answer =
                post("/api/v1/projects/1/events", event, "Authorization", KEY, "Content-Type", "application/json");
        assertThat(answer.statusCode()).as(abbreviate(answer.body())).isEqualTo(413);
        assertThat(answer.body()).contains("1 MB limit per event");

        // under 1 MB as JSON, past it once scrubbed: each "password=a" becomes "password=[Filtered]"
        byte[] grows = ("{\"message\":\"" + "password=a ".repeat(85_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        assertThat(grows.length).isLessThan(1024 * 1024);
        for (String[] endpoint : new String[][] {
            {"/api/v1/projects/1/events", "Authorization", KEY},
            {"/api/1/store/", "X-Sentry-Auth", SentryResourceTest.AUTH}
        }) {
            HttpResponse<String> scrubbed = post(endpoint[0], grows, endpoint[1], endpoint[2]);
            assertThat(scrubbed.statusCode()).as(abbreviate(scrubbed.body())).isEqualTo(413);
            assertThat(scrubbed.body()).contains("once mapped and scrubbed, past the 1 MB limit per event");
        }
    }

    @Test
    void numbersPastEveryRangeAndValuesJustInsideTheNestingLimitAreStoredOrRefusedNeverA5xx() throws Exception {
        List<String> events = List.of(
                "{\"message\":\"m\",\"exception\":{\"values\":[{\"type\":\"E\",\"value\":\"v\",\"stacktrace\":"
                        + "{\"frames\":[{\"function\":\"f\",\"lineno\":99999999999999999999,\"colno\":1e400}]}}]}}",
                "{\"message\":\"m\",\"level\":1e400,\"logger\":-1e400}",
                "{\"message\":\"m\",\"extra\":{\"big\":1e400,\"neg\":-1e400,\"long\":123456789012345678901234567890}}",
                "{\"message\":\"m\",\"breadcrumbs\":[{\"timestamp\":1e30,\"message\":\"b\"}],\"tags\":{\"n\":1e400}}");
        List<String> failures = new ArrayList<>();
        for (String event : events) {
            for (HttpResponse<String> answer : postEverywhere(event)) {
                int status = answer.statusCode();
                if (status >= 500 || status >= 400 && !answer.body().contains("detail")) {
                    failures.add(answer.request().uri().getPath() + " " + event + " -> " + status + " "
                            + abbreviate(answer.body()));
                }
            }
        }
        // just inside the nesting limit, under every field that takes free-form JSON: mapped and
        // scrubbed without running out of stack
        String deep = "[".repeat(990) + "]".repeat(990);
        for (String field : List.of("extra", "contexts", "tags", "request")) {
            String event = "{\"message\":\"m\",\"" + field + "\":{\"data\":" + deep + "}}";
            for (HttpResponse<String> answer : postEverywhere(event)) {
                if (answer.statusCode() >= 500) {
                    failures.add(answer.request().uri().getPath() + " deep " + field + " -> " + answer.statusCode()
                            + " " + abbreviate(answer.body()));
                }
            }
        }
        String sessions = "{}\n{\"type\":\"sessions\"}\n{\"attrs\":{\"release\":\"r\"},\"aggregates\":"
                + "[{\"started\":\"2026-12-06T00:00:00Z\",\"exited\":9223372036854775807,"
                + "\"errored\":9223372036854775807,\"crashed\":1e400}]}\n";
        HttpResponse<String> answer = post(
                "/api/1/envelope/",
                sessions.getBytes(StandardCharsets.UTF_8),
                "X-Sentry-Auth",
                SentryResourceTest.AUTH);
        if (answer.statusCode() >= 500) {
            failures.add("sessions -> " + answer.statusCode() + " " + abbreviate(answer.body()));
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void afterEveryHostileClassTheBufferBudgetIsBackToZero() throws Exception {
        List<String> failures = new ArrayList<>();
        // four bombs at once, 150 MB of zeros each once inflated: each stops at the 100 MB cap
        // (or, while the others hold the budget, is told to retry)
        byte[] gzipBomb = BodyDecoderTest.gzippedZeros(150);
        List<CompletableFuture<HttpResponse<String>>> bombs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            bombs.add(http.sendAsync(
                    request(
                            "/api/1/envelope/",
                            gzipBomb,
                            "X-Sentry-Auth",
                            SentryResourceTest.AUTH,
                            "Content-Encoding",
                            "gzip"),
                    HttpResponse.BodyHandlers.ofString()));
        }
        for (CompletableFuture<HttpResponse<String>> bomb : bombs) {
            HttpResponse<String> answer = bomb.get(2, TimeUnit.MINUTES);
            if (!(answer.statusCode() == 413 && answer.body().contains("decompressed body exceeds 100 MB")
                    || answer.statusCode() == 503)) {
                failures.add("gzip bomb -> " + answer.statusCode() + " " + abbreviate(answer.body()));
            }
        }
        Map<String, byte[]> otherBombs = new LinkedHashMap<>();
        otherBombs.put("deflate", BodyDecoderTest.compressedZeros(150, DeflaterOutputStream::new));
        Brotli4jLoader.ensureAvailability();
        Encoder.Parameters fast = new Encoder.Parameters().setQuality(1);
        otherBombs.put("br", BodyDecoderTest.compressedZeros(150, out -> new BrotliOutputStream(out, fast)));
        otherBombs.put("zstd", Zstd.compress(new byte[150 << 20]));
        for (Map.Entry<String, byte[]> bomb : otherBombs.entrySet()) {
            HttpResponse<String> answer = post(
                    "/api/v1/projects/1/events",
                    bomb.getValue(),
                    "Authorization",
                    KEY,
                    "Content-Type",
                    "application/x-ndjson",
                    "Content-Encoding",
                    bomb.getKey());
            if (answer.statusCode() != 413 || !answer.body().contains("decompressed body exceeds 100 MB")) {
                failures.add(bomb.getKey() + " bomb -> " + answer.statusCode() + " " + abbreviate(answer.body()));
            }
        }
        // past Jackson's limits, over 1 MB per event, not HTTP/1.1 at all
        int nested = post(
                        "/api/v1/projects/1/events",
                        "[".repeat(1001).getBytes(StandardCharsets.UTF_8),
                        "Authorization",
                        KEY)
                .statusCode();
        int oversize = post(
                        "/api/v1/projects/1/events",
                        ("{\"message\":\"" + "x".repeat(1_100_000) + "\"}").getBytes(StandardCharsets.UTF_8),
                        "Authorization",
                        KEY)
                .statusCode();
        assertThat(List.of(nested, oversize)).containsExactly(400, 413);
        assertThat(PlainPortTest.exchange(base, PlainPortTest.BAD_CHUNK)).startsWith("HTTP/1.1 400");
        PlainPortTest.exchange(base, PlainPortTest.HTTP2_PREFACE);
        PlainPortTest.exchange(base, PlainPortTest.clientHello());
        assertThat(failures).isEmpty();

        // every request gave back what it held, and the ingest takes a large body again
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() ->
                        metric("faultline_ingest_buffered_bytes") == 0 && metric("faultline_ingest_in_flight") == 0);
        byte[] large =
                BodyDecoderTest.gzip(BatchAndTrafficTest.tinyEvents(5_000).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> batch = post(
                "/api/v1/projects/1/events",
                large,
                "Authorization",
                KEY,
                "Content-Type",
                "application/x-ndjson",
                "Content-Encoding",
                "gzip");
        assertThat(batch.statusCode()).as(abbreviate(batch.body())).isEqualTo(202);
    }

    private double metric(String series) throws Exception {
        HttpResponse<String> metrics = http.send(
                HttpRequest.newBuilder(base.resolve("/q/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        Matcher m = Pattern.compile("(?m)^" + series + " (\\S+)$").matcher(metrics.body());
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }

    private static String abbreviate(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "...";
    }

    @Test
    void wrongKeysAndOversizeBodies() throws Exception {
        byte[] envelope =
                SentryResourceTest.envelope(SentryResourceTest.id(), "").getBytes(StandardCharsets.UTF_8);
        assertThat(post("/api/1/envelope/", envelope, "X-Sentry-Auth", "Sentry sentry_key=")
                        .statusCode())
                .isEqualTo(401);
        assertThat(post("/api/1/envelope/", envelope, "X-Sentry-Auth", "garbage")
                        .statusCode())
                .isEqualTo(401);
        assertThat(post("/api/abc/envelope/", envelope, "X-Sentry-Auth", SentryResourceTest.AUTH)
                        .statusCode())
                .isEqualTo(403);
        // over the 20 MB wire limit
        byte[] huge = new byte[21 * 1024 * 1024];
        Arrays.fill(huge, (byte) 'x');
        int status;
        try {
            status = post("/api/1/envelope/", huge, "X-Sentry-Auth", SentryResourceTest.AUTH)
                    .statusCode();
        } catch (java.io.IOException e) {
            status = 413; // the server may close the connection once it has answered 413
        }
        assertThat(status).isEqualTo(413);
    }
}
