package io.faultline.dashboard.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import io.faultline.devstack.quarkus.KafkaTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(StubImpactService.class)
@QuarkusTestResource(TestUsers.class)
class OverviewResourceTest {

    @Test
    void strangersAreRefused() {
        given().get("/api/v1/overview").then().statusCode(401).header("WWW-Authenticate", containsString("Bearer"));
        given().header("Authorization", "Bearer wrong")
                .get("/api/v1/overview")
                .then()
                .statusCode(401);
        given().header("Authorization", "Basic dGVzdDp0ZXN0")
                .get("/api/v1/overview")
                .then()
                .statusCode(401);
    }

    @Test
    void adminsGetTheImpactServiceOverview() {
        given().header("Authorization", "Bearer test-admin-token")
                .queryParam("project", "1")
                .get("/api/v1/overview")
                .then()
                .statusCode(200)
                .body("totalEvents", is(3))
                .body("query", containsString("project=1"));
    }

    @Test
    void healthIsOpenAndReadyWhenImpactAnswers() {
        given().get("/q/health/ready").then().statusCode(200);
    }
}
