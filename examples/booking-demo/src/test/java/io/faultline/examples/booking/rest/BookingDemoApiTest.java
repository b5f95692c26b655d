package io.faultline.examples.booking.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import io.faultline.examples.booking.service.BookingService;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The demo's failure modes and the remediation endpoints the demo runbooks call. */
@QuarkusTest
class BookingDemoApiTest {

    @Inject
    BookingService bookings;

    @BeforeEach
    void heal() {
        given().post("/admin/faults/reset").then().statusCode(200);
    }

    private String book() {
        return given().contentType(ContentType.JSON)
                .body(
                        "{\"clientId\":\"cl_1\",\"service\":\"haircut\",\"slot\":\"2026-12-01T10:00\",\"priceCents\":4500}")
                .post("/api/bookings")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    @Test
    void aStuckBreakerRefusesPaymentsUntilTheResetEndpointClosesIt() {
        String id = book();
        given().post("/admin/faults/payment-circuit-stuck-open").then().statusCode(200);
        given().contentType(ContentType.JSON)
                .body("{\"bookingId\":\"" + id + "\"}")
                .post("/api/payments")
                .then()
                .statusCode(502);

        given().contentType(ContentType.JSON)
                .body("{\"reason\":\"faultline att_1\"}")
                .post("/admin/circuit-breakers/payment-gateway/reset")
                .then()
                .statusCode(200)
                .body("state", equalTo("CLOSED"));

        given().contentType(ContentType.JSON)
                .body("{\"bookingId\":\"" + id + "\"}")
                .post("/api/payments")
                .then()
                .statusCode(201)
                .body("status", equalTo("PAID"));
    }

    @Test
    void aBookingFailedByTheDatabaseIsParkedAndWrittenByTheReDrive() {
        given().post("/admin/faults/database-connection-drop").then().statusCode(200);
        String reference = given().contentType(ContentType.JSON)
                .body(
                        "{\"clientId\":\"cl_2\",\"service\":\"massage\",\"slot\":\"2026-12-02T11:00\",\"priceCents\":6000}")
                .post("/api/bookings")
                .then()
                .statusCode(503)
                .body("reference", notNullValue())
                .extract()
                .path("reference");
        given().delete("/admin/faults/database-connection-drop").then().statusCode(200);
        given().get("/api/bookings/" + reference).then().statusCode(404);

        BookingService.RedriveResult result =
                bookings.redrive("{\"operation\":\"create-booking\",\"bookingId\":\"" + reference + "\"}", "att_x");

        assertThat(result.redriven()).isGreaterThanOrEqualTo(1);
        given().get("/api/bookings/" + reference)
                .then()
                .statusCode(200)
                .body("redrivenBy", equalTo("att_x"))
                .body("clientId", equalTo("cl_2"));
    }

    @Test
    void aSlowCalendarTimesOutUntilAvailabilityIsServedFromTheCache() {
        given().get("/api/availability?date=2026-12-03").then().statusCode(200);
        given().post("/admin/faults/slow-availability").then().statusCode(200);
        given().get("/api/availability?date=2026-12-03").then().statusCode(504);

        given().post("/admin/fallbacks/availability/cache").then().statusCode(200);

        given().get("/api/availability?date=2026-12-03").then().statusCode(200).body("source", equalTo("CACHE"));
    }

    @Test
    void theClientProfileBugIsNotFixedByClearingTheCache() {
        given().get("/api/clients/cl_3").then().statusCode(200);
        given().post("/admin/faults/client-profile-bug").then().statusCode(200);
        given().get("/api/clients/cl_3").then().statusCode(500);

        given().post("/admin/caches/clients/clear").then().statusCode(200);

        given().get("/api/clients/cl_3").then().statusCode(500);
    }

    @Test
    void theSlackStandInKeepsWhatItReceived() {
        given().contentType(ContentType.JSON)
                .body("{\"text\":\"escalated att_9\"}")
                .post("/hooks/slack")
                .then()
                .statusCode(200);
        given().get("/admin/notifications")
                .then()
                .statusCode(200)
                .body("body.flatten()", org.hamcrest.Matchers.hasItem("{\"text\":\"escalated att_9\"}"));
    }
}
