package io.faultline.impact.messaging;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;

import io.faultline.devstack.KafkaTestClient;
import io.faultline.devstack.quarkus.KafkaTestResource;
import io.faultline.devstack.quarkus.PostgresTestResource;
import io.faultline.impact.ImpactFixtures;
import io.faultline.schemas.topics.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class ResolutionConsumerTest {

    private final KafkaTestClient kafka =
            new KafkaTestClient(ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
    private final ImpactFixtures fixtures = new ImpactFixtures();
    private static final Instant AT = Instant.parse("2026-11-30T10:00:00Z");

    /**
     * An attempt started by a signal carries the signal's id as its event id ({@code
     * new_issue:<group>:<uuid>}, 75 characters), and a workflow's SLO burn keys its attempt by the
     * workflow: the audit table took 64. The refused write was taken for a database outage and
     * retried for ever, so no audit entry after it was ever stored (found by the drill: an empty
     * resolution timeline under a runbook that acted 58 times).
     */
    @Test
    void anEntryOfASignalsAttemptIsStoredAndOneNoColumnHoldsIsDeadLetteredWithoutStoppingTheRest() {
        String group = "f".repeat(32);
        String signalId = "new_issue:" + group + ":" + "0123456789abcdef".repeat(2);
        fixtures.send(ImpactFixtures.resolution("signal-entry", "9", group, signalId, AT, "matched"));
        String tooLong = "g".repeat(400);
        fixtures.send(ImpactFixtures.resolution("poison-entry", "9", tooLong, "e".repeat(32), AT, "matched"));
        fixtures.send(ImpactFixtures.resolution("after-entry", "9", group, "d".repeat(32), AT, "matched"));

        Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().queryParam("group", group)
                .get("/api/v1/resolutions")
                .then()
                .statusCode(200)
                .body("items.size()", is(2))
                .body("items.eventId", hasItems(signalId, "d".repeat(32))));
        assertThat(kafka.readUntil(
                        Topics.RESOLUTIONS_DLQ.name(),
                        r -> r.stream().anyMatch(d -> tooLong.equals(d.key())),
                        Duration.ofSeconds(30)))
                .anyMatch(d -> tooLong.equals(d.key()));
    }
}
