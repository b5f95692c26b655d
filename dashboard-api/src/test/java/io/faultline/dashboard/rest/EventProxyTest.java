package io.faultline.dashboard.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import io.faultline.devstack.quarkus.KafkaTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The impact-service's event API behind the dashboard: same paths, same access rules as the group reads. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(StubImpactService.class)
@QuarkusTestResource(TestUsers.class)
class EventProxyTest {

    private static final List<String> PATHS = List.of(
            "/api/v1/events/" + StubImpactService.NEWER_EVENT,
            "/api/v1/groups/group-stack/events",
            "/api/v1/groups/group-stack/events/recommended",
            "/api/v1/groups/group-stack/tags",
            "/api/v1/groups?query=is%3Aunresolved");

    private static RequestSpecification viewer() {
        return given().urlEncodingEnabled(false).cookie("faultline_session", TestUsers.sessionOf("vera"));
    }

    @Test
    void strangersAre401AndAViewerReadsEvents() {
        for (String path : PATHS) {
            given().get(path).then().statusCode(401).contentType("application/problem+json");
            viewer().get(path).then().statusCode(200);
        }
        viewer().get("/api/v1/groups/group-stack/events/recommended")
                .then()
                .body("eventId", is(StubImpactService.NEWER_EVENT))
                .body("olderEventId", is(StubImpactService.OLDER_EVENT))
                .body("event.exceptions[0].frames[3].function", is("charge"));
        viewer().get("/api/v1/events/" + StubImpactService.OLDER_EVENT)
                .then()
                .statusCode(200)
                .body("newerEventId", is(StubImpactService.NEWER_EVENT));
        // the cursor and limit reach the impact-service untouched
        viewer().get("/api/v1/groups/group-stack/events?limit=5&cursor=djEKLW9jY3VycmVkQXQ")
                .then()
                .statusCode(200)
                .body("query", containsString("limit=5"))
                .body("query", containsString("cursor=djEKLW9jY3VycmVkQXQ"));
    }

    @Test
    void theSearchAndSortReachTheImpactServiceUntouchedAndItsRefusalComesBack() {
        String forwarded = viewer().get(
                        "/api/v1/groups?query=is%3Aunresolved%20tag%3Acustomer%3D%22gold%20tier%22%20!level%3Aerror"
                                + "&sort=-users")
                .then()
                .statusCode(200)
                .body("items[0].usersAffected", is(7))
                .extract()
                .path("query");
        // re-encoded on the way (spaces as +), the same text once decoded
        assertThat(java.net.URLDecoder.decode(forwarded, java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo("query=is:unresolved tag:customer=\"gold tier\" !level:error&sort=-users");
        viewer().get("/api/v1/groups/group-stack/tags")
                .then()
                .statusCode(200)
                .body("usersAffected", is(7))
                .body("tags[0].top[0].value", is("shop@1.4.2"));
        viewer().get("/api/v1/groups/" + "g".repeat(65) + "/tags")
                .then()
                .statusCode(400)
                .body("errors[0].field", is("id"));
        viewer().get("/api/v1/groups?query=level%3Aloud&stub-status=400")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void aBadIdIs400NamingItAndAnUnknownOneIs404() {
        String tooLong = "e".repeat(65);
        for (String path : List.of(
                "/api/v1/events/" + tooLong,
                "/api/v1/events/a%0D%0Ab",
                "/api/v1/groups/" + tooLong + "/events",
                "/api/v1/groups/" + tooLong + "/events/latest")) {
            viewer().get(path)
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("errors[0].field", is("id"));
        }
        viewer().get("/api/v1/events/" + "f".repeat(32)).then().statusCode(404).contentType("application/problem+json");
        // the impact-service's refusal reaches the caller with the field it names
        viewer().get("/api/v1/groups/group-stack/events?stub-status=422")
                .then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("errors[0].field", is("stub"));
    }
}
