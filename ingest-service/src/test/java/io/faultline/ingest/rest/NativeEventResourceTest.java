package io.faultline.ingest.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;

import io.faultline.devstack.KafkaTestClient;
import io.faultline.devstack.quarkus.KafkaTestResource;
import io.faultline.schemas.ErrorEvent;
import io.faultline.schemas.topics.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import net.jpountz.lz4.LZ4Factory;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
class NativeEventResourceTest {

    private static final String PATH = "/api/v1/projects/1/events";

    @Test
    void storedEventIsOnTheRawTopicBeforeTheAnswer() {
        String eventId = UUID.randomUUID().toString().replace("-", "");
        String body =
                """
                {"event_id":"%s","level":"error","message":"booking failed",
                 "tags":{"workflow":"booking"},
                 "breadcrumbs":[{"type":"http","category":"fetch",
                   "data":{"url":"/api/slots?access_token=abc123secret","method":"GET","status_code":500,"ok":false}}],
                 "exception":{"values":[{"type":"java.sql.SQLException","value":"connection refused",
                   "stacktrace":{"frames":[{"module":"com.example.BookingService","function":"book","lineno":42,"in_app":true}]}}]}}
                """
                        .formatted(eventId);

        given().header("Authorization", "Bearer test-project-key")
                .contentType("application/json")
                .body(body)
                .post(PATH)
                .then()
                .statusCode(202)
                .body("id", is(eventId));

        // the broker is shared with other test classes: read until this event shows up
        List<ErrorEvent> stored = new KafkaTestClient(
                        ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class))
                        .readUntil(
                                Topics.EVENTS_RAW.name(),
                                records -> records.stream().anyMatch(r -> eventId.equals(RawTopic.eventId(r))),
                                Duration.ofSeconds(20))
                        .stream()
                        .filter(r -> eventId.equals(RawTopic.eventId(r)))
                        .peek(r -> assertThat(r.key())
                                .as("keyed by project: the classifier's partitioning")
                                .isEqualTo("1"))
                        .map(r -> Topics.EVENTS_RAW.valueSerde().deserializer().deserialize(r.topic(), r.value()))
                        .toList();
        assertThat(stored).anySatisfy(e -> {
            assertThat(e.getEventId()).isEqualTo(eventId);
            assertThat(e.getProjectId()).isEqualTo("1");
            assertThat(e.getTags()).containsEntry("workflow", "booking");
            assertThat(e.getExceptions().get(0).getType()).isEqualTo("java.sql.SQLException");
            assertThat(e.getExceptions().get(0).getFrames().get(0).getLineno()).isEqualTo(42);
            assertThat(e.getBreadcrumbs().get(0).getData())
                    .containsEntry("method", "GET")
                    .containsEntry("status_code", "500")
                    .containsEntry("ok", "false")
                    .hasEntrySatisfying("url", url -> assertThat(url)
                            .startsWith("/api/slots?access_token=")
                            .doesNotContain("abc123secret"));
        });
    }

    @Test
    void theProducerCompressesWithLz4sNativeBuild() {
        String eventId = UUID.randomUUID().toString().replace("-", "");
        given().header("Authorization", "Bearer test-project-key")
                .contentType("application/json")
                .body("{\"event_id\":\"%s\",\"message\":\"compressed\"}".formatted(eventId))
                .post(PATH)
                .then()
                .statusCode(202);

        // Kafka's lz4 codec asks fastestInstance(); under Quarkus's class loader that is the
        // pure-Java compressor unless the publisher loaded the native build
        assertThat(LZ4Factory.fastestInstance().fastCompressor().getClass().getSimpleName())
                .isEqualTo("LZ4JNICompressor");
        assertThat(RawTopic.event(eventId).getMessage()).isEqualTo("compressed");
    }

    @Test
    void missingOrWrongKeyIsUnauthorized() {
        given().contentType("application/json").body("{}").post(PATH).then().statusCode(401);
        given().header("Authorization", "Bearer nope")
                .contentType("application/json")
                .body("{}")
                .post(PATH)
                .then()
                .statusCode(401)
                .contentType("application/problem+json");
        given().header("Authorization", "Bearer test-project-key")
                .contentType("application/json")
                .body("{}")
                .post("/api/v1/projects/2/events")
                .then()
                .statusCode(401);
    }

    @Test
    void malformedJsonIsABadRequestWithAReason() {
        given().header("Authorization", "Bearer test-project-key")
                .contentType("application/json")
                .body("{\"message\": ")
                .post(PATH)
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", matchesPattern(".*malformed JSON.*"));
    }

    @Test
    void invalidFieldsAreListedByName() {
        given().header("Authorization", "Bearer test-project-key")
                .contentType("application/json")
                .body("{\"event_id\":\"xyz\",\"level\":\"loud\",\"tags\":5}")
                .post(PATH)
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("event_id"))
                .body("errors.field", hasItem("level"))
                .body("errors.field", hasItem("tags"));
    }

    @Test
    void healthAndMetricsAndOpenApiAreServed() {
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200);
        given().get("/q/openapi").then().statusCode(200);
    }
}
