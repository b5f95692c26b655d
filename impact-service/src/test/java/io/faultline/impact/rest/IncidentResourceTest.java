package io.faultline.impact.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;

import io.faultline.devstack.KafkaTestClient;
import io.faultline.devstack.quarkus.KafkaTestResource;
import io.faultline.devstack.quarkus.PostgresTestResource;
import io.faultline.impact.ImpactFixtures;
import io.faultline.impact.repository.IncidentTracker;
import io.faultline.schemas.Signal;
import io.faultline.schemas.topics.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class IncidentResourceTest {

    private static final String PROJECT = "impact-incidents";
    private static final Instant T0 = Instant.parse("2026-05-01T09:00:00Z");

    private final ImpactFixtures fixtures = new ImpactFixtures();
    private final KafkaTestClient kafka =
            new KafkaTestClient(ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));

    @Inject
    IncidentTracker tracker;

    private void signal(String id, String type, String groupId, String workflow, Instant at) {
        Signal s = Signal.newBuilder()
                .setSignalId(id)
                .setType(type)
                .setProjectId(PROJECT)
                .setGroupId(groupId)
                .setWorkflow(workflow)
                .setSeverity("high")
                .setDetectedAt(at)
                .setWindowStart(at.minusSeconds(300))
                .setWindowEnd(at)
                .setMessage(type + " detected")
                .build();
        kafka.produce(
                Topics.SIGNALS.name(),
                PROJECT,
                Topics.SIGNALS.valueSerde().serializer().serialize("t", s));
    }

    private void error(int i, String group, Instant at, String severity) {
        fixtures.send(ImpactFixtures.error(
                PROJECT, ImpactFixtures.eventId(PROJECT, i), group, at, null, "booking", severity, "user_blocking"));
    }

    @Test
    void aVerifiedFixStoredBeforeItsGroupResolvesTheGroupAndClosesItsIncidentOnceTheGroupArrives() {
        // the resolutions consumer ran ahead of the classified-errors one
        fixtures.send(ImpactFixtures.resolution(
                "late-verified", PROJECT, "inc-late", null, T0.plusSeconds(60), "verification_passed"));
        Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().queryParam("group", "inc-late")
                .get("/api/v1/resolutions")
                .then()
                .body("items", hasSize(1)));

        error(20, "inc-late", T0.plusSeconds(5), "critical"); // the error the fix was for

        Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/api/v1/groups/inc-late")
                .then()
                .statusCode(200)
                .body("group.status", is("resolved")));
        given().queryParam("project", PROJECT)
                .queryParam("group", "inc-late")
                .get("/api/v1/incidents")
                .then()
                .body("items", hasSize(1))
                .body("items[0].status", is("closed"))
                .body("items[0].closeReason", is("verified"));
    }

    @Test
    void criticalErrorsAndSignalsOpenIncidentsThatVerificationOrQuietCloses() throws Throwable {
        error(1, "inc-calm", T0, "medium"); // ordinary: no incident
        error(2, "inc-crit", T0.plusSeconds(10), "critical"); // opens the group's incident
        error(3, "inc-crit", T0.plusSeconds(70), "high"); // extends it
        error(4, "inc-crit", T0.plusSeconds(80), "critical"); // extends it: one open incident per group
        signal("sig-burn", "slo_burn", null, "booking", T0.plusSeconds(30)); // opens a workflow incident
        signal("sig-burn", "slo_burn", null, "booking", T0.plusSeconds(30)); // redelivery
        signal("sig-rate", "rate", null, "booking", T0.plusSeconds(40)); // informational

        Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().queryParam("project", PROJECT)
                .get("/api/v1/incidents")
                .then()
                .statusCode(200)
                .body("items", hasSize(2))
                .body("items[0].scope", is("workflow"))
                .body("items[0].trigger", is("slo_burn"))
                .body("items[0].signalCount", is(1))
                .body("items[1].groupId", is("inc-crit"))
                .body("items[1].eventCount", is(3)));
        given().queryParam("project", PROJECT)
                .queryParam("group", "inc-crit")
                .get("/api/v1/incidents")
                .then()
                .body("items[0].trigger", is("critical"))
                .body("items[0].status", is("open"))
                .body("items[0].openedAt", is("2026-05-01T09:00:10Z"))
                .body("items[0].lastActivityAt", is("2026-05-01T09:01:20Z"));

        fixtures.send(ImpactFixtures.resolution(
                "inc-verified", PROJECT, "inc-crit", null, T0.plusSeconds(120), "verification_passed"));
        Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().queryParam("project", PROJECT)
                .queryParam("status", "closed")
                .get("/api/v1/incidents")
                .then()
                .body("items", hasSize(1))
                .body("items[0].groupId", is("inc-crit"))
                .body("items[0].closeReason", is("verified"))
                .body("items[0].closedAt", is("2026-05-01T09:02:00Z")));

        // pages of one: the cursor leads from the newest to the older incident, then ends
        String next = given().queryParam("project", PROJECT)
                .queryParam("limit", 1)
                .get("/api/v1/incidents")
                .then()
                .body("items[0].trigger", is("slo_burn"))
                .body("nextCursor", notNullValue())
                .extract()
                .path("nextCursor");
        given().queryParam("project", PROJECT)
                .queryParam("limit", 1)
                .queryParam("cursor", next)
                .get("/api/v1/incidents")
                .then()
                .body("items[0].groupId", is("inc-crit"))
                .body("nextCursor", is((Object) null));
        // open at some time inside [from, to): the group incident closed before 09:05
        given().queryParam("project", PROJECT)
                .queryParam("from", "2026-05-01T09:05:00Z")
                .get("/api/v1/incidents")
                .then()
                .body("items", hasSize(1))
                .body("items[0].scope", is("workflow"));

        int closed = VertxContextSupport.subscribeAndAwait(
                () -> tracker.closeQuiet(T0.plus(Duration.ofHours(1)), T0.plus(Duration.ofHours(2))));
        assertThat(closed).isGreaterThanOrEqualTo(1);
        given().queryParam("project", PROJECT)
                .queryParam("trigger", "slo_burn")
                .get("/api/v1/incidents")
                .then()
                .body("items[0].status", is("closed"))
                .body("items[0].closeReason", is("quiet"));
        given().queryParam("status", "bogus")
                .get("/api/v1/incidents")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
    }
}
