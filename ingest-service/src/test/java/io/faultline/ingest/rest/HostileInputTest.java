package io.faultline.ingest.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.faultline.devstack.quarkus.KafkaTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
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

    private HttpResponse<String> post(String path, byte[] body, String... headers) throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(base.resolve(path)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
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
