package io.faultline.ingest.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.matchesPattern;

import io.faultline.devstack.quarkus.KafkaTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
class RateLimitTest {

    @Test
    void overTheProjectLimitIs429WithSentrysHeaders() {
        // project 77 is limited to 2 requests a minute in the test profile
        String key = AdminProjectResourceTest.createProject("77", "limited");
        byte[] body = SentryResourceTest.envelope(SentryResourceTest.id(), "").getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 2; i++) {
            given().header("X-Sentry-Auth", "Sentry sentry_key=" + key)
                    .body(body)
                    .post("/api/77/envelope/")
                    .then()
                    .statusCode(200);
        }
        given().header("X-Sentry-Auth", "Sentry sentry_key=" + key)
                .body(body)
                .post("/api/77/envelope/")
                .then()
                .statusCode(429)
                .header("Retry-After", matchesPattern("\\d+"))
                .header("X-Sentry-Rate-Limits", matchesPattern("\\d+::project"));
    }
}
