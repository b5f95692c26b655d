package io.faultline.impact.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

import io.faultline.devstack.quarkus.KafkaTestResource;
import io.faultline.devstack.quarkus.PostgresTestResource;
import io.faultline.impact.ImpactFixtures;
import io.faultline.schemas.ClassifiedError;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The groups search over HTTP against the real store: each filter, negation and sort, the 400s,
 * and the tag distributions and users the batches roll up.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class GroupSearchResourceTest {

    private static final String PROJECT = "impact-search";
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private final ImpactFixtures fixtures = new ImpactFixtures();

    private static ClassifiedError error(
            int i, String group, Instant at, String workflow, String severity, String impact) {
        return ImpactFixtures.error(
                PROJECT, ImpactFixtures.eventId(PROJECT, i), group, at, "/api/" + group, workflow, severity, impact);
    }

    /**
     * s-old: critical, revenue blocking, checkout, three days old, one rich event (release
     * booking@2.3.1, custom tags, contexts, one user). s-mid: low, two hours old, two events of two
     * users in releases shop@1.4.1 then shop@1.4.2, custom tag service=bench. s-new: medium, ten
     * minutes old, one event with no release, tags or user.
     */
    private static boolean seeded;

    /** Once for the class, but after Quarkus has started (a static @BeforeAll runs before it listens). */
    @BeforeEach
    void threeGroups() {
        if (seeded) {
            return;
        }
        seeded = true;
        ClassifiedError old = ImpactFixtures.rich(
                error(1, "s-old", NOW.minus(Duration.ofDays(3)), "checkout", "critical", "revenue_blocking"),
                "Timeout talking to 100% of payments");
        old.getGrouping().setCulprit("com.example.PaymentGateway in charge");
        fixtures.send(old);
        fixtures.send(ImpactFixtures.sample(
                error(2, "s-mid", NOW.minus(Duration.ofHours(2)), null, "low", "operational"), 1));
        fixtures.send(ImpactFixtures.sample(
                error(3, "s-mid", NOW.minus(Duration.ofMinutes(90)), null, "low", "operational"), 2));
        fixtures.send(error(4, "s-new", NOW.minus(Duration.ofMinutes(10)), "booking", "medium", "user_blocking"));
        Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(ids("", null))
                .containsExactlyInAnyOrder("s-old", "s-mid", "s-new"));
    }

    private static List<String> ids(String query, String sort) {
        var request = given().queryParam("project", PROJECT).queryParam("query", query);
        if (sort != null) {
            request.queryParam("sort", sort);
        }
        return request.get("/api/v1/groups")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("items.groupId");
    }

    @Test
    void eachFilterAndItsNegation() {
        assertThat(ids("is:unresolved", null)).containsExactlyInAnyOrder("s-old", "s-mid", "s-new");
        assertThat(ids("is:resolved", null)).isEmpty();
        assertThat(ids("is:ignored", null)).isEmpty();
        assertThat(ids("severity:critical", null)).containsExactly("s-old");
        assertThat(ids("!severity:critical", null)).containsExactlyInAnyOrder("s-mid", "s-new");
        assertThat(ids("category:business_logic", null)).hasSize(3);
        assertThat(ids("category:payment", null)).isEmpty();
        assertThat(ids("impact:user_blocking", null)).containsExactly("s-new");
        assertThat(ids("workflow:checkout", null)).containsExactly("s-old");
        // a group without a workflow is not checkout's: the negation keeps it
        assertThat(ids("!workflow:checkout", null)).containsExactlyInAnyOrder("s-mid", "s-new");
        // the schema's default level is error: every group has it
        assertThat(ids("level:error", null)).containsExactlyInAnyOrder("s-old", "s-mid", "s-new");
        assertThat(ids("level:warning", null)).isEmpty();
        assertThat(ids("release:shop@1.4.2", null)).containsExactly("s-mid");
        assertThat(ids("release:booking@2.3.1 environment:production", null)).containsExactly("s-old");
        assertThat(ids("!environment:production", null)).containsExactly("s-new");
        assertThat(ids("tag:service=bench", null)).containsExactly("s-mid");
        assertThat(ids("service:booking", null)).containsExactly("s-old");
        assertThat(ids("server_name:booking-7d9f os:\"Linux 6.1\" runtime:\"OpenJDK 17.0.12\"", null))
                .containsExactly("s-old");
        // s-mid has no classified workflow: its events' workflow tag names it
        assertThat(ids("workflow:booking", null)).containsExactlyInAnyOrder("s-mid", "s-new");
    }

    @Test
    void timesAndFreeText() {
        assertThat(ids("firstSeen:-24h", null)).containsExactlyInAnyOrder("s-mid", "s-new");
        assertThat(ids("firstSeen:+24h", null)).containsExactly("s-old");
        assertThat(ids("lastSeen:-1h", null)).containsExactly("s-new");
        assertThat(ids("!lastSeen:-1h", null)).containsExactlyInAnyOrder("s-old", "s-mid");
        assertThat(ids("lastSeen:>" + NOW.minus(Duration.ofDays(1)), null)).containsExactlyInAnyOrder("s-mid", "s-new");
        assertThat(ids("lastSeen:<-1d", null)).containsExactly("s-old");
        assertThat(ids("S-MID", null)).containsExactly("s-mid");
        assertThat(ids("\"failure in\" !s-new", null)).containsExactlyInAnyOrder("s-old", "s-mid");
        assertThat(ids("paymentgateway", null)).containsExactly("s-old"); // the culprit
        assertThat(ids("%", null)).isEmpty(); // a wildcard typed is a character, not "anything"
        assertThat(ids("s_old", null)).isEmpty();
    }

    @Test
    void sortsByEachKey() {
        assertThat(ids("", "-lastSeen")).containsExactly("s-new", "s-mid", "s-old");
        assertThat(ids("", "date")).containsExactly("s-new", "s-mid", "s-old");
        assertThat(ids("", "firstSeen")).containsExactly("s-old", "s-mid", "s-new");
        assertThat(ids("", "-firstSeen")).containsExactly("s-new", "s-mid", "s-old");
        assertThat(ids("", "-count").get(0)).isEqualTo("s-mid");
        assertThat(ids("", "freq").get(0)).isEqualTo("s-mid");
        assertThat(ids("", "-users").get(0)).isEqualTo("s-mid");
        assertThat(ids("", "users").get(0)).isEqualTo("s-new");
        assertThat(ids("", "-priority")).containsExactly("s-old", "s-new", "s-mid");
        assertThat(ids("", "priority")).containsExactly("s-mid", "s-new", "s-old");

        // keyset pages on the new keys walk every group once
        JsonPath first = given().queryParam("project", PROJECT)
                .queryParam("sort", "-priority")
                .queryParam("limit", 2)
                .get("/api/v1/groups")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(first.getList("items.groupId")).containsExactly("s-old", "s-new");
        given().queryParam("project", PROJECT)
                .queryParam("sort", "-priority")
                .queryParam("limit", 2)
                .queryParam("cursor", first.getString("nextCursor"))
                .get("/api/v1/groups")
                .then()
                .statusCode(200)
                .body("items.groupId", is(List.of("s-mid")));
    }

    @Test
    void malformedQueriesAre400sNamingTheToken() {
        for (Map.Entry<String, String> bad : Map.of(
                        "is:unresolved level:loud", "'level:loud': level must be one of",
                        "firstSeen:yesterday", "'firstSeen:yesterday': takes -24h",
                        "release:\"1.0", "'release:\"1.0': the quote is never closed",
                        "tag:nokey", "'tag:nokey': tag: takes key=value")
                .entrySet()) {
            given().queryParam("query", bad.getKey())
                    .get("/api/v1/groups")
                    .then()
                    .statusCode(400)
                    .contentType(containsString("application/problem+json"))
                    .body("errors.field", hasItem("query"))
                    .body("errors.reason", hasItem(containsString(bad.getValue())));
        }
        given().queryParam("sort", "loudest").get("/api/v1/groups").then().statusCode(400);
    }

    @Test
    void usersTagDistributionsAndReleases() {
        Map<String, Integer> users = given().queryParam("project", PROJECT)
                .get("/api/v1/groups")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getMap("items.collectEntries { [it.groupId, it.usersAffected] }");
        assertThat(users).containsEntry("s-old", 1).containsEntry("s-mid", 2).containsEntry("s-new", 0);

        JsonPath mid = given().get("/api/v1/groups/s-mid/tags")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(mid.getInt("usersAffected")).isEqualTo(2);
        assertThat(mid.getString("firstRelease")).isEqualTo("shop@1.4.1");
        assertThat(mid.getString("lastRelease")).isEqualTo("shop@1.4.2");
        assertThat(mid.getList("tags.key")).containsExactly("environment", "level", "release", "service", "workflow");
        assertThat(mid.getInt("tags.find { it.key == 'release' }.events")).isEqualTo(2);
        assertThat(mid.getInt("tags.find { it.key == 'release' }.distinctValues"))
                .isEqualTo(2);
        assertThat(mid.getList("tags.find { it.key == 'release' }.top.value"))
                .containsExactly("shop@1.4.1", "shop@1.4.2");
        assertThat(mid.getDouble("tags.find { it.key == 'release' }.top[0].share"))
                .isEqualTo(0.5);
        assertThat(mid.getDouble("tags.find { it.key == 'environment' }.top[0].share"))
                .isEqualTo(1.0);

        JsonPath old = given().get("/api/v1/groups/s-old/tags")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(old.getList("tags.key"))
                .contains("browser", "os", "runtime", "server_name", "custom", "workflow", "release");
        assertThat(old.getString("tags.find { it.key == 'workflow' }.top[0].value"))
                .isEqualTo("checkout");
        given().get("/api/v1/groups/nope/tags").then().statusCode(404);
    }
}
