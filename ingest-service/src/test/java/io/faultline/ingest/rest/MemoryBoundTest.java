package io.faultline.ingest.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Bodies of many tiny events hold many times their size once parsed: a batch's prepared events
 * (until the broker acknowledges them) and an envelope's items are charged to the buffer budget
 * like the bodies, so such a body is refused with a reason instead of exhausting the heap.
 */
@QuarkusTest
@TestProfile(SmallBufferProfile.class)
class MemoryBoundTest {

    @Test
    void aBatchWhosePreparedEventsPassTheBudgetIsRefusedAndASmallOneIsNot() {
        // 10,000 lines of 16 bytes: a 160 KB body whose events hold ~3.5 MB until acknowledged
        BatchAndTrafficTest.postBatch(BatchAndTrafficTest.tinyEvents(NativeEventResource.MAX_BATCH_EVENTS))
                .statusCode(413)
                .body("detail", containsString("max-buffered-bytes"));
        BatchAndTrafficTest.postBatch(BatchAndTrafficTest.tinyEvents(100))
                .statusCode(202)
                .body("ids.size()", is(100));

        // every request gave back what it held once answered, refused or not
        assertThat(given().get("/q/metrics").asString()).contains("faultline_ingest_buffered_bytes 0.0");
    }

    @Test
    void anEnvelopeOfTensOfThousandsOfTinyItemsIsRefused() {
        // 400 KB on the wire; 20,000 parsed items with their headers hold ~10 MB
        StringBuilder envelope = new StringBuilder("{}\n");
        for (int i = 0; i < 20_000; i++) {
            envelope.append("{\"type\":\"event\"}\n{}\n");
        }
        given().header("X-Sentry-Auth", SentryResourceTest.AUTH)
                .body(envelope.toString().getBytes(StandardCharsets.UTF_8))
                .post(SentryResourceTest.ENVELOPE)
                .then()
                .statusCode(413)
                .body("detail", containsString("max-buffered-bytes"));

        given().header("X-Sentry-Auth", SentryResourceTest.AUTH)
                .body(SentryResourceTest.envelope(SentryResourceTest.id(), "").getBytes(StandardCharsets.UTF_8))
                .post(SentryResourceTest.ENVELOPE)
                .then()
                .statusCode(200);
    }
}
