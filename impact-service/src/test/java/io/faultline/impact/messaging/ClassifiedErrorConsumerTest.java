package io.faultline.impact.messaging;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

import io.faultline.devstack.KafkaTestClient;
import io.faultline.devstack.quarkus.KafkaTestResource;
import io.faultline.devstack.quarkus.PostgresTestResource;
import io.faultline.schemas.Classification;
import io.faultline.schemas.ClassifiedError;
import io.faultline.schemas.ErrorEvent;
import io.faultline.schemas.GroupingInfo;
import io.faultline.schemas.topics.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class ClassifiedErrorConsumerTest {

    private final KafkaTestClient kafka =
            new KafkaTestClient(ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));

    static ClassifiedError classified(String eventId, String groupId) {
        Instant at = Instant.parse("2026-11-30T10:00:00Z");
        return ClassifiedError.newBuilder()
                .setEvent(ErrorEvent.newBuilder()
                        .setEventId(eventId)
                        .setProjectId("7")
                        .setTimestamp(at)
                        .setReceivedAt(at)
                        .setMessage("payment declined")
                        .build())
                .setGroupId(groupId)
                .setGrouping(GroupingInfo.newBuilder()
                        .setStrategy("message")
                        .setComponents(List.of("message=payment declined"))
                        .setTitle("payment declined")
                        .build())
                .setClassification(Classification.newBuilder()
                        .setSeverity("critical")
                        .setCategory("payment")
                        .setBusinessImpact("revenue_blocking")
                        .setWorkflow("payment_processing")
                        .build())
                .setClassifiedAt(at)
                .build();
    }

    private void send(ClassifiedError c) {
        kafka.produce(
                Topics.ERRORS_CLASSIFIED.name(),
                c.getGroupId(),
                Topics.ERRORS_CLASSIFIED.valueSerde().serializer().serialize("t", c));
    }

    @Test
    void aRedeliveredEventCountsOnceAndPoisonDoesNotStopConsumption() {
        send(classified("1".repeat(32), "group-a"));
        send(classified("1".repeat(32), "group-a")); // redelivery of the same event
        kafka.produce(Topics.ERRORS_CLASSIFIED.name(), "x", "poison".getBytes(StandardCharsets.UTF_8));
        send(classified("2".repeat(32), "group-a"));
        send(classified("3".repeat(32), "group-b"));

        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().queryParam("project", "7")
                .get("/api/v1/overview")
                .then()
                .statusCode(200)
                .body("totalEvents", is(3))
                .body("groupCount", is(2)));
        given().queryParam("project", "7")
                .get("/api/v1/overview")
                .then()
                .body("groups.find { it.groupId == 'group-a' }.count", is(2))
                .body("groups.find { it.groupId == 'group-a' }.workflow", is("payment_processing"));
    }

    /**
     * A tombstone on the classified topic (no producer of ours writes one; a hand or a compaction
     * setting could) decodes to nothing. Fetched in one batch with other events, it once failed the
     * batch's write with a NullPointerException that was taken for a database outage and retried
     * for ever: nothing after it was stored.
     */
    @Test
    void aTombstoneAmongItsBatchMatesIsDeadLetteredAndTheyAreStored() throws Exception {
        ClassifiedError before = classified("4".repeat(32), "tombstone-group");
        ClassifiedError after = classified("5".repeat(32), "tombstone-group");
        before.getEvent().setProjectId("8");
        after.getEvent().setProjectId("8");
        Properties p = new Properties();
        p.put(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
        p.put(ProducerConfig.LINGER_MS_CONFIG, 1000); // one batch, so one fetch for the consumer
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            var serializer = Topics.ERRORS_CLASSIFIED.valueSerde().serializer();
            producer.send(new ProducerRecord<>(
                    Topics.ERRORS_CLASSIFIED.name(), "tombstone-group", serializer.serialize("t", before)));
            producer.send(new ProducerRecord<>(Topics.ERRORS_CLASSIFIED.name(), "tombstone-group", null));
            producer.send(new ProducerRecord<>(
                            Topics.ERRORS_CLASSIFIED.name(), "tombstone-group", serializer.serialize("t", after)))
                    .get(30, TimeUnit.SECONDS);
        }

        Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().queryParam("project", "8")
                .get("/api/v1/overview")
                .then()
                .statusCode(200)
                .body("totalEvents", is(2)));
        assertThat(kafka.readUntil(
                        Topics.ERRORS_CLASSIFIED_DLQ.name(),
                        r -> r.stream().anyMatch(d -> "tombstone-group".equals(d.key())),
                        Duration.ofSeconds(30)))
                .filteredOn(d -> "tombstone-group".equals(d.key()))
                .singleElement()
                .satisfies(d -> assertThat(d.value()).isNull());
    }
}
