package io.faultline.impact.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import io.faultline.devstack.quarkus.KafkaTestResource;
import io.faultline.devstack.quarkus.PostgresTestResource;
import io.faultline.impact.ImpactFixtures;
import io.faultline.schemas.ClassifiedError;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class EventResourceTest {

    private static final Instant T0 = Instant.parse("2026-04-01T09:00:00Z");
    private static final String PROJECT = "impact-events";
    private static final String GROUP = "events-g1";
    private static final String HOSTILE = "<script>alert('x')</script>";
    private static final String RICH = ImpactFixtures.eventId(PROJECT, 1);
    private static final String SAMPLE = ImpactFixtures.eventId(PROJECT, 2);
    private static final String BARE = ImpactFixtures.eventId(PROJECT, 3);

    private final ImpactFixtures fixtures = new ImpactFixtures();

    private static ClassifiedError error(String id, int minute) {
        return ImpactFixtures.error(
                PROJECT, id, GROUP, T0.plusSeconds(60L * minute), "/api/bookings", "booking", "high", "user_blocking");
    }

    /** The richest event first, then two poorer but newer ones: the recommended event is not the latest. */
    @BeforeEach
    void threeEventsOfOneGroup() {
        fixtures.send(ImpactFixtures.rich(error(RICH, 0), HOSTILE));
        fixtures.send(ImpactFixtures.sample(error(SAMPLE, 1), 2));
        fixtures.send(error(BARE, 2));
        Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/api/v1/events/" + BARE)
                .then()
                .statusCode(200));
    }

    @Test
    void anEventComesBackWholeWithItsGroupClassificationAndNeighbours() {
        JsonPath e = given().get("/api/v1/events/" + RICH)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();

        assertThat(e.getString("eventId")).isEqualTo(RICH);
        assertThat(e.getString("groupId")).isEqualTo(GROUP);
        assertThat(e.getString("title")).isEqualTo("failure in " + GROUP);
        assertThat(e.getString("classification.severity")).isEqualTo("high");
        assertThat(e.getString("classification.workflow")).isEqualTo("booking");
        assertThat(e.getString("olderEventId")).isNull();
        assertThat(e.getString("newerEventId")).isEqualTo(SAMPLE);
        // the chain root cause first, as Sentry orders it; frames caller first
        assertThat(e.getList("event.exceptions.type"))
                .containsExactly(
                        "java.net.SocketTimeoutException",
                        "org.springframework.dao.DataAccessResourceFailureException");
        assertThat(e.getList("event.exceptions[1].frames")).hasSize(22);
        assertThat(e.getString("event.exceptions[1].frames[14].module"))
                .isEqualTo("com.example.booking.BookingController");
        assertThat(e.getBoolean("event.exceptions[1].frames[14].inApp")).isTrue();
        assertThat(e.getInt("event.exceptions[1].frames[14].lineno")).isEqualTo(57);
        assertThat(e.getString("event.exceptions[1].frames[14].contextLine"))
                .isEqualTo("bookings.save(" + HOSTILE + ");");
        assertThat(e.getBoolean("event.exceptions[1].mechanism.handled")).isFalse();
        assertThat(e.getString("event.message")).isEqualTo(HOSTILE);
        assertThat(e.getList("event.logentry.params")).containsExactly(HOSTILE);
        assertThat(e.getString("event.tags.custom")).isEqualTo(HOSTILE);
        assertThat(e.getString("event.contexts.os.name")).isEqualTo("Linux"); // JSON, not JSON text
        assertThat(e.getString("event.request.method")).isEqualTo("POST");
        assertThat(e.getString("event.request.url")).isEqualTo("https://shop.example/api/bookings");
        assertThat(e.getString("event.request.headers.Accept")).isEqualTo("application/json");
        assertThat(e.getString("event.user.id")).startsWith("sha256:");
        assertThat(e.getString("event.sdk.name")).isEqualTo("sentry.java.spring-boot");
        assertThat(e.getString("event.sdk.version")).isEqualTo("7.14.0");
        assertThat(e.getString("event.release")).isEqualTo("booking@2.3.1");
        assertThat(e.getString("event.environment")).isEqualTo("production");
        assertThat(e.getList("event.breadcrumbs.message")).containsExactly("GET /api/slots 200", HOSTILE);
        assertThat(e.getString("event.breadcrumbs[0].data.status_code")).isEqualTo("200"); // text, as stored
        assertThat(e.getMap("event.breadcrumbs[1].data")).isEmpty();
        assertThat(e.getString("event.timestamp")).isEqualTo(T0.toString());

        given().get("/api/v1/events/" + SAMPLE)
                .then()
                .statusCode(200)
                .body("olderEventId", is(RICH))
                .body("newerEventId", is(BARE));
    }

    @Test
    void latestOldestAndRecommendedPickTheirEvent() {
        given().get("/api/v1/groups/" + GROUP + "/events/latest")
                .then()
                .statusCode(200)
                .body("eventId", is(BARE));
        given().get("/api/v1/groups/" + GROUP + "/events/oldest")
                .then()
                .statusCode(200)
                .body("eventId", is(RICH));
        // the oldest, but the only one with frames of the application's own code and source lines
        given().get("/api/v1/groups/" + GROUP + "/events/recommended")
                .then()
                .statusCode(200)
                .body("eventId", is(RICH))
                .body("event.exceptions[1].frames", hasSize(22));
    }

    @Test
    void aGroupsEventsComeNewestFirstOnePageAfterAnother() {
        JsonPath first = given().queryParam("limit", 2)
                .get("/api/v1/groups/" + GROUP + "/events")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(first.getList("items.eventId")).containsExactly(BARE, SAMPLE);
        assertThat(first.getString("items[1].release")).isEqualTo("shop@1.4.2");

        given().queryParam("limit", 2)
                .queryParam("cursor", first.getString("nextCursor"))
                .get("/api/v1/groups/" + GROUP + "/events")
                .then()
                .statusCode(200)
                .body("items.eventId", org.hamcrest.Matchers.contains(RICH))
                .body("nextCursor", nullValue());
    }

    @Test
    void unknownIdsAre404AndMalformedParametersAre400NamingThem() {
        given().get("/api/v1/events/" + "f".repeat(32))
                .then()
                .statusCode(404)
                .contentType(Problem.MEDIA_TYPE)
                .body("detail", containsString("no event"));
        given().get("/api/v1/groups/no-such-group/events")
                .then()
                .statusCode(404)
                .contentType(Problem.MEDIA_TYPE);
        given().get("/api/v1/groups/no-such-group/events/latest")
                .then()
                .statusCode(404)
                .contentType(Problem.MEDIA_TYPE)
                .body("detail", is("no group no-such-group"));

        given().get("/api/v1/events/" + "a".repeat(65))
                .then()
                .statusCode(400)
                .contentType(Problem.MEDIA_TYPE)
                .body("errors[0].field", is("id"));
        given().urlEncodingEnabled(false)
                .get("/api/v1/events/a%01b")
                .then()
                .statusCode(400)
                .body("errors[0].field", is("id"));
        given().queryParam("limit", "0")
                .get("/api/v1/groups/" + GROUP + "/events")
                .then()
                .statusCode(400)
                .body("errors[0].field", is("limit"));
        given().queryParam("cursor", "not-a-cursor")
                .get("/api/v1/groups/" + GROUP + "/events")
                .then()
                .statusCode(400)
                .body("errors[0].field", is("cursor"));
        given().get("/api/v1/groups/" + GROUP + "/events/newest")
                .then()
                .statusCode(400)
                .contentType(Problem.MEDIA_TYPE)
                .body("errors[0].field", is("pick"));
    }
}
