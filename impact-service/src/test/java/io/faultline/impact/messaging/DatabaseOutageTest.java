package io.faultline.impact.messaging;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

import io.faultline.devstack.EmbeddedPostgresServer;
import io.faultline.devstack.KafkaTestClient;
import io.faultline.devstack.quarkus.KafkaTestResource;
import io.faultline.devstack.quarkus.PostgresTestResource;
import io.faultline.impact.ImpactFixtures;
import io.faultline.schemas.ClassifiedError;
import io.faultline.schemas.topics.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * Records consumed while PostgreSQL is down wait for it instead of going to the dead-letter
 * topics, whose offsets would be committed and which nothing replays; and one record that can
 * never be stored goes there alone, not with its batch.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class DatabaseOutageTest {

    private static final Instant AT = Instant.parse("2026-11-30T10:00:00Z");

    private final ImpactFixtures fixtures = new ImpactFixtures();
    private final KafkaTestClient kafka =
            new KafkaTestClient(ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));

    @Test
    void whatArrivesWhileTheDatabaseIsDownIsStoredOnceItIsBackAndNothingIsDeadLettered() throws Exception {
        double retriesBefore = storeRetries();
        EmbeddedPostgresServer postgres = PostgresTestResource.server();
        postgres.close();
        try {
            for (int i = 0; i < 3; i++) {
                fixtures.send(ImpactFixtures.error(
                        "outage",
                        ImpactFixtures.eventId("0a", i),
                        "outage-group",
                        AT,
                        null,
                        "checkout",
                        "high",
                        "user_blocking"));
            }
            fixtures.send(ImpactFixtures.resolution(
                    "outage-entry-1", "outage", "outage-group", ImpactFixtures.eventId("0a", 0), AT, "matched"));
            // the consumers have them and fail to store them, more than once
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> storeRetries() >= retriesBefore + 4);
        } finally {
            postgres.start();
        }

        Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().queryParam("project", "outage")
                .get("/api/v1/overview")
                .then()
                .statusCode(200)
                .body("totalEvents", is(3)));
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().queryParam("project", "outage")
                .get("/api/v1/resolutions")
                .then()
                .statusCode(200)
                .body("items.size()", is(1)));
        assertThat(deadLettersBeforePoison(
                        Topics.ERRORS_CLASSIFIED.name(), Topics.ERRORS_CLASSIFIED_DLQ.name(), "outage-group"))
                .isEmpty();
        assertThat(deadLettersBeforePoison(Topics.RESOLUTIONS.name(), Topics.RESOLUTIONS_DLQ.name(), "outage-group"))
                .isEmpty();
    }

    @Test
    void aRecordThatCanNeverBeStoredIsDeadLetteredAloneAndItsBatchMatesAreStored() {
        // an id longer than the column: PostgreSQL refuses the value (22001), the record is at fault
        ClassifiedError unstorable = ImpactFixtures.error(
                "mixed", "e".repeat(200), "mixed-group", AT, null, "checkout", "high", "user_blocking");
        fixtures.send(ImpactFixtures.error(
                "mixed",
                ImpactFixtures.eventId("0b", 0),
                "mixed-group",
                AT,
                null,
                "checkout",
                "high",
                "user_blocking"));
        fixtures.send(unstorable);
        // a workflow tag longer than its column is cut, not refused
        fixtures.send(ImpactFixtures.error(
                "mixed",
                ImpactFixtures.eventId("0b", 1),
                "mixed-group",
                AT,
                null,
                "w".repeat(300),
                "high",
                "user_blocking"));

        Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().queryParam("project", "mixed")
                .get("/api/v1/overview")
                .then()
                .statusCode(200)
                .body("totalEvents", is(2)));
        assertThat(deadLettersBeforePoison(
                        Topics.ERRORS_CLASSIFIED.name(), Topics.ERRORS_CLASSIFIED_DLQ.name(), "mixed-group"))
                .singleElement()
                .satisfies(r -> assertThat(new String(r.value(), StandardCharsets.UTF_8))
                        .contains("e".repeat(200)));
    }

    private static final byte[] POISON = "not avro".getBytes(StandardCharsets.UTF_8);

    /**
     * The dead letters with {@code key}, up to a poison record sent after everything else with the
     * same key (so to the same partition): whatever went there before it has been read too.
     */
    private List<ConsumerRecord<String, byte[]>> deadLettersBeforePoison(String topic, String dlq, String key) {
        kafka.produce(topic, key, POISON);
        List<ConsumerRecord<String, byte[]>> withKey = kafka
                .readUntil(
                        dlq,
                        records ->
                                records.stream().anyMatch(r -> key.equals(r.key()) && Arrays.equals(r.value(), POISON)),
                        Duration.ofSeconds(30))
                .stream()
                .filter(r -> key.equals(r.key()))
                .toList();
        assertThat(withKey).as("the poison reached " + dlq).isNotEmpty();
        assertThat(withKey.get(withKey.size() - 1).value()).isEqualTo(POISON);
        return withKey.subList(0, withKey.size() - 1);
    }

    private static double storeRetries() {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^faultline_impact_store_retries_total (\\S+)$")
                .matcher(given().get("/q/metrics").asString());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
