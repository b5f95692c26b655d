package io.faultline.ingest.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;

import io.faultline.devstack.quarkus.KafkaTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * What a browser SDK needs from Sentry's endpoints: a preflight answered, and every answer, a
 * refusal included, readable from another origin, with the headers it backs off by exposed.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
class SentryCorsTest {

    private static final String ORIGIN = "https://shop.example";

    @Test
    void aPreflightIsAnsweredForTheEnvelopeAndStoreEndpoints() {
        for (String path : new String[] {"/api/1/envelope/", "/api/1/store/"}) {
            given().header("Origin", ORIGIN)
                    .header("Access-Control-Request-Method", "POST")
                    .header("Access-Control-Request-Headers", "content-type, x-sentry-auth, sentry-trace")
                    .options(path)
                    .then()
                    .statusCode(200)
                    .header("Access-Control-Allow-Origin", "*")
                    .header("Access-Control-Allow-Methods", containsString("POST"))
                    .header("Access-Control-Allow-Headers", containsString("x-sentry-auth"))
                    .header("Access-Control-Allow-Headers", containsString("sentry-trace"))
                    .header("Access-Control-Max-Age", "3600");
        }
    }

    @Test
    void acceptedAndRefusedAnswersAreReadableCrossOrigin() {
        String eventId = SentryResourceTest.id();
        // what @sentry/browser sends: text/plain, the key in the query
        given().header("Origin", ORIGIN)
                .contentType("text/plain;charset=UTF-8")
                .queryParam("sentry_key", "test-project-key")
                .queryParam("sentry_version", "7")
                .body(SentryResourceTest.envelope(eventId, "").getBytes(StandardCharsets.UTF_8))
                .post("/api/1/envelope/")
                .then()
                .statusCode(200)
                .body("id", is(eventId))
                .header("Access-Control-Allow-Origin", "*")
                .header("Access-Control-Expose-Headers", containsString("x-sentry-rate-limits"))
                .header("Access-Control-Expose-Headers", containsString("retry-after"))
                .header("X-Sentry-Error", nullValue());

        given().header("Origin", ORIGIN)
                .contentType("text/plain;charset=UTF-8")
                .body(SentryResourceTest.envelope(SentryResourceTest.id(), "").getBytes(StandardCharsets.UTF_8))
                .post("/api/1/envelope/")
                .then()
                .statusCode(401)
                .header("Access-Control-Allow-Origin", "*")
                .header("X-Sentry-Error", containsString("X-Sentry-Auth"));

        // a refusal quoting the client's bytes stays a valid header: printable ASCII only
        given().header("Origin", ORIGIN)
                .header("X-Sentry-Auth", SentryResourceTest.AUTH)
                .body("{\"event_id\":\"\u00e9\n\"".getBytes(StandardCharsets.UTF_8))
                .post("/api/1/store/")
                .then()
                .statusCode(400)
                .header("Access-Control-Allow-Origin", "*")
                .header("X-Sentry-Error", matchesPattern("[ -~]+"));
    }

    @Test
    void aRateLimitedBrowserSeesWhenToComeBack() {
        // project 79 is limited to 1 request a minute in the test profile
        String key = AdminProjectResourceTest.createProject("79", "browser");
        byte[] body = SentryResourceTest.envelope(SentryResourceTest.id(), "").getBytes(StandardCharsets.UTF_8);
        given().header("Origin", ORIGIN)
                .queryParam("sentry_key", key)
                .body(body)
                .post("/api/79/envelope/")
                .then()
                .statusCode(200);
        given().header("Origin", ORIGIN)
                .queryParam("sentry_key", key)
                .body(body)
                .post("/api/79/envelope/")
                .then()
                .statusCode(429)
                .header("Access-Control-Allow-Origin", "*")
                .header("Access-Control-Expose-Headers", containsString("x-sentry-rate-limits"))
                .header("X-Sentry-Rate-Limits", matchesPattern("\\d+::project"))
                .header("X-Sentry-Error", matchesPattern(".+"));
    }

    @Test
    void theNativeAndAdminApisAreNotOpenedToPages() {
        given().header("Origin", ORIGIN)
                .header("Authorization", "Bearer test-project-key")
                .contentType("application/json")
                .body("{\"message\":\"from a server\"}")
                .post("/api/v1/projects/1/events")
                .then()
                .statusCode(202)
                .header("Access-Control-Allow-Origin", nullValue())
                .header("X-Sentry-Error", nullValue());
        given().header("Origin", ORIGIN)
                .header("Access-Control-Request-Method", "POST")
                .options("/api/v1/admin/projects")
                .then()
                .header("Access-Control-Allow-Origin", nullValue());
    }

    @Test
    void theErrorHeaderIsPrintableAsciiAndCapped() {
        assertThat(ProblemMapper.headerSafe("bad \u00e9vent\r\nSet-Cookie: x")).isEqualTo("bad ?vent??Set-Cookie: x");
        assertThat(ProblemMapper.headerSafe("x".repeat(500))).hasSize(200);
        assertThat(ProblemMapper.headerSafe(null)).isEmpty();
    }
}
