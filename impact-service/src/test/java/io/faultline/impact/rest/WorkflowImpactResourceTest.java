package io.faultline.impact.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import io.faultline.devstack.quarkus.KafkaTestResource;
import io.faultline.devstack.quarkus.PostgresTestResource;
import io.faultline.impact.ImpactFixtures;
import io.faultline.schemas.topics.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class WorkflowImpactResourceTest {

    private static final Instant T0 = Instant.parse("2026-01-10T10:00:00Z");
    private final ImpactFixtures fixtures = new ImpactFixtures();

    static {
        ImpactFixtures.decimalsAsDoubles();
    }

    @Test
    void trafficAndErrorsGiveTheDocumentedRateAndLossEachRecordCountingOnce() {
        String project = "impact-booking";
        // 1000 booking requests in one minute, attributed by route pattern; delivered twice
        var sample = ImpactFixtures.traffic(
                "booking-sample-1", project, "/api/bookings/create", T0, T0.plusSeconds(60), 1000);
        fixtures.send(sample);
        fixtures.send(sample);
        fixtures.sendRaw(Topics.TRAFFIC.name(), "poison".getBytes(StandardCharsets.UTF_8));
        // 20 distinct booking errors, each delivered twice; no workflow from the classifier
        for (int i = 0; i < 20; i++) {
            var error = ImpactFixtures.error(
                    project,
                    ImpactFixtures.eventId(project, i),
                    "booking-group-" + (i % 4),
                    T0.plusSeconds(i),
                    "/api/bookings/create",
                    null,
                    "high",
                    "user_blocking");
            fixtures.send(error);
            fixtures.send(error);
        }

        Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().queryParam("project", project)
                .queryParam("from", "2026-01-10T09:00:00Z")
                .queryParam("to", "2026-01-10T11:00:00Z")
                .get("/api/v1/workflows/impact")
                .then()
                .statusCode(200)
                .body("workflows.find { it.workflow == 'booking' }.requests", is(1000))
                .body("workflows.find { it.workflow == 'booking' }.errors", is(20)));

        given().queryParam("project", project)
                .queryParam("from", "2026-01-10T09:00:00Z")
                .queryParam("to", "2026-01-10T11:00:00Z")
                .get("/api/v1/workflows/impact")
                .then()
                .statusCode(200)
                .body("workflows", hasSize(7))
                .body("windowMinutes", is(120))
                .body("workflows.find { it.workflow == 'booking' }.errorRate", closeTo(0.02, 1e-9))
                .body("workflows.find { it.workflow == 'booking' }.successRate", closeTo(0.98, 1e-9))
                .body("workflows.find { it.workflow == 'booking' }.weight", closeTo(0.25, 1e-9))
                .body("workflows.find { it.workflow == 'booking' }.degradedMinutes", is(1))
                // 150 $/h × 0.02 × 1/60 h
                .body("workflows.find { it.workflow == 'booking' }.revenueLoss", closeTo(0.05, 1e-9))
                .body("workflows.find { it.workflow == 'booking' }.revenueBlockingErrors", is(0))
                .body("workflows.find { it.workflow == 'payment_processing' }.errorRate", nullValue())
                .body("workflows.find { it.workflow == 'payment_processing' }.noTraffic", is(true))
                .body("revenueLoss", closeTo(0.05, 1e-9));
        given().queryParam("project", project)
                .queryParam("workflow", "booking")
                .get("/api/v1/groups")
                .then()
                .statusCode(200)
                .body("items", hasSize(4));
    }

    @Test
    void badWindowParametersAreAProblemNamingEachField() {
        given().queryParam("from", "yesterday")
                .queryParam("to", "2026-01-10T11:00:00Z")
                .get("/api/v1/workflows/impact")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("status", is(400))
                .body("errors[0].field", is("from"));
        given().queryParam("from", "2026-01-10T12:00:00Z")
                .queryParam("to", "2026-01-10T11:00:00Z")
                .get("/api/v1/sla")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", is("from"))
                .body("errors[0].reason", is("must be before 'to'"));
    }
}
