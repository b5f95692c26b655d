package io.faultline.classifier.streams;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

import io.faultline.devstack.KafkaTestClient;
import io.faultline.devstack.quarkus.KafkaTestResource;
import io.faultline.schemas.ClassifiedError;
import io.faultline.schemas.ErrorEvent;
import io.faultline.schemas.TrafficSample;
import io.faultline.schemas.topics.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.KafkaStreams;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * Records that once stopped classification for good, written straight to the topics as another
 * producer (or an old intake, or a hand) could: traffic whose window ends before 1970 or two hours
 * ahead (the broker refuses such record timestamps: 1 h ahead at most by default), an event dated
 * two hours ahead, bytes that are no event, tombstones, an event whose classified record would be
 * larger than the broker takes, bytes on a repartition topic that Kafka Streams cannot deserialize.
 * Each goes to its dead-letter topic with a reason, or is classified at the time it was received;
 * the event after them is classified, and the streams client stays
 * RUNNING and ready. Its own profile: its own broker and application, apart from the test that
 * restarts the streams.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = true)
@TestProfile(PoisonRecordTest.OwnBroker.class)
class PoisonRecordTest {

    public static class OwnBroker implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("kafka-streams.state.dir", "target/kafka-streams-state-poison");
        }
    }

    private static final Duration DEADLINE = Duration.ofSeconds(90);
    /** What the topics take at most (the producer's max.request.size, the broker's message.max.bytes). */
    private static final int BROKER_LIMIT = 1024 * 1024;

    private final KafkaTestClient kafka =
            new KafkaTestClient(ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));

    @Inject
    KafkaStreams streams;

    @Test
    void poisonRecordsAreDeadLetteredAndTheNextEventIsStillClassified() {
        // the repartition topics exist once the client runs
        Awaitility.await().atMost(DEADLINE).until(() -> streams.state() == KafkaStreams.State.RUNNING);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        // only another application or a hand writes there; Kafka Streams deserializes it itself
        kafka.produce(
                ConfigProvider.getConfig().getValue("quarkus.kafka-streams.application-id", String.class) + "-"
                        + ClassifierTopology.RESOLUTIONS_BY_PROJECT_REPARTITION + "-repartition",
                "1",
                "not a resolution".getBytes(StandardCharsets.UTF_8));
        traffic("before-1970", Instant.ofEpochMilli(-1));
        traffic("two-hours-ahead", now.plus(Duration.ofHours(2)));
        kafka.produce(Topics.TRAFFIC.name(), "1/booking", null);
        event(ClassifierTopologyTest.sqlError("a".repeat(32), 10, now.plus(Duration.ofHours(2))));
        kafka.produce(Topics.EVENTS_RAW.name(), "1", "not an event".getBytes(StandardCharsets.UTF_8));
        kafka.produce(Topics.EVENTS_RAW.name(), "1", null);
        event(tooLargeOnceClassified("b".repeat(32), now));
        event(ClassifierTopologyTest.sqlError("c".repeat(32), 11, now));

        List<ClassifiedError> classified = kafka
                .readUntil(
                        Topics.ERRORS_CLASSIFIED.name(),
                        r -> r.stream().anyMatch(c -> eventId(c).equals("c".repeat(32))),
                        DEADLINE)
                .stream()
                .map(r -> Topics.ERRORS_CLASSIFIED.valueSerde().deserializer().deserialize("t", r.value()))
                .toList();
        // the event dated ahead is classified too, and keeps the time its sender gave it
        assertThat(classified)
                .extracting(c -> c.getEvent().getEventId())
                .containsExactlyInAnyOrder("a".repeat(32), "c".repeat(32));
        assertThat(classified.get(0).getEvent().getTimestamp()).isEqualTo(now.plus(Duration.ofHours(2)));

        assertThat(reasons(Topics.TRAFFIC_DLQ.name(), 3))
                .hasSize(3)
                .anySatisfy(r -> assertThat(r).contains("windowEnd").contains("1969-12-31T23:59:59.999Z"))
                .anySatisfy(r -> assertThat(r)
                        .contains("windowEnd")
                        .contains(now.plus(Duration.ofHours(2)).toString()))
                .anySatisfy(r -> assertThat(r).isEqualTo("empty value"));
        assertThat(reasons(Topics.EVENTS_RAW_DLQ.name(), 3))
                .hasSize(3)
                .anySatisfy(r -> assertThat(r).startsWith("decode:"))
                .anySatisfy(r -> assertThat(r).isEqualTo("empty value"))
                .anySatisfy(r -> assertThat(r).contains("too large"));

        assertThat(reasons(Topics.RESOLUTIONS_DLQ.name(), 1)).singleElement().satisfies(r -> assertThat(r)
                .startsWith("deserialize:"));

        assertThat(streams.state()).isEqualTo(KafkaStreams.State.RUNNING);
        given().get("/q/health/ready").then().statusCode(200).body("status", is("UP"));
        given().get("/q/health/live").then().statusCode(200).body("status", is("UP"));

        // a client whose threads stopped is neither ready nor live, so it is restarted
        streams.close(Duration.ofSeconds(30));
        given().get("/q/health/ready").then().statusCode(503).body("status", is("DOWN"));
        given().get("/q/health/live").then().statusCode(503).body("status", is("DOWN"));
    }

    private void traffic(String id, Instant windowEnd) {
        TrafficSample sample = TrafficSample.newBuilder()
                .setSampleId(id)
                .setProjectId("1")
                .setWorkflow("booking")
                .setWindowStart(windowEnd.minusSeconds(60))
                .setWindowEnd(windowEnd)
                .setRequests(1)
                .build();
        kafka.produce(
                Topics.TRAFFIC.name(),
                "1/booking",
                Topics.TRAFFIC.valueSerde().serializer().serialize("t", sample));
    }

    private void event(ErrorEvent event) {
        kafka.produce(
                Topics.EVENTS_RAW.name(),
                event.getProjectId(),
                Topics.EVENTS_RAW.valueSerde().serializer().serialize("t", event));
    }

    /** An event the broker takes, whose classified record (the event plus its group) it would not. */
    private static ErrorEvent tooLargeOnceClassified(String id, Instant at) {
        ErrorEvent event = ClassifierTopologyTest.sqlError(id, 12, at);
        int size = Topics.EVENTS_RAW.valueSerde().serializer().serialize("t", event).length;
        event.setExtra(Map.of("dump", "x".repeat(BROKER_LIMIT - 200 - size)));
        return event;
    }

    private List<String> reasons(String topic, int atLeast) {
        return kafka.readUntil(topic, r -> r.size() >= atLeast, DEADLINE).stream()
                .map(r -> r.headers().lastHeader(Topics.DLQ_HEADER_REASON))
                .filter(Objects::nonNull)
                .map(Header::value)
                .map(v -> new String(v, StandardCharsets.UTF_8))
                .toList();
    }

    private static String eventId(ConsumerRecord<String, byte[]> record) {
        return Topics.ERRORS_CLASSIFIED
                .valueSerde()
                .deserializer()
                .deserialize("t", record.value())
                .getEvent()
                .getEventId();
    }
}
