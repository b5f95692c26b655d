package io.faultline.impact.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.SoftAssertions.assertSoftly;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
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

    @jakarta.inject.Inject
    io.vertx.mutiny.sqlclient.Pool pool;

    static {
        ImpactFixtures.decimalsAsDoubles();
    }

    @Test
    void aVerifiedFixResolvesTheGroupAndCountsTowardsTimeToResolve() {
        String project = "impact-sla";
        String event = ImpactFixtures.eventId(project, 1);
        fixtures.send(ImpactFixtures.error(
                project, event, "sla-fixed", T0, "/api/payments", null, "critical", "revenue_blocking"));
        sendError(project, 2, "sla-open", T0, "/api/payments", "critical", "revenue_blocking");
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
        slaOfTheMorning(project)
                .body("timeToResolve.find { it.priority == 'critical' }.resolved", is(1))
                .body("timeToResolve.find { it.priority == 'critical' }.meanSeconds", closeTo(4.0, 1e-6))
                // sla-open, critical too, has been open for an hour past its 10 s target
                .body("timeToResolve.find { it.priority == 'critical' }.openPastTarget", is(1))
                .body("timeToResolve.find { it.priority == 'critical' }.verdict", is("breached"))
                .body("timeToResolve.find { it.priority == 'critical' }.compliant", is(false))
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
        sendError(project, 1, "manual-g", T0, "/api/bookings", "high", "user_blocking");
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
        slaOfTheMorning(project).body("autoResolution.autoResolvedGroups", is(0));
    }

    @Test
    void everyWayOfResolvingIsTimedOpenGroupsPastTargetBreachAndNothingDueIsNoData() {
        String project = "impact-ttr";
        // a medium group its operator resolves by hand after 20 minutes (target 30 minutes)
        sendError(project, 1, "ttr-manual", T0, "/api/clients", "medium", "operational");
        // a critical group nobody resolves: past its 10 s target from T0 + 10 s on
        sendError(project, 2, "ttr-open", T0, "/api/clients", "critical", "operational");
        // a high group fixed in 60 s, regressed 10 minutes later, fixed again 120 s after the regression
        sendError(project, 3, "ttr-regress", T0, "/api/clients", "high", "operational");
        Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().queryParam("project", project)
                .get("/api/v1/overview")
                .then()
                .body("groupCount", is(3)));

        fixtures.send(manual("ttr-m1", project, "ttr-manual", "manual_resolve", T0.plusSeconds(1200)));
        fixtures.send(ImpactFixtures.resolution(
                "ttr-v1", project, "ttr-regress", null, T0.plusSeconds(60), "verification_passed"));
        awaitStatus("ttr-manual", "resolved");
        awaitStatus("ttr-regress", "resolved");
        sendError(project, 4, "ttr-regress", T0.plusSeconds(600), "/api/clients", "high", "operational");
        awaitStatus("ttr-regress", "regressed");
        fixtures.send(ImpactFixtures.resolution(
                "ttr-v2", project, "ttr-regress", null, T0.plusSeconds(720), "verification_passed"));
        awaitStatus("ttr-regress", "resolved");

        var sla = slaOfTheMorning(project).extract().jsonPath();
        String ttr = "timeToResolve.find { it.priority == '%s' }.%s";
        assertSoftly(soft -> {
            // an operator's resolve is timed
            soft.assertThat(number(sla, ttr.formatted("medium", "resolved"))).isEqualTo(1.0);
            soft.assertThat(number(sla, ttr.formatted("medium", "p50Seconds"))).isCloseTo(1200.0, within(1e-6));
            soft.assertThat(sla.getString(ttr.formatted("medium", "verdict"))).isEqualTo("compliant");
            // the regression started a new clock: 60 s and 120 s, not 60 s and 720 s
            soft.assertThat(number(sla, ttr.formatted("high", "resolved"))).isEqualTo(2.0);
            soft.assertThat(number(sla, ttr.formatted("high", "p50Seconds"))).isCloseTo(90.0, within(1e-6));
            soft.assertThat(number(sla, ttr.formatted("high", "p95Seconds"))).isCloseTo(117.0, within(1e-6));
            soft.assertThat(number(sla, ttr.formatted("high", "worstSeconds"))).isCloseTo(120.0, within(1e-6));
            soft.assertThat(sla.getString(ttr.formatted("high", "verdict"))).isEqualTo("compliant");
            // open past its target: a breach, worst = its age at the end of the window
            soft.assertThat(number(sla, ttr.formatted("critical", "openPastTarget")))
                    .isEqualTo(1.0);
            soft.assertThat(number(sla, ttr.formatted("critical", "worstSeconds")))
                    .isCloseTo(3600.0, within(1e-6));
            soft.assertThat(sla.getString(ttr.formatted("critical", "verdict"))).isEqualTo("breached");
            soft.assertThat((Object) sla.get(ttr.formatted("critical", "compliant")))
                    .isEqualTo(false);
            // nothing was due: neither compliant nor breached, and why
            soft.assertThat(sla.getString(ttr.formatted("low", "verdict"))).isEqualTo("no_data");
            soft.assertThat((Object) sla.get(ttr.formatted("low", "compliant"))).isEqualTo(false);
            soft.assertThat(sla.getString(ttr.formatted("low", "reason"))).contains("no low-priority group");
            soft.assertThat(sla.getString("verdict")).isEqualTo("breached");
            soft.assertThat((Object) sla.get("compliant")).isEqualTo(false);
        });
    }

    @Test
    void aResolveInTheNextReleaseIsTimedWhenTheReleaseShipsAndOnlyTheClassifiersRegressionReopensIt() {
        String project = "impact-rir";
        // high (target 5 min): resolved in 2.0.0 a minute in; 2.0.1 ships at 200 s
        sendError(project, 1, "rir-shipped", T0, "/api/clients", "high", "operational");
        // critical (target 10 s): resolved in 2.0.0 at 5 s, no later release ever ships
        sendError(project, 2, "rir-pending", T0, "/api/clients", "critical", "operational");
        Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().queryParam("project", project)
                .get("/api/v1/overview")
                .then()
                .body("groupCount", is(2)));

        fixtures.send(inRelease("rir-m1", project, "rir-shipped", "2.0.0", T0.plusSeconds(60)));
        fixtures.send(inRelease("rir-m2", project, "rir-pending", "2.0.0", T0.plusSeconds(5)));
        awaitStatus("rir-shipped", "resolved");
        awaitStatus("rir-pending", "resolved");
        given().get("/api/v1/groups/rir-shipped")
                .then()
                .body("resolvedInRelease", is("2.0.0"))
                .body("releaseShippedAt", is((Object) null));

        // an event after the resolve, of the release it was resolved in: not a regression here
        sendError(project, 3, "rir-shipped", T0.plusSeconds(120), "/api/clients", "high", "operational");
        Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/api/v1/groups/rir-shipped")
                .then()
                .body("recentEvents", hasSize(2)));
        assertThat(given().get("/api/v1/groups/rir-shipped").jsonPath().getString("group.status"))
                .isEqualTo("resolved");

        sendSignal(signal("release_shipped:rir-shipped:e9", "release_shipped", project, "rir-shipped", 200)
                .setDetails(java.util.Map.of("release", "2.0.0", "shippedRelease", "2.0.1"))
                .build());
        Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/api/v1/groups/rir-shipped")
                .then()
                .body("releaseShippedAt", is("2026-02-01T08:03:20Z"))
                .body("resolutions.phase", org.hamcrest.Matchers.hasItem("release_shipped")));

        var sla = slaOfTheMorning(project).extract().jsonPath();
        String ttr = "timeToResolve.find { it.priority == '%s' }.%s";
        assertSoftly(soft -> {
            // timed from its first event to the shipping, not to the operator's click
            soft.assertThat(number(sla, ttr.formatted("high", "resolved"))).isEqualTo(1.0);
            soft.assertThat(number(sla, ttr.formatted("high", "p50Seconds"))).isCloseTo(200.0, within(1e-6));
            soft.assertThat(sla.getString(ttr.formatted("high", "verdict"))).isEqualTo("compliant");
            // resolved, but its release never shipped: still open, past its target
            soft.assertThat(number(sla, ttr.formatted("critical", "resolved"))).isEqualTo(0.0);
            soft.assertThat(number(sla, ttr.formatted("critical", "openPastTarget")))
                    .isEqualTo(1.0);
            soft.assertThat(sla.getString(ttr.formatted("critical", "verdict"))).isEqualTo("breached");
        });

        // medium: the classifier's signal (a later release was out already) is consumed before the
        // resolve it follows, which comes on another topic: the resolve still finds it shipped
        sendError(project, 4, "rir-early", T0, "/api/clients", "medium", "operational");
        awaitStatus("rir-early", "unresolved");
        sendSignal(signal("release_shipped:rir-early:m3", "release_shipped", project, "rir-early", 100)
                .setDetails(java.util.Map.of("release", "2.0.0"))
                .build());
        Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .until(() -> pool.preparedQuery("SELECT 1 FROM release_shipments WHERE group_id = 'rir-early'")
                                .execute()
                                .await()
                                .indefinitely()
                                .size()
                        == 1);
        fixtures.send(inRelease("rir-m3", project, "rir-early", "2.0.0", T0.plusSeconds(100)));
        Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/api/v1/groups/rir-early")
                .then()
                .body("group.status", is("resolved"))
                .body("releaseShippedAt", is("2026-02-01T08:01:40Z")));
        assertThat(slaOfTheMorning(project).extract().jsonPath().getDouble(ttr.formatted("medium", "p50Seconds")))
                .isCloseTo(100.0, within(1e-6));

        // the classifier's regression (an event of a later release) reopens it, with a new clock
        sendSignal(signal("regression:rir-shipped:e10", "regression", project, "rir-shipped", 400)
                .build());
        awaitStatus("rir-shipped", "regressed");
        given().get("/api/v1/groups/rir-shipped").then().body("resolvedInRelease", is((Object) null));
    }

    private static io.faultline.schemas.ResolutionEvent inRelease(
            String entryId, String project, String groupId, String release, Instant at) {
        return io.faultline.schemas.ResolutionEvent.newBuilder(
                        manual(entryId, project, groupId, "manual_resolve_in_release", at))
                .setDetails(java.util.Map.of("release", release, "actor", "ops"))
                .build();
    }

    private static io.faultline.schemas.Signal.Builder signal(
            String id, String type, String project, String groupId, long secondsAfterT0) {
        Instant at = T0.plusSeconds(secondsAfterT0);
        return io.faultline.schemas.Signal.newBuilder()
                .setSignalId(id)
                .setType(type)
                .setProjectId(project)
                .setGroupId(groupId)
                .setSeverity("high")
                .setDetectedAt(at)
                .setWindowStart(at)
                .setWindowEnd(at)
                .setMessage(type + " of " + groupId);
    }

    private void sendSignal(io.faultline.schemas.Signal s) {
        fixtures.sendRaw(
                io.faultline.schemas.topics.Topics.SIGNALS.name(),
                io.faultline.schemas.topics.Topics.SIGNALS
                        .valueSerde()
                        .serializer()
                        .serialize("t", s));
    }

    @Test
    void everyTargetOfTheTableHasAVerdictAndAnErrorBudget() {
        String project = "impact-targets";
        Instant minute = T0;
        fixtures.send(ImpactFixtures.traffic("tg-t1", project, "/api/booking", minute, minute.plusSeconds(60), 100));
        fixtures.send(ImpactFixtures.traffic("tg-t2", project, "/api/payments", minute, minute.plusSeconds(60), 100));
        // booking: 2 errors in 100 requests, success 98 % > 95 %; payment: 3 in 100, 97 % < 98 %
        for (int i = 0; i < 2; i++) {
            sendError(project, i, "tg-book", minute.plusSeconds(i), "/api/booking", "medium", "user_blocking");
        }
        for (int i = 0; i < 3; i++) {
            sendError(project, 10 + i, "tg-pay", minute.plusSeconds(i), "/api/payments", "medium", "user_blocking");
        }
        Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().queryParam("project", project)
                .get("/api/v1/overview")
                .then()
                .body("groupCount", is(2)));
        // a runbook fixes the booking group: 2 of the 5 errors, 1 of the 1 actionable group
        fixtures.send(ImpactFixtures.resolution("tg-r1", project, "tg-book", null, T0.plusSeconds(30), "matched"));
        fixtures.send(ImpactFixtures.resolution(
                "tg-r2", project, "tg-book", null, T0.plusSeconds(40), "verification_passed"));
        awaitStatus("tg-book", "resolved");
        Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().queryParam("project", project)
                .queryParam("from", "2026-02-01T07:00:00Z")
                .queryParam("to", "2026-02-01T09:00:00Z")
                .get("/api/v1/workflows/impact")
                .then()
                .body("workflows.find { it.workflow == 'payment_processing' }.requests", is(100)));

        slaOfTheMorning(project)
                .body(
                        "objectives.id",
                        containsInAnyOrder(
                                "error_rate",
                                "critical_error_rate",
                                "revenue_blocking_errors",
                                "time_to_resolve_critical",
                                "time_to_resolve_high",
                                "time_to_resolve_medium",
                                "time_to_resolve_low",
                                "auto_resolution_errors",
                                "auto_resolution_groups",
                                "workflow_success_booking",
                                "workflow_success_payment_processing",
                                "health_score"))
                .body("objectives.findAll { !(it.verdict in ['compliant', 'breached', 'no_data']) }", hasSize(0))
                .body("objectives.findAll { it.budget == null }", hasSize(0))
                .body("objectives.findAll { it.verdict == 'no_data' && it.reason == null }", hasSize(0))
                .body("objectives.find { it.id == 'workflow_success_booking' }.actual", closeTo(0.98, 1e-9))
                .body("objectives.find { it.id == 'workflow_success_booking' }.target", closeTo(0.95, 1e-9))
                .body("objectives.find { it.id == 'workflow_success_booking' }.verdict", is("compliant"))
                .body("objectives.find { it.id == 'workflow_success_booking' }.budget.allowed", closeTo(5.0, 1e-9))
                .body("objectives.find { it.id == 'workflow_success_booking' }.budget.consumed", closeTo(2.0, 1e-9))
                .body("objectives.find { it.id == 'workflow_success_booking' }.budget.remaining", closeTo(0.6, 1e-9))
                .body("objectives.find { it.id == 'workflow_success_payment_processing' }.actual", closeTo(0.97, 1e-9))
                .body("objectives.find { it.id == 'workflow_success_payment_processing' }.verdict", is("breached"))
                // the first user's definition: errors; Faultline's: actionable groups
                .body("objectives.find { it.id == 'auto_resolution_errors' }.actual", closeTo(0.4, 1e-9))
                .body("objectives.find { it.id == 'auto_resolution_errors' }.verdict", is("breached"))
                .body("objectives.find { it.id == 'auto_resolution_errors' }.name", containsString("errors"))
                .body("objectives.find { it.id == 'auto_resolution_groups' }.actual", closeTo(1.0, 1e-9))
                .body("objectives.find { it.id == 'auto_resolution_groups' }.verdict", is("compliant"))
                .body("objectives.find { it.id == 'auto_resolution_groups' }.name", containsString("actionable groups"))
                .body("autoResolution.errors", is(5))
                .body("autoResolution.autoResolvedErrors", is(2))
                .body("objectives.find { it.id == 'health_score' }.target", closeTo(0.9, 1e-9))
                .body("objectives.find { it.id == 'health_score' }.verdict", is("compliant"))
                .body("objectives.find { it.id == 'revenue_blocking_errors' }.verdict", is("compliant"))
                .body("objectives.find { it.id == 'time_to_resolve_low' }.verdict", is("no_data"))
                .body("verdict", is("breached"));
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

    private void sendError(
            String project, int n, String group, Instant at, String transaction, String severity, String impact) {
        fixtures.send(ImpactFixtures.error(
                project, ImpactFixtures.eventId(project, n), group, at, transaction, null, severity, impact));
    }

    /** The SLA report of 07:00-09:00 on T0's day: T0 in the middle, nothing of it at the edges. */
    private static io.restassured.response.ValidatableResponse slaOfTheMorning(String project) {
        return given().queryParam("project", project)
                .queryParam("from", "2026-02-01T07:00:00Z")
                .queryParam("to", "2026-02-01T09:00:00Z")
                .get("/api/v1/sla")
                .then()
                .statusCode(200);
    }

    private static Double number(io.restassured.path.json.JsonPath json, String path) {
        Number value = json.get(path);
        return value == null ? null : value.doubleValue();
    }

    private static void awaitStatus(String groupId, String status) {
        Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/api/v1/groups/" + groupId)
                .then()
                .statusCode(200)
                .body("group.status", is(status)));
    }
}
