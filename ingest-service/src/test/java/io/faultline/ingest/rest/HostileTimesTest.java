package io.faultline.ingest.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;

import io.faultline.devstack.quarkus.KafkaTestResource;
import io.faultline.schemas.ErrorEvent;
import io.faultline.schemas.TrafficSample;
import io.faultline.schemas.topics.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Times and texts an outside fuzzer sent (issue #19): one traffic sample dated {@code -1}, or a
 * Sentry transaction two hours ahead sent with nothing but the public key, became a record time
 * the broker refuses downstream and stopped classification. Every intake path must refuse such a
 * time with a 400 naming the field, or store the receive time instead; and what it stores must be
 * storable by every later stage.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
class HostileTimesTest {

    private static final String KEY = "Bearer test-project-key";
    /** The receive time may stand in for a client's: allow the default skew on top of it. */
    private static final Duration SKEW = Duration.ofSeconds(60);

    @Test
    void aNativeTrafficSampleOutOfTimeIsRefusedNamingTheField() {
        Instant now = Instant.now();
        String[][] cases = {
            {"\"windowEnd\":-1", "windowEnd"},
            {"\"windowEnd\":0", "windowEnd"},
            {"\"windowEnd\":" + now.plus(Duration.ofHours(2)).getEpochSecond(), "windowEnd"},
            {"\"windowEnd\":\"" + now.plus(Duration.ofHours(2)) + "\"", "windowEnd"},
            {"\"windowEnd\":\"+999999999-12-31T23:59:59Z\"", "windowEnd"},
            {"\"windowEnd\":1e300", "windowEnd"},
            {"\"windowEnd\":-1e300", "windowEnd"},
            {"\"windowStart\":\"-999999999-01-01T00:00:00Z\"", "windowStart"},
            {"\"windowStart\":-1", "windowStart"},
            {
                "\"windowStart\":\"" + now.minus(Duration.ofDays(400)) + "\",\"windowEnd\":\""
                        + now.minus(Duration.ofDays(399).plusHours(23)) + "\"",
                "windowEnd"
            },
        };
        for (String[] c : cases) {
            given().header("Authorization", KEY)
                    .contentType("application/json")
                    .body("{\"workflow\":\"booking\",\"requests\":1," + c[0] + "}")
                    .post("/api/v1/projects/1/traffic")
                    .then()
                    .statusCode(400)
                    .contentType(containsString("application/problem+json"))
                    .body("errors.field", hasItem(c[1]));
        }
        // a clock a few seconds ahead is no reason to refuse
        String workflow = "skew-" + UUID.randomUUID();
        given().header("Authorization", KEY)
                .contentType("application/json")
                .body("{\"workflow\":\"" + workflow + "\",\"requests\":1,\"windowEnd\":\""
                        + Instant.now().plusSeconds(20) + "\"}")
                .post("/api/v1/projects/1/traffic")
                .then()
                .statusCode(202);
    }

    @Test
    void aSentryTransactionTwoHoursAheadIsCountedAtTheReceiveTime() {
        String name = "GET /ahead-" + UUID.randomUUID();
        double ahead = Instant.now().plus(Duration.ofHours(2)).toEpochMilli() / 1000.0;
        String transaction = "{\"type\":\"transaction\",\"transaction\":\"" + name + "\",\"event_id\":\"x\\u0000y\","
                + "\"start_timestamp\":" + (ahead - 0.5) + ",\"timestamp\":" + ahead
                + ",\"tags\":{\"workflow\":\"wf\\u0000\"}}";
        String session = "{\"sid\":\"s\",\"status\":\"exited\",\"errors\":0,"
                + "\"started\":\"-999999999-01-01T00:00:00Z\",\"attrs\":{\"release\":\"" + name + "\"}}";
        String aggregates = "{\"aggregates\":[{\"started\":\"+999999999-12-31T23:59:59Z\",\"exited\":"
                + "99999999999999999999999,\"errored\":9223372036854775807,\"crashed\":9223372036854775807}],"
                + "\"attrs\":{\"release\":\"agg-" + name + "\"}}";
        String envelope = "{}\n{\"type\":\"transaction\"}\n" + transaction + "\n{\"type\":\"session\"}\n" + session
                + "\n{\"type\":\"sessions\"}\n" + aggregates + "\n";
        Instant before = Instant.now();
        // the public key alone, as a browser page holds it
        given().queryParam("sentry_key", "test-project-key")
                .body(envelope.getBytes(StandardCharsets.UTF_8))
                .post("/api/1/envelope/")
                .then()
                .statusCode(200);
        // the legacy store endpoint takes transactions too
        String stored = "{\"type\":\"transaction\",\"transaction\":\"store-" + name + "\",\"timestamp\":\""
                + Instant.now().plus(Duration.ofHours(2)) + "\",\"start_timestamp\":-1}";
        given().queryParam("sentry_key", "test-project-key")
                .contentType("application/json")
                .body(stored)
                .post("/api/1/store/")
                .then()
                .statusCode(200);
        Instant after = Instant.now();

        List<ConsumerRecord<String, byte[]>> records = RawTopic.client()
                .readUntil(
                        Topics.TRAFFIC.name(),
                        list -> samples(list).stream()
                                        .filter(s -> s.getSource().startsWith("sentry")
                                                && String.valueOf(s.getTransaction() + s.getWorkflow())
                                                        .contains(name))
                                        .count()
                                >= 4,
                        Duration.ofSeconds(20));
        List<TrafficSample> ours = samples(records).stream()
                .filter(s ->
                        String.valueOf(s.getTransaction() + s.getWorkflow()).contains(name))
                .toList();
        assertThat(ours).hasSize(4).allSatisfy(s -> {
            assertThat(s.getWindowEnd()).isBetween(before.minus(SKEW), after.plus(SKEW));
            assertThat(s.getWindowStart()).isBeforeOrEqualTo(s.getWindowEnd());
            assertThat(Duration.between(s.getWindowStart(), s.getWindowEnd())).isLessThanOrEqualTo(Duration.ofDays(1));
            assertThat(s.getRequests()).isPositive();
            assertThat(s.getFailed()).isBetween(0L, s.getRequests());
        });
        assertThat(ours)
                .filteredOn(s -> name.equals(s.getTransaction()))
                .singleElement()
                .satisfies(s -> {
                    assertThat(s.getWorkflow()).isEqualTo("wf\uFFFD");
                    assertThat(s.getSampleId()).doesNotContain("\u0000");
                });
        // the broker's record time is ingest's own clock, never a client's
        assertThat(records)
                .filteredOn(r -> samples(List.of(r)).get(0).getSampleId() != null
                        && ours.stream().anyMatch(s -> s.getSampleId()
                                .equals(samples(List.of(r)).get(0).getSampleId())))
                .isNotEmpty()
                .allSatisfy(
                        r -> assertThat(Instant.ofEpochMilli(r.timestamp())).isBetween(before, after.plusSeconds(5)));
    }

    @Test
    void anEventAheadWithANulAndAnOverflowingBreadcrumbIsStoredAtTheReceiveTime() {
        String id = SentryResourceTest.id();
        Instant before = Instant.now();
        given().header("Authorization", KEY)
                .contentType("application/json")
                .body("{\"event_id\":\"" + id + "\",\"timestamp\":\""
                        + Instant.now().plus(Duration.ofHours(2))
                        + "\",\"message\":\"nul\\u0000here\",\"release\":\"r\\u0000\",\"tags\":{\"k\\u0000\":\"v\"},"
                        + "\"exception\":{\"values\":[{\"type\":\"T\\u0000\\ud800\",\"value\":\"v\"}]},"
                        + "\"breadcrumbs\":[{\"timestamp\":\"-999999999-01-01T00:00:00Z\",\"message\":\"b\"}]}")
                .post("/api/v1/projects/1/events")
                .then()
                .statusCode(202);
        ErrorEvent e = RawTopic.event(id);
        assertThat(e.getTimestamp()).isEqualTo(e.getReceivedAt()).isBetween(before, Instant.now());
        assertThat(e.getContexts().get("ingest")).contains("future_timestamp");
        assertThat(e.getMessage()).isEqualTo("nul\uFFFDhere");
        assertThat(e.getRelease()).isEqualTo("r\uFFFD");
        assertThat(e.getTags()).containsEntry("k\uFFFD", "v");
        assertThat(e.getExceptions().get(0).getType()).isEqualTo("T\uFFFD\uFFFD");
        assertThat(e.getBreadcrumbs()).singleElement().satisfies(b -> assertThat(b.getTimestamp())
                .isNull());
    }

    private static List<TrafficSample> samples(List<ConsumerRecord<String, byte[]>> records) {
        return records.stream()
                .map(r -> Topics.TRAFFIC.valueSerde().deserializer().deserialize(r.topic(), r.value()))
                .toList();
    }
}
