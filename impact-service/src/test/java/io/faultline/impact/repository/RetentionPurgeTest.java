package io.faultline.impact.repository;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

import io.faultline.devstack.quarkus.KafkaTestResource;
import io.faultline.devstack.quarkus.PostgresTestResource;
import io.faultline.impact.ImpactFixtures;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class RetentionPurgeTest {

    // far older than any other test's data, so this purge touches only this test's rows
    private static final Instant EXPIRED = Instant.parse("2019-06-01T00:00:00Z");
    private static final Instant KEPT = Instant.parse("2020-03-01T00:00:00Z");
    private static final Instant CUTOFF = Instant.parse("2020-01-01T00:00:00Z");
    private static final String PROJECT = "impact-purge";

    @Inject
    RetentionPurge purge;

    private final ImpactFixtures fixtures = new ImpactFixtures();

    @Test
    void thePurgeDeletesExpiredRowsInBatchesAndNothingElse() throws Throwable {
        for (int i = 0; i < 3; i++) { // three expired minutes: more than one batch of 2 (test profile)
            fixtures.send(ImpactFixtures.error(
                    PROJECT,
                    ImpactFixtures.eventId(PROJECT, i),
                    "purge-g",
                    EXPIRED.plusSeconds(60L * i),
                    "/api/invoices",
                    null,
                    "medium",
                    "operational"));
        }
        fixtures.send(ImpactFixtures.error(
                PROJECT,
                ImpactFixtures.eventId(PROJECT, 9),
                "purge-g",
                KEPT,
                "/api/invoices",
                null,
                "medium",
                "operational"));
        fixtures.send(
                ImpactFixtures.traffic("purge-old", PROJECT, "/api/invoices", EXPIRED, EXPIRED.plusSeconds(60), 50));
        fixtures.send(ImpactFixtures.traffic("purge-new", PROJECT, "/api/invoices", KEPT, KEPT.plusSeconds(60), 70));
        fixtures.send(ImpactFixtures.resolution("purge-r-old", PROJECT, "purge-g", null, EXPIRED, "matched"));
        fixtures.send(ImpactFixtures.resolution("purge-r-new", PROJECT, "purge-g", null, KEPT, "matched"));
        Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            given().queryParam("project", PROJECT)
                    .get("/api/v1/overview")
                    .then()
                    .body("totalEvents", is(4));
            given().queryParam("project", PROJECT)
                    .get("/api/v1/resolutions")
                    .then()
                    .body("items", hasSize(2));
            given().queryParam("project", PROJECT)
                    .queryParam("from", "2019-05-31T00:00:00Z")
                    .queryParam("to", "2020-03-02T00:00:00Z")
                    .get("/api/v1/workflows/impact")
                    .then()
                    .body("workflows.find { it.workflow == 'revenue_tracking' }.requests", is(120));
        });

        Map<String, Long> deleted = VertxContextSupport.subscribeAndAwait(() -> purge.purgeOlderThan(CUTOFF));

        assertThat(deleted)
                .containsEntry("error_events", 3L)
                .containsEntry("event_payloads", 3L) // the whole events go with their summaries
                .containsEntry("workflow_minutes", 3L)
                .containsEntry("workflow_hours", 1L) // the three expired minutes share one hour
                .containsEntry("resolutions", 1L)
                .containsEntry("processed_records", 0L); // every marker was written just now
        given().queryParam("project", PROJECT).get("/api/v1/overview").then().body("totalEvents", is(1));
        given().queryParam("project", PROJECT)
                .get("/api/v1/resolutions")
                .then()
                .body("items", hasSize(1))
                .body("items[0].entryId", is("purge-r-new"));
        given().queryParam("project", PROJECT)
                .queryParam("from", "2019-05-31T00:00:00Z")
                .queryParam("to", "2020-03-02T00:00:00Z")
                .get("/api/v1/workflows/impact")
                .then()
                .body("workflows.find { it.workflow == 'revenue_tracking' }.requests", is(70))
                .body("workflows.find { it.workflow == 'revenue_tracking' }.errors", is(1));
        // a second run finds nothing more to delete
        assertThat(VertxContextSupport.subscribeAndAwait(() -> purge.purgeOlderThan(CUTOFF)))
                .containsEntry("error_events", 0L)
                .containsEntry("workflow_minutes", 0L)
                .containsEntry("workflow_hours", 0L);
    }
}
