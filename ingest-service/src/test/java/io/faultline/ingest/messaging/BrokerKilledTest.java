package io.faultline.ingest.messaging;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import org.junit.jupiter.api.Test;

/**
 * The broker's JVM is killed with SIGKILL under a running ingest that knows its topics (issue
 * #24): every path answers 503 with Retry-After before an SDK gives up, whatever the request holds.
 */
@QuarkusTest
@TestProfile(KilledBrokerProfile.class)
class BrokerKilledTest {

    @TestHTTPResource("/")
    URI base;

    @Test
    void everyPathAnswers503InTimeOnceTheBrokerIsKilled() throws Exception {
        // the intake works and knows its topics before the broker dies
        given().header("Authorization", "Bearer test-project-key")
                .contentType("application/json")
                .body("{\"message\":\"before the kill\"}")
                .post("/api/v1/projects/1/events")
                .then()
                .statusCode(202);
        KilledBrokerResource.killBroker();
        assertThat(new BrokerDownAnswers(base).everyPath()).isEmpty();
    }
}
