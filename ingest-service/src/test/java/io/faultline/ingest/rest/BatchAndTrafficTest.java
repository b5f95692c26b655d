package io.faultline.ingest.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

import io.faultline.devstack.quarkus.KafkaTestResource;
import io.faultline.schemas.ErrorEvent;
import io.faultline.schemas.TrafficSample;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
class BatchAndTrafficTest {

    static final String KEY = "Bearer test-project-key";

    @Test
    void ndjsonBatchStoresValidLinesAndListsRefusedOnes() {
        String a = SentryResourceTest.id();
        String b = SentryResourceTest.id();
        String body = "{\"event_id\":\"" + a + "\",\"message\":\"first\"}\n"
                + "{\"message\": \n"
                + "{\"level\":\"loud\"}\n"
                + "\n"
                + "{\"event_id\":\"" + b + "\",\"message\":\"second\"}\n";
        given().header("Authorization", KEY)
                .contentType("application/x-ndjson")
                .body(body.getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/projects/1/events")
                .then()
                .statusCode(202)
                .body("ids", contains(a, b))
                .body("problems.line", contains(2, 3))
                .body("problems[1].errors.field", hasItem("level"));
        RawTopic.event(a);
        RawTopic.event(b);

        given().header("Authorization", KEY)
                .contentType("application/x-ndjson")
                .body("{\"level\":\"loud\"}\nnope\n".getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/projects/1/events")
                .then()
                .statusCode(400);
    }

    /** {@code n} lines of one small event each. */
    static String tinyEvents(int n) {
        return "{\"message\":\"m\"}\n".repeat(n);
    }

    static ValidatableResponse postBatch(String ndjson) {
        return given().header("Authorization", KEY)
                .contentType("application/x-ndjson")
                .body(ndjson.getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/projects/1/events")
                .then();
    }

    @Test
    void aBatchOfMoreThanTenThousandEventsIsRefusedWhole() {
        postBatch(tinyEvents(NativeEventResource.MAX_BATCH_EVENTS + 1))
                .statusCode(413)
                .body("detail", containsString("at most 10000 events"))
                .body("detail", containsString("line 10001"));
        // exactly the limit is a batch like any other
        postBatch(tinyEvents(NativeEventResource.MAX_BATCH_EVENTS))
                .statusCode(202)
                .body("ids.size()", is(NativeEventResource.MAX_BATCH_EVENTS));
    }

    @Test
    void nativeTrafficIsATrafficSample() {
        given().header("Authorization", KEY)
                .contentType("application/json")
                .body("{\"workflow\":\"booking-native\",\"requests\":1000,\"failed\":3,"
                        + "\"windowStart\":\"2026-11-30T03:00:00Z\",\"windowEnd\":\"2026-11-30T03:01:00Z\"}")
                .post("/api/v1/projects/1/traffic")
                .then()
                .statusCode(202);
        List<TrafficSample> samples =
                RawTopic.traffic(list -> list.stream().anyMatch(s -> "booking-native".equals(s.getWorkflow())));
        assertThat(samples).anySatisfy(s -> {
            assertThat(s.getWorkflow()).isEqualTo("booking-native");
            assertThat(s.getRequests()).isEqualTo(1000);
            assertThat(s.getFailed()).isEqualTo(3);
            assertThat(s.getWindowStart()).isEqualTo(Instant.parse("2026-11-30T03:00:00Z"));
            assertThat(s.getSource()).isEqualTo("native");
        });

        given().header("Authorization", KEY)
                .contentType("application/json")
                .body("{\"requests\":-1}")
                .post("/api/v1/projects/1/traffic")
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("workflow"))
                .body("errors.field", hasItem("requests"));
        given().contentType("application/json")
                .body("{}")
                .post("/api/v1/projects/1/traffic")
                .then()
                .statusCode(401);
    }

    @Test
    void aTrafficBodyIsReadOnlyForAKnownKeyOnlyWhenSmallAndCoversAtMostADay() {
        // a big JSON array is refused by its size, not parsed into a tree first
        String big = "[" + "1,".repeat(TrafficResource.MAX_SAMPLE_BYTES) + "1]";
        given().header("Authorization", KEY)
                .contentType("application/json")
                .body(big)
                .post("/api/v1/projects/1/traffic")
                .then()
                .statusCode(413)
                .body("detail", containsString("at most 65536 bytes"));
        given().contentType("application/json")
                .body(big)
                .post("/api/v1/projects/1/traffic")
                .then()
                .statusCode(401);
        given().header("Authorization", KEY)
                .contentType("application/json")
                .body("{\"workflow\":")
                .post("/api/v1/projects/1/traffic")
                .then()
                .statusCode(400)
                .body("detail", containsString("malformed JSON"));
        // a window reaching back years is refused with its field, not passed on
        given().header("Authorization", KEY)
                .contentType("application/json")
                .body("{\"workflow\":\"booking\",\"requests\":1000,\"windowStart\":\"1970-01-01T00:00:00Z\"}")
                .post("/api/v1/projects/1/traffic")
                .then()
                .statusCode(400)
                .body("errors[0].field", is("windowStart"))
                .body("errors[0].reason", containsString("more than 1 day"));
    }

    @Test
    void sentryTransactionsAndSessionsCountAsTraffic() {
        String transaction = "{\"type\":\"transaction\",\"transaction\":\"GET /checkout-tx\","
                + "\"start_timestamp\":1764471600.0,\"timestamp\":1764471600.5,"
                + "\"contexts\":{\"trace\":{\"status\":\"internal_error\"}}}";
        String sessions = "{\"aggregates\":[{\"started\":\"2026-11-30T03:00:00Z\",\"exited\":7,\"errored\":2,"
                + "\"crashed\":1}],\"attrs\":{\"release\":\"shop@9.9.9\"}}";
        String envelope =
                "{}\n{\"type\":\"transaction\"}\n" + transaction + "\n{\"type\":\"sessions\"}\n" + sessions + "\n";
        given().header("X-Sentry-Auth", SentryResourceTest.AUTH)
                .body(envelope.getBytes(StandardCharsets.UTF_8))
                .post("/api/1/envelope/")
                .then()
                .statusCode(200);
        List<TrafficSample> samples =
                RawTopic.traffic(list -> list.stream().anyMatch(s -> "GET /checkout-tx".equals(s.getTransaction()))
                        && list.stream().anyMatch(s -> "release:shop@9.9.9".equals(s.getWorkflow())));
        assertThat(samples).anySatisfy(s -> {
            assertThat(s.getTransaction()).isEqualTo("GET /checkout-tx");
            assertThat(s.getRequests()).isEqualTo(1);
            assertThat(s.getFailed()).isEqualTo(1);
            assertThat(s.getSource()).isEqualTo("sentry-transaction");
        });
        assertThat(samples).anySatisfy(s -> {
            assertThat(s.getWorkflow()).isEqualTo("release:shop@9.9.9");
            assertThat(s.getRequests()).isEqualTo(10);
            assertThat(s.getFailed()).isEqualTo(3);
            assertThat(s.getSource()).isEqualTo("sentry-session");
        });
        // a transaction is not an error: nothing for it on the raw events topic
        assertThat(RawTopic.events(list -> false).stream().map(e -> e.getTransaction()))
                .doesNotContain("GET /checkout-tx");
    }

    @Test
    void theLegacyStoreEndpointCountsATransactionAsTrafficAndStoresAnErrorEvent() {
        String transaction = "{\"type\":\"transaction\",\"transaction\":\"GET /store-tx\","
                + "\"start_timestamp\":1764471600.0,\"timestamp\":1764471600.5}";
        given().header("X-Sentry-Auth", SentryResourceTest.AUTH)
                .contentType("application/json")
                .body(transaction)
                .post("/api/1/store/")
                .then()
                .statusCode(200);
        String eventId = UUID.randomUUID().toString().replace("-", "");
        given().header("X-Sentry-Auth", SentryResourceTest.AUTH)
                .contentType("application/json")
                .body(
                        "{\"event_id\":\"" + eventId + "\",\"type\":\"error\",\"transaction\":\"GET /store-err\","
                                + "\"exception\":{\"values\":[{\"type\":\"IllegalStateException\",\"value\":\"token=abc123\"}]}}")
                .post("/api/1/store/")
                .then()
                .statusCode(200)
                .body("id", is(eventId));

        assertThat(RawTopic.traffic(list -> list.stream().anyMatch(s -> "GET /store-tx".equals(s.getTransaction()))))
                .anySatisfy(s -> {
                    assertThat(s.getTransaction()).isEqualTo("GET /store-tx");
                    assertThat(s.getSource()).isEqualTo("sentry-transaction");
                });
        // both keyed by project, so on one partition: a transaction stored as an error event
        // would be there before the error event posted after it
        List<ErrorEvent> events = RawTopic.events(
                list -> list.stream().anyMatch(e -> e.getEventId().equals(eventId)));
        assertThat(events).noneMatch(e -> "GET /store-tx".equals(e.getTransaction()));
        assertThat(events)
                .filteredOn(e -> e.getEventId().equals(eventId))
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.getSource()).isEqualTo("sentry-store");
                    assertThat(e.getTransaction()).isEqualTo("GET /store-err");
                    assertThat(e.getExceptions().get(0).getValue()).doesNotContain("abc123");
                });
    }
}
