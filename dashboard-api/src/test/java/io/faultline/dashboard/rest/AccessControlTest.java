package io.faultline.dashboard.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.is;

import io.faultline.dashboard.security.SessionTokens;
import io.faultline.devstack.KafkaTestClient;
import io.faultline.devstack.quarkus.KafkaTestResource;
import io.faultline.schemas.topics.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(StubImpactService.class)
@QuarkusTestResource(TestUsers.class)
class AccessControlTest {

    @Test
    void theUiSendsStrangersToTheLoginPage() {
        given().redirects().follow(false).get("/").then().statusCode(302).header("Location", "/login.html");
        given().get("/login.html").then().statusCode(200).body(containsString("password"));
        given().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void strangersProbingMadeUpPathsAddNoMetricSeries() {
        // refusals come from the access gate's own route, ahead of any URI template: a series per
        // probed path would grow the registry and every scrape without bound
        String probe = "probe" + System.nanoTime();
        given().get("/api/v1/groups/" + probe).then().statusCode(401);
        given().contentType("application/json")
                .body("{\"action\":\"resolve\"}")
                .post("/api/v1/groups/" + probe + "/actions")
                .then()
                .statusCode(401);
        given().redirects().follow(false).get("/" + probe + ".html").then().statusCode(302);
        given().cookie("faultline_session", TestUsers.sessionOf("vera"))
                .contentType("application/json")
                .header("X-Faultline-Csrf", "wrong")
                .body("{}")
                .post("/api/v1/admin/" + probe)
                .then()
                .statusCode(403);

        String metrics = given().get("/q/metrics").asString();
        // still counted, under one tag value
        assertThat(metrics).containsPattern("http_server_requests_seconds_count\\{[^}]*status=\"401\",uri=\"UNKNOWN\"");
        assertThat(metrics).doesNotContain(probe);
    }

    @Test
    void aRightPasswordGivesAStrictHttpOnlySessionCookie() {
        Response response = TestUsers.login("vera", TestUsers.PASSWORD);

        assertThat(response.statusCode()).isEqualTo(303);
        assertThat(response.header("Location")).endsWith("/");
        assertThat(response.header("Set-Cookie"))
                .contains("faultline_session=")
                .contains("HttpOnly")
                .containsIgnoringCase("SameSite=Strict");
        given().cookie("faultline_session", response.getCookie("faultline_session"))
                .get("/api/v1/me")
                .then()
                .statusCode(200)
                .body("user", is("vera"))
                .body("role", is("viewer"))
                .body("ingestUrl", containsString("http"));
    }

    @Test
    void aLogoutEndsTheSessionForEveryCopyOfItsCookieAndTellsTheOtherInstances() {
        String session = TestUsers.sessionOf("vera");
        String copy = session; // what an attacker lifted from the browser before the logout
        given().cookie("faultline_session", session)
                .header("X-Faultline-CSRF", TestUsers.csrfOf(session))
                .redirects()
                .follow(false)
                .post("/auth/logout")
                .then()
                .statusCode(303)
                .header("Location", endsWith("/login.html"));

        given().cookie("faultline_session", copy).get("/api/v1/me").then().statusCode(401);
        String id = SessionTokens.sessionId(session.split("\\.")[3]);
        assertThat(kafka()
                        .readUntil(
                                Topics.SESSIONS_REVOKED.name(),
                                read -> read.stream().anyMatch(r -> id.equals(r.key())),
                                Duration.ofSeconds(30))
                        .stream()
                        .anyMatch(r -> id.equals(r.key())))
                .as("the logout is on the topic every dashboard instance follows")
                .isTrue();
        // a new login is a new session
        given().cookie("faultline_session", TestUsers.sessionOf("vera"))
                .get("/api/v1/me")
                .then()
                .statusCode(200);
    }

    @Test
    void aLogoutOnAnotherInstanceEndsTheSessionHereToo() {
        String session = TestUsers.sessionOf("vera");
        given().cookie("faultline_session", session).get("/api/v1/me").then().statusCode(200);
        String expires = Long.toString(Instant.now().plusSeconds(3600).getEpochSecond());

        kafka().produce(
                        Topics.SESSIONS_REVOKED.name(),
                        SessionTokens.sessionId(session.split("\\.")[3]),
                        expires.getBytes(StandardCharsets.UTF_8));

        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().cookie(
                        "faultline_session", session)
                .get("/api/v1/me")
                .then()
                .statusCode(401));
    }

    private static KafkaTestClient kafka() {
        return new KafkaTestClient(ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
    }

    @Test
    void wrongPasswordsAndUnknownUsersGoBackToTheLoginPage() {
        for (Response response :
                new Response[] {TestUsers.login("vera", "wrong"), TestUsers.login("nobody", TestUsers.PASSWORD)}) {
            assertThat(response.statusCode()).isEqualTo(303);
            assertThat(response.header("Location")).endsWith("/login.html?error=credentials");
            assertThat(response.getCookie("faultline_session")).isNull();
        }
    }

    @Test
    void repeatedWrongPasswordsMakeTheNameWaitAndNobodyElse() {
        int refused = 0;
        Response answer = TestUsers.login("tess", "wrong");
        for (int attempt = 0; attempt < 10 && answer.header("Location").endsWith("error=credentials"); attempt++) {
            refused++;
            answer = TestUsers.login("tess", "wrong");
        }
        // five wrong passwords are free; the next attempt within the wait is not even checked
        assertThat(refused).isGreaterThanOrEqualTo(5);
        assertThat(answer.statusCode()).isEqualTo(303);
        assertThat(answer.header("Location")).contains("/login.html?error=throttled&retry=");
        long wait = Long.parseLong(answer.header("Retry-After"));
        assertThat(wait).isBetween(1L, 300L);

        // other names are not slowed down
        assertThat(TestUsers.login("vera", TestUsers.PASSWORD).getCookie("faultline_session"))
                .isNotNull();

        // after the wait the right password gets in (attempts within it are not counted), and
        // clears the name
        Response in = Awaitility.await()
                .atMost(Duration.ofSeconds(wait + 10))
                .pollInterval(Duration.ofMillis(250))
                .until(
                        () -> TestUsers.login("tess", TestUsers.PASSWORD),
                        r -> r.getCookie("faultline_session") != null);
        assertThat(in.header("Location")).doesNotContain("error");
        assertThat(TestUsers.login("tess", "wrong").header("Location")).endsWith("error=credentials");
    }

    @Test
    void theInitialAdminFromTheEnvironmentCanLogIn() {
        given().cookie("faultline_session", TestUsers.sessionOf("ada"))
                .get("/api/v1/me")
                .then()
                .statusCode(200)
                .body("role", is("admin"));
    }

    @Test
    void aForgedOrAlteredCookieIsAStranger() {
        String session = TestUsers.sessionOf("vera");
        given().cookie("faultline_session", session.replace(".viewer.", ".admin."))
                .get("/api/v1/me")
                .then()
                .statusCode(401);
    }

    @Test
    void stateChangesOnASessionNeedTheCsrfToken() {
        String session = TestUsers.sessionOf("otto");
        given().cookie("faultline_session", session)
                .contentType("application/json")
                .body("{\"action\":\"resolve\"}")
                .post("/api/v1/groups/g1/actions")
                .then()
                .statusCode(403)
                .body("detail", containsString("X-Faultline-CSRF"));
    }

    @Test
    void viewersMayReadButNotAct() {
        String session = TestUsers.sessionOf("vera");
        given().cookie("faultline_session", session)
                .header("X-Faultline-CSRF", TestUsers.csrfOf(session))
                .contentType("application/json")
                .body("{\"action\":\"resolve\"}")
                .post("/api/v1/groups/g1/actions")
                .then()
                .statusCode(403)
                .body("detail", containsString("operator"));
        given().cookie("faultline_session", session)
                .get("/api/v1/overview")
                .then()
                .statusCode(200);
    }

    @Test
    void viewersReadAlertRulesAndOperatorsSetThemWithTheImpactServicesRefusalPassedOn() {
        String vera = TestUsers.sessionOf("vera");
        String rule = "{\"name\":\"pager\",\"when\":{\"type\":\"new_issue\"}}";
        given().cookie("faultline_session", vera)
                .get("/api/v1/alert-rules")
                .then()
                .statusCode(200);
        given().cookie("faultline_session", vera)
                .header("X-Faultline-CSRF", TestUsers.csrfOf(vera))
                .contentType("application/json")
                .body(rule)
                .post("/api/v1/alert-rules")
                .then()
                .statusCode(403)
                .body("detail", containsString("operator"));
        String otto = TestUsers.sessionOf("otto");
        given().cookie("faultline_session", otto)
                .header("X-Faultline-CSRF", TestUsers.csrfOf(otto))
                .contentType("application/json")
                .body(rule)
                .post("/api/v1/alert-rules")
                .then()
                .statusCode(201)
                .body("id", is(7))
                .body("name", is("pager"));
        given().cookie("faultline_session", otto)
                .header("X-Faultline-CSRF", TestUsers.csrfOf(otto))
                .contentType("application/json")
                .body("{}")
                .post("/api/v1/alert-rules")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", is("name"));
        given().cookie("faultline_session", otto)
                .get("/api/v1/alert-rules/x1/history")
                .then()
                .statusCode(400)
                .body("errors[0].field", is("id"));
    }

    @Test
    void crossOriginLoginIsRefused() {
        given().header("Origin", "https://evil.example")
                .formParam("username", "vera")
                .formParam("password", TestUsers.PASSWORD)
                .post("/auth/login")
                .then()
                .statusCode(403);
    }

    @Test
    void impactEndpointsArePassedThroughAndTheir404sKept() {
        given().header("Authorization", "Bearer test-admin-token")
                .queryParam("status", "unresolved")
                .queryParam("cursor", "abc")
                .get("/api/v1/groups")
                .then()
                .statusCode(200)
                .body("query", containsString("cursor=abc"))
                .body("query", containsString("status=unresolved"));
        given().header("Authorization", "Bearer test-admin-token")
                .queryParam("status", "open")
                .get("/api/v1/incidents")
                .then()
                .statusCode(200)
                .body("items[0].incidentId", is("inc-1"))
                .body("query", containsString("status=open"));
        given().get("/api/v1/incidents").then().statusCode(401);
        given().header("Authorization", "Bearer test-admin-token")
                .get("/api/v1/resolutions")
                .then()
                .statusCode(404)
                .body("title", is("not-found"));
    }
}
