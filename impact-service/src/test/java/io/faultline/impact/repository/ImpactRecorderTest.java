package io.faultline.impact.repository;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

import io.faultline.devstack.quarkus.KafkaTestResource;
import io.faultline.devstack.quarkus.PostgresTestResource;
import io.faultline.impact.ImpactFixtures;
import io.faultline.schemas.ClassifiedError;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The batch transaction itself, called directly so the batch boundaries are the test's. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class ImpactRecorderTest {

    private static final String PROJECT = "impact-batch";
    private static final Instant T0 = Instant.parse("2026-04-01T12:00:00Z");

    @Inject
    ImpactRecorder recorder;

    private static ClassifiedError error(int i) {
        return ImpactFixtures.error(
                PROJECT,
                ImpactFixtures.eventId(PROJECT, i),
                "batch-g" + (i % 2),
                T0.plusSeconds(i),
                null,
                "booking",
                "high",
                "user_blocking");
    }

    @Test
    void aRedeliveredBatchOverlappingACommittedOneCountsOnlyItsNewEvents() throws Throwable {
        int first = VertxContextSupport.subscribeAndAwait(() -> recorder.record(List.of(error(1), error(2), error(3))));
        // redelivery after a rebalance: 2 and 3 were committed, 4 is new and arrives twice
        int second = VertxContextSupport.subscribeAndAwait(
                () -> recorder.record(List.of(error(2), error(3), error(4), error(4))));
        int third = VertxContextSupport.subscribeAndAwait(() -> recorder.record(List.of(error(1), error(4))));

        assertThat(first).isEqualTo(3);
        assertThat(second).isEqualTo(1);
        assertThat(third).isZero();
        given().queryParam("project", PROJECT)
                .get("/api/v1/overview")
                .then()
                .statusCode(200)
                .body("totalEvents", is(4))
                .body("groupCount", is(2))
                .body("groups.find { it.groupId == 'batch-g0' }.count", is(2))
                .body("groups.find { it.groupId == 'batch-g1' }.count", is(2));
        given().queryParam("project", PROJECT)
                .queryParam("from", "2026-04-01T11:00:00Z")
                .queryParam("to", "2026-04-01T13:00:00Z")
                .get("/api/v1/workflows/impact")
                .then()
                .statusCode(200)
                .body("workflows.find { it.workflow == 'booking' }.errors", is(4));
        // SLA totals read whole hours from the hourly rollup and partial edge hours from minutes:
        // the events (12:00:01-12:00:04) fall in a whole hour, then in a trailing edge
        for (String[] window : new String[][] {
            {"2026-04-01T11:00:00Z", "2026-04-01T13:00:00Z"},
            {"2026-04-01T11:30:00Z", "2026-04-01T13:30:00Z"},
            {"2026-04-01T11:00:00Z", "2026-04-01T12:30:00Z"},
            {"2026-04-01T12:00:00Z", "2026-04-01T12:00:30Z"}
        }) {
            given().queryParam("project", PROJECT)
                    .queryParam("from", window[0])
                    .queryParam("to", window[1])
                    .get("/api/v1/sla")
                    .then()
                    .statusCode(200)
                    .body("errorRate.errors", is(4));
        }
    }
}
