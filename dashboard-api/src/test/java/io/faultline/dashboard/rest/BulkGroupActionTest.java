package io.faultline.dashboard.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import io.faultline.devstack.quarkus.KafkaTestResource;
import io.faultline.schemas.ResolutionEvent;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Operators resolve, ignore or reopen many groups at once; each group is audited as if acted on alone. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(StubImpactService.class)
@QuarkusTestResource(TestUsers.class)
class BulkGroupActionTest {

    private static final String PATH = "/api/v1/groups/bulk-actions";

    @Test
    void everyGroupOfABulkResolveIsAuditedAndAnsweredOneByOne() {
        String run = Long.toString(System.nanoTime());
        String a = "bulk-a-" + run;
        String b = "bulk-b-" + run;
        JsonPath answer = given().header("Authorization", "Bearer test-admin-token")
                .contentType("application/json")
                .body("{\"action\":\"resolve\",\"note\":\"fixed by the deploy\",\"groups\":["
                        + "{\"id\":\"" + a + "\",\"projectId\":\"1\"},"
                        + "{\"id\":\"" + b + "\",\"projectId\":\"2\"},"
                        + "{\"id\":\"bad\\u0000id\",\"projectId\":\"1\"}]}")
                .post(PATH)
                .then()
                .statusCode(200)
                .body("accepted", is(2))
                .body("refused", is(1))
                .extract()
                .jsonPath();
        assertThat(answer.getList("results.id")).containsExactly(a, b, "bad\u0000id");
        assertThat(answer.getList("results.status", Integer.class)).containsExactly(202, 202, 400);
        assertThat(answer.getString("results[2].problem.errors[0].field")).isEqualTo("id");

        ResolutionEvent first = AuditTrailReader.firstEntryOf(a);
        ResolutionEvent second = AuditTrailReader.firstEntryOf(b);
        assertThat(first.getAction()).isEqualTo("manual_resolve");
        assertThat(second.getAction()).isEqualTo("manual_resolve");
        assertThat(second.getProjectId()).isEqualTo("2");
    }

    @Test
    void aGroupThatFailsMidwayIsAnsweredInItsOwnResultAndTheOthersStillAre() {
        JsonPath answer = given().header("Authorization", "Bearer test-admin-token")
                .contentType("application/json")
                .body("{\"action\":\"resolve_in_release\",\"groups\":["
                        + "{\"id\":\"group-impact-down\",\"projectId\":\"1\"},"
                        + "{\"id\":\"group-without-release\",\"projectId\":\"1\"},"
                        + "{\"id\":\"group-stack\",\"projectId\":\"1\"}]}")
                .post(PATH)
                .then()
                .statusCode(200)
                .body("accepted", is(1))
                .body("refused", is(2))
                .extract()
                .jsonPath();
        // the impact-service failed the first group's read: said as for one group, the next groups still acted on
        assertThat(answer.getInt("results[0].status")).isEqualTo(502);
        assertThat(answer.getString("results[0].problem.detail")).isNotBlank();
        // a refusal's reason is its problem, whatever step refused it
        assertThat(answer.getInt("results[1].status")).isEqualTo(400);
        assertThat(answer.getString("results[1].problem.errors[0].field")).isEqualTo("release");
        assertThat(answer.getString("results[1].recorded")).isNull();
        assertThat(answer.getInt("results[2].status")).isEqualTo(202);
    }

    @Test
    void aBulkIgnoreCarriesItsConditionToEveryGroup() {
        String group = "bulk-ignored-" + System.nanoTime();
        given().header("Authorization", "Bearer test-admin-token")
                .contentType("application/json")
                .body("{\"action\":\"ignore\",\"untilOccurrences\":5,\"groups\":[{\"id\":\"" + group
                        + "\",\"projectId\":\"1\"}]}")
                .post(PATH)
                .then()
                .statusCode(200)
                .body("accepted", is(1));
        assertThat(AuditTrailReader.firstEntryOf(group).getDetails()).containsEntry("ignoreUntilOccurrences", "5");
    }

    @Test
    void whatAppliesToTheWholeRequestIsRefusedOnceNamingTheField() {
        String many = IntStream.range(0, 101)
                .mapToObj(i -> "{\"id\":\"g" + i + "\",\"projectId\":\"1\"}")
                .collect(Collectors.joining(",", "[", "]"));
        for (String[] bad : new String[][] {
            {"{\"action\":\"resolve\"}", "groups"},
            {"{\"action\":\"resolve\",\"groups\":[]}", "groups"},
            {"{\"action\":\"resolve\",\"groups\":" + many + "}", "groups"},
            {"{\"action\":\"delete\",\"groups\":[{\"id\":\"g\",\"projectId\":\"1\"}]}", "action"},
            {
                "{\"action\":\"ignore\",\"until\":\"next tuesday\",\"groups\":[{\"id\":\"g\",\"projectId\":\"1\"}]}",
                "until"
            },
            {"{\"action\":\"resolve\",\"groups\":[null]}", "groups[0]"}
        }) {
            given().header("Authorization", "Bearer test-admin-token")
                    .contentType("application/json")
                    .body(bad[0])
                    .post(PATH)
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("errors[0].field", is(bad[1]));
        }
    }

    @Test
    void operatorsActInBulkAndViewersMayNot() {
        String otto = TestUsers.sessionOf("otto");
        given().cookie("faultline_session", otto)
                .header("X-Faultline-CSRF", TestUsers.csrfOf(otto))
                .contentType("application/json")
                .body("{\"action\":\"reopen\",\"groups\":[{\"id\":\"bulk-reopened-" + System.nanoTime()
                        + "\",\"projectId\":\"1\"}]}")
                .post(PATH)
                .then()
                .statusCode(200)
                .body("accepted", is(1));
        String session = TestUsers.sessionOf("vera");
        given().cookie("faultline_session", session)
                .header("X-Faultline-CSRF", TestUsers.csrfOf(session))
                .contentType("application/json")
                .body("{\"action\":\"resolve\",\"groups\":[{\"id\":\"g\",\"projectId\":\"1\"}]}")
                .post(PATH)
                .then()
                .statusCode(403)
                .body("detail", containsString("operator"));
    }
}
