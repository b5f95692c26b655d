package io.faultline.dashboard.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import io.faultline.devstack.quarkus.KafkaTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * sentry-cli pointed at the dashboard (SENTRY_URL, SENTRY_AUTH_TOKEN = the admin token): its
 * source map uploads reach the impact-service whole, and nobody else's do.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(StubImpactService.class)
@QuarkusTestResource(TestUsers.class)
class SentryUploadProxyTest {

    private static final String BASE = "/api/0/organizations/acme";

    @Test
    void anAdminTokensUploadsReachTheImpactServiceWhole() {
        given().header("Authorization", "Bearer test-admin-token")
                .get(BASE + "/chunk-upload/")
                .then()
                .statusCode(200)
                .body("method", is("GET"))
                .body("path", is(BASE + "/chunk-upload/"))
                .body("forwardedHost", startsWith("localhost:"))
                // the token stays at the gate
                .body("authorization", is("null"));

        byte[] chunk = new byte[3 * 1024 * 1024];
        Arrays.fill(chunk, (byte) 'x');
        given().header("Authorization", "Bearer test-admin-token")
                .multiPart("file", "0123456789012345678901234567890123456789", chunk, "application/octet-stream")
                .post(BASE + "/chunk-upload/")
                .then()
                .statusCode(200)
                .body("method", is("POST"))
                .body("contentType", startsWith("multipart/form-data; boundary="))
                // the multipart body with its 3 MiB part, streamed through
                .body("bodyBytes", org.hamcrest.Matchers.greaterThan(chunk.length));

        given().header("Authorization", "Bearer test-admin-token")
                .contentType("application/json")
                .body("{\"checksum\":\"x\"}")
                .post(BASE + "/artifactbundle/assemble/")
                .then()
                .statusCode(200)
                .body("path", is(BASE + "/artifactbundle/assemble/"))
                .body("bodyBytes", is(16));
    }

    @Test
    void strangersAndViewersCannotUploadAndOtherSentryPathsAreNotServed() {
        given().post(BASE + "/artifactbundle/assemble/").then().statusCode(401);
        given().header("Authorization", "Bearer wrong")
                .post(BASE + "/chunk-upload/")
                .then()
                .statusCode(401);
        String session = TestUsers.sessionOf("vera");
        given().cookie("faultline_session", session)
                .header("X-Faultline-CSRF", TestUsers.csrfOf(session))
                .contentType("application/json")
                .body("{}")
                .post(BASE + "/artifactbundle/assemble/")
                .then()
                .statusCode(403);
        given().header("Authorization", "Bearer test-admin-token")
                .get(BASE + "/releases/")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
    }
}
