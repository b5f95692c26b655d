package io.faultline.impact.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;

import io.faultline.devstack.quarkus.KafkaTestResource;
import io.faultline.devstack.quarkus.PostgresTestResource;
import io.faultline.impact.ImpactFixtures;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class GroupResourceTest {

    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
    private static final String PROJECT = "impact-paging";
    private final ImpactFixtures fixtures = new ImpactFixtures();

    private void group(int i) {
        fixtures.send(ImpactFixtures.error(
                PROJECT,
                ImpactFixtures.eventId(PROJECT, i),
                "page-g" + i,
                T0.plusSeconds(60L * i),
                "/api/clients/" + i,
                null,
                i % 2 == 0 ? "high" : "low",
                "operational"));
    }

    private JsonPath page(String cursor) {
        var request = given().queryParam("project", PROJECT).queryParam("limit", 2);
        if (cursor != null) {
            request.queryParam("cursor", cursor);
        }
        return request.get("/api/v1/groups").then().statusCode(200).extract().jsonPath();
    }

    @Test
    void cursorsWalkEveryGroupOnceEvenWhenNewGroupsArriveMeanwhile() {
        for (int i = 1; i <= 5; i++) {
            group(i);
        }
        Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().queryParam("project", PROJECT)
                .get("/api/v1/overview")
                .then()
                .body("groupCount", is(5)));

        List<String> seen = new ArrayList<>();
        JsonPath first = page(null);
        seen.addAll(first.getList("items.groupId"));
        assertThat(seen).containsExactly("page-g5", "page-g4");

        group(6); // newer than everything: must not shift the pages already being walked
        Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().queryParam("project", PROJECT)
                .get("/api/v1/overview")
                .then()
                .body("groupCount", is(6)));

        String cursor = first.getString("nextCursor");
        while (cursor != null) {
            JsonPath next = page(cursor);
            seen.addAll(next.getList("items.groupId"));
            cursor = next.getString("nextCursor");
        }
        assertThat(seen).containsExactly("page-g5", "page-g4", "page-g3", "page-g2", "page-g1");

        given().queryParam("project", PROJECT)
                .queryParam("severity", "high")
                .queryParam("sort", "firstSeen")
                .get("/api/v1/groups")
                .then()
                .statusCode(200)
                .body("items.groupId", hasItems("page-g2", "page-g4", "page-g6"))
                .body("items[0].groupId", is("page-g2"))
                .body("items[0].workflow", is("client_management"));
    }

    @Test
    void badParametersAreOneProblemListingEveryField() {
        given().queryParam("severity", "catastrophic")
                .queryParam("limit", 0)
                .queryParam("sort", "title")
                .queryParam("cursor", "not-a-cursor!")
                .queryParam("from", "2026-13-01")
                .get("/api/v1/groups")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("title", is("Invalid query parameters"))
                .body("errors.field", hasItems("severity", "limit", "sort", "cursor", "from"));
        String cursorOfAnotherSort = page(null).getString("nextCursor");
        if (cursorOfAnotherSort != null) {
            given().queryParam("sort", "-count")
                    .queryParam("cursor", cursorOfAnotherSort)
                    .get("/api/v1/groups")
                    .then()
                    .statusCode(400)
                    .body("errors[0].field", is("cursor"));
        }
        given().queryParam("limit", 501)
                .get("/api/v1/resolutions")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", is("limit"));
    }
}
