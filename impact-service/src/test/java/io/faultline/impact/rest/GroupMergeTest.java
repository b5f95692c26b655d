package io.faultline.impact.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import io.faultline.devstack.KafkaTestClient;
import io.faultline.devstack.quarkus.KafkaTestResource;
import io.faultline.devstack.quarkus.PostgresTestResource;
import io.faultline.impact.ImpactFixtures;
import io.faultline.schemas.ClassifiedError;
import io.faultline.schemas.Signal;
import io.faultline.schemas.UserInfo;
import io.faultline.schemas.topics.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * The classifier's template miner merged a group's template into another's: the group's events,
 * count and incident follow the survivor, and its events still in flight are stored there.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class GroupMergeTest {

    private static final String PROJECT = "impact-merges";
    private static final Instant T0 = Instant.parse("2026-06-01T09:00:00Z");
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private final ImpactFixtures fixtures = new ImpactFixtures();
    private final KafkaTestClient kafka =
            new KafkaTestClient(ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));

    /** Users u0..u3 by the event's number: the survivor and the orphan share u1. */
    private void error(int i, String group, Instant at, String severity) {
        ClassifiedError c = ImpactFixtures.error(
                PROJECT, ImpactFixtures.eventId(PROJECT, i), group, at, null, "booking", severity, "user_blocking");
        c.getEvent().setUser(UserInfo.newBuilder().setId("sha256:u" + i % 4).build());
        fixtures.send(c);
    }

    private void awaitTags(String group, int users, int levelEvents) {
        Awaitility.await().atMost(DEADLINE).untilAsserted(() -> given().get("/api/v1/groups/" + group + "/tags")
                .then()
                .statusCode(200)
                .body("usersAffected", is(users))
                .body("tags.findAll { it.key == 'level' }.events.sum() ?: 0", is(levelEvents)));
    }

    private void merged(String group, String into, Instant at) {
        merged(group, into, at, group);
    }

    /** The signal under {@code key}: signals under one key are applied in the order sent. */
    private void merged(String group, String into, Instant at, String key) {
        Signal s = Signal.newBuilder()
                .setSignalId("group_merged:" + group)
                .setType("group_merged")
                .setProjectId(PROJECT)
                .setGroupId(group)
                .setSeverity("info")
                .setDetectedAt(at)
                .setWindowStart(at)
                .setWindowEnd(at)
                .setMessage(group + " merged into " + into)
                .setDetails(Map.of("mergedInto", into))
                .build();
        kafka.produce(
                Topics.SIGNALS.name(),
                key,
                Topics.SIGNALS.valueSerde().serializer().serialize("t", s));
    }

    private void awaitCount(String group, int count) {
        Awaitility.await().atMost(DEADLINE).untilAsserted(() -> given().get("/api/v1/groups/" + group)
                .then()
                .statusCode(200)
                .body("group.count", is(count)));
    }

    @Test
    void aMergedGroupsEventsCountAndIncidentMoveToTheSurvivorAndItsLateEventsFollow() {
        error(1, "mg-survivor", T0, "high");
        error(2, "mg-survivor", T0.plusSeconds(10), "high");
        error(3, "mg-orphan", T0.minusSeconds(60), "critical"); // opens the orphan's incident
        error(4, "mg-orphan", T0.plusSeconds(5), "high");
        error(5, "mg-orphan", T0.plusSeconds(20), "high");
        awaitCount("mg-survivor", 2);
        awaitCount("mg-orphan", 3);
        awaitTags("mg-survivor", 2, 2);
        awaitTags("mg-orphan", 3, 3);

        merged("mg-orphan", "mg-survivor", T0.plusSeconds(30));
        merged("mg-orphan", "mg-survivor", T0.plusSeconds(30)); // redelivered: applied once

        awaitCount("mg-survivor", 5);
        given().get("/api/v1/groups/mg-survivor")
                .then()
                .body("group.firstSeen", is("2026-06-01T08:59:00Z"))
                .body("group.lastSeen", is("2026-06-01T09:00:20Z"))
                .body("recentEvents", hasSize(5))
                .body("mergedInto", nullValue());
        given().get("/api/v1/groups/mg-orphan")
                .then()
                .body("group.status", is("merged"))
                .body("group.count", is(0))
                .body("mergedInto", is("mg-survivor"))
                .body("recentEvents", hasSize(0));
        given().queryParam("project", PROJECT)
                .get("/api/v1/groups")
                .then()
                .body("items.groupId", hasItem("mg-survivor"))
                .body("items.groupId", not(hasItem("mg-orphan")));
        given().queryParam("project", PROJECT)
                .queryParam("status", "merged")
                .get("/api/v1/groups")
                .then()
                .body("items.groupId", hasItem("mg-orphan"));
        given().queryParam("project", PROJECT)
                .queryParam("group", "mg-orphan")
                .get("/api/v1/incidents")
                .then()
                .body("items", hasSize(1))
                .body("items[0].status", is("closed"))
                .body("items[0].closeReason", is("merged"));

        // classified before the merge, stored after it: counted in the survivor
        error(6, "mg-orphan", T0.plusSeconds(25), "high");
        awaitCount("mg-survivor", 6);
        given().get("/api/v1/groups/mg-orphan").then().body("group.count", is(0));
        // its tag values and users moved with its events: u1 was both groups' user, counted once
        awaitTags("mg-survivor", 4, 6);
        awaitTags("mg-orphan", 0, 0);
    }

    @Test
    void mergesOfAChainAppliedOutOfOrderEndAtTheLastSurvivor() {
        error(21, "mg-c", T0, "high");
        error(22, "mg-b", T0.plusSeconds(1), "high");
        error(23, "mg-a", T0.plusSeconds(2), "high");
        error(24, "mg-a", T0.plusSeconds(3), "high");
        awaitCount("mg-c", 1);
        awaitCount("mg-b", 1);
        awaitCount("mg-a", 2);

        // b was merged into c after a into b, but that signal is applied first
        merged("mg-b", "mg-c", T0.plusSeconds(5), "mg-chain");
        merged("mg-a", "mg-b", T0.plusSeconds(4), "mg-chain");

        awaitCount("mg-c", 4);
        given().get("/api/v1/groups/mg-a").then().body("mergedInto", is("mg-c"));
        given().get("/api/v1/groups/mg-b").then().body("mergedInto", is("mg-c"));
        error(25, "mg-a", T0.plusSeconds(6), "high"); // late: to the end of the chain as well
        awaitCount("mg-c", 5);
    }

    @Test
    void eventsOfAGroupMergedBeforeItWasStoredAreStoredUnderTheSurvivor() {
        error(11, "mg-first", T0, "high");
        error(12, "mg-marker", T0, "high");
        awaitCount("mg-first", 1);
        awaitCount("mg-marker", 1);
        merged("mg-unseen", "mg-first", T0.plusSeconds(1), "mg-unseen");
        // sent after it under the same key: once the marker shows merged, so is mg-unseen
        merged("mg-marker", "mg-first", T0.plusSeconds(1), "mg-unseen");
        Awaitility.await().atMost(DEADLINE).untilAsserted(() -> given().get("/api/v1/groups/mg-marker")
                .then()
                .body("group.status", is("merged")));

        error(13, "mg-unseen", T0.plusSeconds(2), "high");

        awaitCount("mg-first", 3);
        given().get("/api/v1/groups/mg-unseen").then().statusCode(404);
    }
}
