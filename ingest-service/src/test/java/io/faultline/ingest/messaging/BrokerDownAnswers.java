package io.faultline.ingest.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Posts to every intake path while the broker is away and checks that each answers 503 with
 * Retry-After before a Sentry SDK gives up on the request: the SDKs' read timeout is 5 s, so a
 * client that waits 5 s and no longer sees what an SDK sees. An answer it does not get in time is
 * an event the SDK counts as lost, the failure of issue #24 (a 50-event batch answered after 25 s).
 */
final class BrokerDownAnswers {

    private static final Logger LOG = Logger.getLogger(BrokerDownAnswers.class);
    /** The Sentry SDKs' default read timeout. */
    static final Duration SDK_READ_TIMEOUT = Duration.ofSeconds(5);

    private final URI base;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<String> wrong = new ArrayList<>();

    BrokerDownAnswers(URI base) {
        this.base = base;
    }

    /** Every path, batches of several sizes; the answers that were not a timely 503. */
    List<String> everyPath() {
        String auth = "Bearer test-project-key";
        String sentry = "Sentry sentry_version=7, sentry_key=test-project-key";
        post("single event", "/api/v1/projects/1/events", "application/json", event(), "Authorization", auth);
        for (int n : new int[] {3, 10, 50, 1_000}) {
            post(
                    "NDJSON batch of " + n,
                    "/api/v1/projects/1/events",
                    "application/x-ndjson",
                    (event() + "\n").repeat(n),
                    "Authorization",
                    auth);
        }
        String transaction = "{\"type\":\"transaction\",\"transaction\":\"GET /x\",\"start_timestamp\":"
                + (System.currentTimeMillis() / 1000.0 - 1) + ",\"timestamp\":" + System.currentTimeMillis() / 1000.0
                + "}";
        String session = "{\"sid\":\"s\",\"status\":\"exited\",\"started\":\"2026-01-01T00:00:00Z\"}";
        StringBuilder envelope = new StringBuilder("{}\n");
        for (int i = 0; i < 20; i++) {
            envelope.append("{\"type\":\"event\"}\n").append(event()).append('\n');
            envelope.append("{\"type\":\"transaction\"}\n").append(transaction).append('\n');
            envelope.append("{\"type\":\"session\"}\n").append(session).append('\n');
        }
        post(
                "envelope of 60 items",
                "/api/1/envelope/",
                "application/x-sentry-envelope",
                envelope.toString(),
                "X-Sentry-Auth",
                sentry);
        post("store: an event", "/api/1/store/", "application/json", event(), "X-Sentry-Auth", sentry);
        post("store: a transaction", "/api/1/store/", "application/json", transaction, "X-Sentry-Auth", sentry);
        post(
                "traffic",
                "/api/v1/projects/1/traffic",
                "application/json",
                "{\"workflow\":\"booking\",\"requests\":1}",
                "Authorization",
                auth);
        post(
                "admin: create a project",
                "/api/v1/admin/projects",
                "application/json",
                "{\"name\":\"outage\"}",
                "Authorization",
                "Bearer test-admin-token");
        return wrong;
    }

    private static String event() {
        return "{\"event_id\":\"" + UUID.randomUUID().toString().replace("-", "")
                + "\",\"level\":\"error\",\"message\":\"posted while the broker is down\"}";
    }

    private void post(String what, String path, String contentType, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(SDK_READ_TIMEOUT)
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        long started = System.nanoTime();
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            long ms = (System.nanoTime() - started) / 1_000_000;
            LOG.infof("broker down: %s answered %d after %d ms", what, response.statusCode(), ms);
            if (response.statusCode() != 503
                    || response.headers().firstValue("Retry-After").isEmpty()) {
                wrong.add(what + ": " + response.statusCode() + " " + response.body());
            }
        } catch (java.net.http.HttpTimeoutException e) {
            wrong.add(what + ": no answer within the SDK's " + SDK_READ_TIMEOUT.toSeconds() + " s read timeout");
        } catch (Exception e) {
            wrong.add(what + ": " + e);
        }
        assertThat(what).isNotBlank();
    }
}
