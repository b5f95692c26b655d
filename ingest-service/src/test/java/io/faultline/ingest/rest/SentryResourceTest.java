package io.faultline.ingest.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import com.aayushatharva.brotli4j.Brotli4jLoader;
import com.aayushatharva.brotli4j.encoder.Encoder;
import com.github.luben.zstd.Zstd;
import io.faultline.devstack.quarkus.KafkaTestResource;
import io.faultline.schemas.ErrorEvent;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
class SentryResourceTest {

    static final String AUTH = "Sentry sentry_version=7, sentry_client=sentry.java/8.0.0, sentry_key=test-project-key";
    static final String ENVELOPE = "/api/1/envelope/";

    @TestHTTPResource("/")
    URI base;

    static String id() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    static String envelope(String eventId, String extraItems) {
        String event =
                """
                {"event_id":"%s","level":"error","platform":"java","tags":{"workflow":"checkout"},
                 "user":{"id":"u-1"},
                 "exception":{"values":[{"type":"java.lang.IllegalStateException","value":"boom",
                   "stacktrace":{"frames":[{"module":"com.example.Checkout","function":"pay","lineno":7}]}}]}}"""
                        .replace("\n", "")
                        .formatted(eventId);
        return "{\"event_id\":\"" + eventId + "\",\"sent_at\":\"2026-11-30T03:00:00Z\"}\n"
                + extraItems
                + "{\"type\":\"event\",\"length\":" + event.getBytes(StandardCharsets.UTF_8).length + "}\n"
                + event + "\n";
    }

    @Test
    void envelopeEventIsStoredAndAnsweredWithItsId() {
        String eventId = id();
        given().header("X-Sentry-Auth", AUTH)
                .contentType("application/x-sentry-envelope")
                .body(envelope(
                                eventId,
                                "{\"type\":\"attachment\",\"length\":3,\"filename\":\"a\"}\nabc\n"
                                        + "{\"type\":\"client_report\"}\n{\"discarded_events\":[]}\n"
                                        + "{\"type\":\"some_future_type\"}\n{}\n")
                        .getBytes(StandardCharsets.UTF_8))
                .post(ENVELOPE)
                .then()
                .statusCode(200)
                .body("id", is(eventId));
        ErrorEvent stored = RawTopic.event(eventId);
        assertThat(stored.getSource()).isEqualTo("sentry-envelope");
        assertThat(stored.getExceptions().get(0).getType()).isEqualTo("java.lang.IllegalStateException");
        assertThat(stored.getTags()).containsEntry("workflow", "checkout");
        String metrics = given().get("/q/metrics").asString();
        assertThat(metrics)
                .containsPattern("faultline_ingest_items_total\\{.*outcome=\"dropped\".*type=\"attachment\"");
        assertThat(metrics)
                .containsPattern("faultline_ingest_items_total\\{.*outcome=\"unknown-type\".*type=\"other\"");
        assertThat(metrics).containsPattern("faultline_ingest_ack_seconds_bucket\\{.*project=\"1\"");
        assertThat(metrics)
                .containsPattern("faultline_ingest_accepted_total\\{.*project=\"1\".*source=\"sentry-envelope\"");
        assertThat(metrics)
                .containsPattern("faultline_ingest_bytes_in_total\\{.*project=\"1\".*source=\"sentry-envelope\"");
    }

    @Test
    void anEnvelopeWithOneInvalidEventItemStoresNoneOfItsEvents() {
        String valid = id();
        String bad = "{\"event_id\":\"" + id() + "\",\"level\":42}";
        String body = envelope(valid, "")
                + "{\"type\":\"event\",\"length\":" + bad.getBytes(StandardCharsets.UTF_8).length + "}\n"
                + bad + "\n";
        given().header("X-Sentry-Auth", AUTH)
                .body(body.getBytes(StandardCharsets.UTF_8))
                .post(ENVELOPE)
                .then()
                .statusCode(400)
                .body("errors.field", org.hamcrest.Matchers.hasItem("level"));

        // a later event on the same topic marks how far to read: the valid item is not before it
        String marker = id();
        given().header("X-Sentry-Auth", AUTH)
                .body(envelope(marker, "").getBytes(StandardCharsets.UTF_8))
                .post(ENVELOPE)
                .then()
                .statusCode(200);
        List<ErrorEvent> stored = RawTopic.events(
                events -> events.stream().anyMatch(e -> e.getEventId().equals(marker)));
        assertThat(stored).extracting(ErrorEvent::getEventId).doesNotContain(valid);
    }

    @Test
    void compressedEnvelopesWithKeyInQueryOrDsn() throws Exception {
        String gz = id();
        given().queryParam("sentry_key", "test-project-key")
                .header("Content-Encoding", "gzip")
                .body(BodyDecoderTest.gzip(envelope(gz, "").getBytes(StandardCharsets.UTF_8)))
                .post(ENVELOPE)
                .then()
                .statusCode(200)
                .body("id", is(gz));
        RawTopic.event(gz);

        String br = id();
        Brotli4jLoader.ensureAvailability();
        String withDsn = envelope(br, "").replaceFirst("\\{", "{\"dsn\":\"http://test-project-key@localhost:1/1\",");
        given().header("Content-Encoding", "br")
                .body(Encoder.compress(withDsn.getBytes(StandardCharsets.UTF_8)))
                .post(ENVELOPE)
                .then()
                .statusCode(200)
                .body("id", is(br));
        RawTopic.event(br);

        String deflated = id();
        given().header("X-Sentry-Auth", AUTH)
                .header("Content-Encoding", "deflate")
                .body(BodyDecoderTest.deflate(envelope(deflated, "").getBytes(StandardCharsets.UTF_8), false))
                .post("/api/1/envelope")
                .then()
                .statusCode(200)
                .body("id", is(deflated));
        RawTopic.event(deflated);

        String zstd = id();
        given().header("X-Sentry-Auth", AUTH)
                .header("Content-Encoding", "zstd")
                .body(Zstd.compress(envelope(zstd, "").getBytes(StandardCharsets.UTF_8)))
                .post(ENVELOPE)
                .then()
                .statusCode(200)
                .body("id", is(zstd));
        RawTopic.event(zstd);
    }

    @Test
    void chunkedBodyIsRead() throws Exception {
        String eventId = id();
        byte[] body = envelope(eventId, "").getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(base.resolve(ENVELOPE))
                .header("X-Sentry-Auth", AUTH)
                // an InputStream publisher has no length: the client sends Transfer-Encoding: chunked
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
                .build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains(eventId);
    }

    @Test
    void legacyStoreEndpoint() {
        String eventId = id();
        given().header("X-Sentry-Auth", AUTH)
                .contentType("application/json")
                .body("{\"event_id\":\"" + eventId + "\",\"message\":\"stored the old way\"}")
                .post("/api/1/store/")
                .then()
                .statusCode(200)
                .body("id", is(eventId));
        assertThat(RawTopic.event(eventId).getSource()).isEqualTo("sentry-store");
    }

    @Test
    void credentialsAreRequiredAndMustAgree() {
        String body = envelope(id(), "");
        given().body(body).post(ENVELOPE).then().statusCode(401).body("detail", containsString("X-Sentry-Auth"));
        given().header("X-Sentry-Auth", "Sentry sentry_key=wrong")
                .body(body)
                .post(ENVELOPE)
                .then()
                .statusCode(403);
        given().header("X-Sentry-Auth", AUTH)
                .queryParam("sentry_key", "other")
                .body(body)
                .post(ENVELOPE)
                .then()
                .statusCode(400)
                .body("detail", containsString("multiple authorization"));
        given().header("X-Sentry-Auth", AUTH)
                .body(body)
                .post("/api/2/envelope/")
                .then()
                .statusCode(403);
        given().header("X-Sentry-Auth", AUTH)
                .body("{}")
                .post("/api/1/store/")
                .then()
                .statusCode(200);
        given().body("{}").post("/api/1/store/").then().statusCode(401);
        given().body("{}").post("/api/123456/store/").then().statusCode(401);
        // an envelope is read before its credentials are known (they may be in its header): the
        // client-chosen project id of a refused one must not become a metric series either
        given().body(body).post("/api/654321/envelope/").then().statusCode(401);
        given().header("X-Sentry-Auth", AUTH)
                .body(body)
                .post("/api/765432/envelope/")
                .then()
                .statusCode(403);
        String metrics = given().get("/q/metrics").asString();
        assertThat(metrics)
                .containsPattern(
                        "faultline_ingest_requests_refused_total\\{.*project=\"1\".*reason=\"unauthorized\".*status=\"401\"");
        assertThat(metrics).containsPattern("faultline_ingest_requests_refused_total\\{.*project=\"unknown\"");
        assertThat(metrics).doesNotContain("project=\"123456\"");
        assertThat(metrics)
                .containsPattern("faultline_ingest_bytes_in_total\\{.*project=\"unknown\".*source=\"sentry-envelope\"");
        assertThat(metrics).doesNotContain("project=\"654321\"");
        assertThat(metrics).doesNotContain("project=\"765432\"");
    }

    @Test
    void limitsAreSentrys() throws Exception {
        String big = "x".repeat(1024 * 1024 + 10);
        String envelope = "{}\n{\"type\":\"event\"}\n{\"message\":\"" + big + "\"}\n";
        given().header("X-Sentry-Auth", AUTH)
                .body(envelope)
                .post(ENVELOPE)
                .then()
                .statusCode(413)
                .body("detail", containsString("1 MB"));

        ByteArrayOutputStream bomb = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bomb)) {
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 200; i++) {
                gz.write(zeros);
            }
        }
        given().header("X-Sentry-Auth", AUTH)
                .header("Content-Encoding", "gzip")
                .body(bomb.toByteArray())
                .post(ENVELOPE)
                .then()
                .statusCode(413)
                .body("detail", containsString("100 MB"));
    }

    @Test
    void malformedEnvelopesAreBadRequests() {
        given().header("X-Sentry-Auth", AUTH)
                .body("{}\n{\"type\":\"event\",\"length\":500}\n{}")
                .post(ENVELOPE)
                .then()
                .statusCode(400)
                .body("detail", containsString("truncated"));
        given().header("X-Sentry-Auth", AUTH)
                .body("{}\n{\"type\":\"event\"}\n{\"message\": \n")
                .post(ENVELOPE)
                .then()
                .statusCode(400)
                .body("detail", containsString("not valid JSON"));
        given().header("X-Sentry-Auth", AUTH)
                .header("Content-Encoding", "gzip")
                .body("not gzip")
                .post(ENVELOPE)
                .then()
                .statusCode(400);
    }
}
