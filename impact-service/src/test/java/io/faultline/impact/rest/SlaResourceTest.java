package io.faultline.impact.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

import io.faultline.devstack.quarkus.KafkaTestResource;
import io.faultline.devstack.quarkus.PostgresTestResource;
import io.faultline.impact.ImpactFixtures;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class SlaResourceTest {

    private static final Instant T0 = Instant.parse("2026-02-01T08:00:00Z");
    private final ImpactFixtures fixtures = new ImpactFixtures();

    static {
        ImpactFixtures.decimalsAsDoubles();
    }

    @Test
    void aVerifiedFixResolvesTheGroupAndCountsTowardsTimeToResolve() {
        String project = "impact-sla";
        String event = ImpactFixtures.eventId(project, 1);
        fixtures.send(ImpactFixtures.error(
                project, event, "sla-fixed", T0, "/api/payments", null, "critical", "revenue_blocking"));
        fixtures.send(ImpactFixtures.error(
                project,
                ImpactFixtures.eventId(project, 2),
                "sla-open",
                T0,
                "/api/payments",
                null,
                "critical",
                "revenue_blocking"));
        Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().queryParam("project", project)
                .get("/api/v1/overview")
                .then()
                .body("groupCount", is(2)));

        fixtures.send(ImpactFixtures.resolution("sla-e1", project, "sla-fixed", event, T0.plusSeconds(1), "matched"));
        var verified = ImpactFixtures.resolution(
                "sla-e2", project, "sla-fixed", event, T0.plusSeconds(4), "verification_passed");
        fixtures.send(verified);
        fixtures.send(verified); // redelivery
        fixtures.send(ImpactFixtures.resolution("sla-e3", project, "sla-open", null, T0.plusSeconds(2), "matched"));
        // a dry run acted on nothing: it is not an attempt to count against auto-resolution
        var trial = ImpactFixtures.resolution("sla-e4", project, "sla-trial", null, T0.plusSeconds(3), "matched");
        trial.setDryRun(true);
        fixtures.send(trial);

        Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().queryParam("project", project)
                .get("/api/v1/resolutions")
                .then()
                .statusCode(200)
                .body("items", hasSize(4)));

        given().get("/api/v1/groups/sla-fixed")
                .then()
                .statusCode(200)
                .body("group.status", is("resolved"))
                .body("group.workflow", is("payment_processing"))
                .body("resolutions", hasSize(2))
                .body("hourlyCounts", hasSize(1))
                .body("hourlyCounts[0].hour", is("2026-02-01T08:00:00Z"))
                .body("hourlyCounts[0].count", is(1))
                .body("recentEvents", hasSize(1))
                .body("recentEvents[0].eventId", is(event));
        given().queryParam("project", project)
                .queryParam("from", "2026-02-01T07:00:00Z")
                .queryParam("to", "2026-02-01T09:00:00Z")
                .get("/api/v1/sla")
                .then()
                .statusCode(200)
                .body("timeToResolve.find { it.priority == 'critical' }.resolved", is(1))
                .body("timeToResolve.find { it.priority == 'critical' }.meanSeconds", closeTo(4.0, 1e-6))
                .body("timeToResolve.find { it.priority == 'critical' }.compliant", is(true))
                .body("autoResolution.actionableGroups", is(2))
                .body("autoResolution.autoResolvedGroups", is(1))
                .body("autoResolution.rate", closeTo(0.5, 1e-9))
                .body("autoResolution.compliant", is(false))
                .body("revenueBlockingErrors.count", is(2))
                .body("revenueBlockingErrors.compliant", is(false))
                .body("compliant", is(false));
        given().get("/api/v1/groups/no-such-group").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void operatorActionsSetTheGroupStatusAndAnExpiredIgnoreReopensIt() {
        String project = "impact-manual";
        fixtures.send(ImpactFixtures.error(
                project,
                ImpactFixtures.eventId(project, 1),
                "manual-g",
                T0,
                "/api/bookings",
                null,
                "high",
                "user_blocking"));
        Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/api/v1/groups/manual-g")
                .then()
                .statusCode(200)
                .body("group.status", is("unresolved")));

        fixtures.send(manual("m-1", project, "manual-g", "manual_ignore", T0.plusSeconds(10)));
        awaitStatus("manual-g", "ignored");

        io.faultline.schemas.Signal woke = io.faultline.schemas.Signal.newBuilder()
                .setSignalId("ignore_expired:manual-g:1")
                .setType("ignore_expired")
                .setProjectId(project)
                .setGroupId("manual-g")
                .setSeverity("high")
                .setDetectedAt(T0.plusSeconds(20))
                .setWindowStart(T0.plusSeconds(20))
                .setWindowEnd(T0.plusSeconds(20))
                .setMessage("ignored group woke up")
                .build();
        fixtures.sendRaw(
                io.faultline.schemas.topics.Topics.SIGNALS.name(),
                io.faultline.schemas.topics.Topics.SIGNALS
                        .valueSerde()
                        .serializer()
                        .serialize("t", woke));
        awaitStatus("manual-g", "unresolved");

        fixtures.send(manual("m-2", project, "manual-g", "manual_resolve", T0.plusSeconds(30)));
        awaitStatus("manual-g", "resolved");
        fixtures.send(manual("m-3", project, "manual-g", "manual_reopen", T0.plusSeconds(40)));
        awaitStatus("manual-g", "unresolved");
        // a manual resolve is not an automated one
        given().queryParam("project", project)
                .queryParam("from", "2026-02-01T07:00:00Z")
                .queryParam("to", "2026-02-01T09:00:00Z")
                .get("/api/v1/sla")
                .then()
                .statusCode(200)
                .body("autoResolution.autoResolvedGroups", is(0));
    }

    private static io.faultline.schemas.ResolutionEvent manual(
            String entryId, String project, String groupId, String action, java.time.Instant at) {
        return io.faultline.schemas.ResolutionEvent.newBuilder(
                        ImpactFixtures.resolution(entryId, project, groupId, null, at, "action_succeeded"))
                .setAttemptId(entryId)
                .setRunbookId(null)
                .setStrategy("manual")
                .setAction(action)
                .build();
    }

    private static void awaitStatus(String groupId, String status) {
        Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/api/v1/groups/" + groupId)
                .then()
                .statusCode(200)
                .body("group.status", is(status)));
    }
}
