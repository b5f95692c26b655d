package io.faultline.impact.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.faultline.devstack.quarkus.KafkaTestResource;
import io.faultline.devstack.quarkus.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every parameter of the query API with the values an outside fuzzer sent it (issue #19): each is
 * answered 400 as a problem naming the parameter, never 500, and the API serves normal requests
 * afterwards. Request targets are sent as written (already percent-encoded).
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class HostileQueryTest {

    private static final String FAR_PAST = "-1000000000-01-01T00:00:00Z";
    private static final String FAR_FUTURE = "%2B1000000000-12-31T23:59:59Z";

    /** A request target and the parameter its 400 must name. */
    private record Hostile(String target, String field) {}

    private static String cursor(String sort, String key, String id) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(String.join("\n", "v1", sort, key, id).getBytes(StandardCharsets.UTF_8));
    }

    private static List<Hostile> hostile() {
        List<Hostile> cases = new ArrayList<>();
        for (String list : List.of("/api/v1/groups", "/api/v1/resolutions", "/api/v1/incidents")) {
            cases.add(new Hostile(list + "?from=" + FAR_PAST, "from"));
            cases.add(new Hostile(list + "?to=" + FAR_FUTURE, "to"));
            cases.add(new Hostile(list + "?from=2026-13-45T00:00:00Z", "from"));
            cases.add(new Hostile(list + "?limit=99999999999", "limit"));
            cases.add(new Hostile(list + "?limit=abc", "limit"));
            cases.add(new Hostile(list + "?limit=1e3", "limit"));
            cases.add(new Hostile(list + "?limit=-1", "limit"));
            cases.add(new Hostile(list + "?project=%00", "project"));
            cases.add(new Hostile(list + "?project=a%0Ab", "project"));
            cases.add(new Hostile(list + "?cursor=%00", "cursor"));
            cases.add(new Hostile(list + "?cursor=%25%25%25", "cursor"));
        }
        cases.add(new Hostile("/api/v1/groups?severity=%00", "severity"));
        cases.add(new Hostile("/api/v1/groups?sort=%00", "sort"));
        cases.add(new Hostile("/api/v1/groups?workflow=x%00", "workflow"));
        cases.add(new Hostile("/api/v1/groups?cursor=" + cursor("-lastSeen", FAR_PAST, "g"), "cursor"));
        cases.add(new Hostile("/api/v1/groups?cursor=" + cursor("-lastSeen", "2026-01-01T00:00:00Z", "g\0"), "cursor"));
        cases.add(new Hostile(
                "/api/v1/groups?sort=-count&cursor=" + cursor("-count", "99999999999999999999", "g"), "cursor"));
        cases.add(new Hostile("/api/v1/groups?sort=-count&cursor=" + cursor("-count", "1", "x".repeat(200)), "cursor"));
        cases.add(new Hostile("/api/v1/groups?query=%00", "query"));
        cases.add(new Hostile("/api/v1/groups?query=lastSeen:-99999999999w", "query"));
        cases.add(new Hostile("/api/v1/groups?query=tag:" + "k".repeat(40) + "=v", "query"));
        cases.add(new Hostile("/api/v1/groups?query=" + "x%20".repeat(600), "query"));
        cases.add(new Hostile("/api/v1/groups?sort=-users&cursor=" + cursor("-users", "-1", "g"), "cursor"));
        cases.add(new Hostile("/api/v1/resolutions?group=%00", "group"));
        cases.add(new Hostile("/api/v1/resolutions?phase=%01", "phase"));
        cases.add(new Hostile("/api/v1/resolutions?cursor=" + cursor("-timestamp", FAR_PAST, "e"), "cursor"));
        cases.add(new Hostile("/api/v1/incidents?group=%00", "group"));
        cases.add(new Hostile("/api/v1/incidents?status=%00", "status"));
        cases.add(
                new Hostile("/api/v1/incidents?cursor=" + cursor("-openedAt", "2026-01-01T00:00:00Z", "\0"), "cursor"));
        for (String report : List.of("/api/v1/sla", "/api/v1/workflows/impact")) {
            cases.add(new Hostile(report + "?from=" + FAR_PAST, "from"));
            cases.add(new Hostile(report + "?to=" + FAR_PAST, "to"));
            cases.add(new Hostile(report + "?to=" + FAR_FUTURE, "to"));
            cases.add(new Hostile(report + "?from=" + FAR_PAST + "&to=" + FAR_FUTURE, "from"));
            cases.add(new Hostile(report + "?project=%00", "project"));
        }
        cases.add(new Hostile("/api/v1/overview?limit=-1", "limit"));
        cases.add(new Hostile("/api/v1/overview?limit=0", "limit"));
        cases.add(new Hostile("/api/v1/overview?limit=abc", "limit"));
        cases.add(new Hostile("/api/v1/overview?limit=99999999999", "limit"));
        cases.add(new Hostile("/api/v1/overview?project=%00", "project"));
        cases.add(new Hostile("/api/v1/groups/%00", "id"));
        cases.add(new Hostile("/api/v1/groups/a%0D%0Ab", "id"));
        cases.add(new Hostile("/api/v1/groups/" + "x".repeat(65), "id"));
        return cases;
    }

    @Test
    void everyHostileValueIsA400NamingItsParameterAndTheApiCarriesOn() {
        List<String> wrong = new ArrayList<>();
        for (Hostile h : hostile()) {
            Response answer = given().urlEncodingEnabled(false).get(h.target());
            String fields = answer.statusCode() == 400
                    ? String.valueOf(answer.jsonPath().getList("errors.field"))
                    : "";
            if (answer.statusCode() != 400
                    || !answer.contentType().startsWith(Problem.MEDIA_TYPE)
                    || !answer.jsonPath().getList("errors.field").contains(h.field())) {
                wrong.add(h.target() + " -> " + answer.statusCode() + " " + fields + " "
                        + answer.asString()
                                .substring(0, Math.min(200, answer.asString().length())));
            }
        }
        assertThat(wrong)
                .as("hostile values not answered 400 naming the parameter")
                .isEmpty();

        given().queryParam("limit", 1).get("/api/v1/groups").then().statusCode(200);
        given().queryParam("limit", 1).get("/api/v1/overview").then().statusCode(200);
        given().get("/api/v1/sla").then().statusCode(200);
        given().queryParam("from", "0001-01-01T00:00:00Z")
                .get("/api/v1/incidents")
                .then()
                .statusCode(200);
        given().get("/api/v1/groups/no-such-group").then().statusCode(404);
    }
}
