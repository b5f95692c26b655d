package io.faultline.ingest.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.faultline.devstack.quarkus.KafkaTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/**
 * Anyone on the network can send requests to made-up project ids and paths. None of them may
 * become a metric series of its own: each would stay in the registry for the life of the
 * process and in every scrape, so a loop of requests would grow both without bound.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
class MetricCardinalityTest {

    @Test
    void madeUpProjectIdsAndPathsAddNoSeries() {
        String id = "8675309" + System.nanoTime() % 1000;
        String envelope = "{}\n{\"type\":\"event\"}\n{\"message\":\"boom\"}\n";
        given().header("Origin", "https://shop.example")
                .header("Access-Control-Request-Method", "POST")
                .options("/api/" + id + "/envelope/")
                .then()
                .statusCode(200);
        given().body(envelope).post("/api/" + id + "/envelope/").then().statusCode(401);
        given().header("X-Sentry-Auth", SentryResourceTest.AUTH)
                .body(envelope)
                .post("/api/" + id + "/envelope/")
                .then()
                .statusCode(403);
        given().header("X-Sentry-Auth", SentryResourceTest.AUTH)
                .body("{}")
                .post("/api/" + id + "/store/")
                .then()
                .statusCode(403);
        given().header("Authorization", "Bearer test-project-key")
                .contentType("application/json")
                .body("{\"message\":\"boom\"}")
                .post("/api/v1/projects/" + id + "/events")
                .then()
                .statusCode(401);
        given().header("Authorization", "Bearer test-project-key")
                .contentType("application/json")
                .body("{\"workflow\":\"booking\",\"requests\":10}")
                .post("/api/v1/projects/" + id + "/traffic")
                .then()
                .statusCode(401);
        given().get("/api/" + id + "/nothing-here").then().statusCode(404);
        given().get("/" + id).then().statusCode(404);

        String metrics = given().get("/q/metrics").asString();
        assertThat(metrics).contains("faultline_ingest_requests_refused_total");
        assertThat(metrics).doesNotContain(id);
    }
}
