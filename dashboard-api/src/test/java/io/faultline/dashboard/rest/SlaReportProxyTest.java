package io.faultline.dashboard.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import io.faultline.devstack.quarkus.KafkaTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The impact-service's SLA report behind the dashboard's login: a viewer reads it in each of its
 * types, with the headers that make the CSV a download and keep the page from running anything.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(StubImpactService.class)
@QuarkusTestResource(TestUsers.class)
class SlaReportProxyTest {

    private static final String PERIOD = "/api/v1/sla/report?from=2026-03-01T00:00:00Z&to=2026-04-01T00:00:00Z";

    private static RequestSpecification viewer() {
        return given().urlEncodingEnabled(false).cookie("faultline_session", TestUsers.sessionOf("vera"));
    }

    @Test
    void strangersAre401AndAViewerReadsTheReportAsJsonCsvAndHtml() {
        given().get(PERIOD).then().statusCode(401).contentType("application/problem+json");

        String forwarded = viewer().get(PERIOD + "&project=1")
                .then()
                .statusCode(200)
                .contentType("application/json")
                .body("bucket", is("day"))
                .extract()
                .path("query");
        // the period and filter reach the impact-service untouched (re-encoded on the way)
        assertThat(URLDecoder.decode(forwarded, StandardCharsets.UTF_8).split("&"))
                .containsExactlyInAnyOrder("from=2026-03-01T00:00:00Z", "to=2026-04-01T00:00:00Z", "project=1");

        viewer().accept("text/csv")
                .get(PERIOD)
                .then()
                .statusCode(200)
                .contentType(startsWith("text/csv"))
                .header("Content-Disposition", is("attachment; filename=\"sla.csv\""))
                .body(is(StubImpactService.SLA_CSV));

        viewer().get(PERIOD + "&format=csv").then().statusCode(200).contentType(startsWith("text/csv"));

        viewer().get(PERIOD + "&format=html")
                .then()
                .statusCode(200)
                .contentType(startsWith("text/html"))
                .header("Content-Security-Policy", startsWith("default-src 'none'"))
                .body(containsString("<svg role=\"img\">"));

        viewer().accept("text/html,application/xhtml+xml,*/*;q=0.8")
                .get(PERIOD)
                .then()
                .statusCode(200)
                .contentType(startsWith("text/html"));
    }

    @Test
    void theImpactServiceRefusalNamingTheParameterReachesTheCaller() {
        for (String accept : new String[] {"application/json", "text/csv", "text/html"}) {
            viewer().accept(accept)
                    .get("/api/v1/sla/report?to=2026-04-01T00:00:00Z")
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("errors[0].field", is("from"));
        }
    }
}
