package io.faultline.ingest.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
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

    @TestHTTPResource("/")
    URI root;

    @Test
    void bodiesStillOnTheWireHoldTheirDeclaredLengthSoTheBudgetBoundsUploads() throws Exception {
        int declared = (int) (SmallBufferProfile.BUDGET * 3 / 4);
        try (Socket slow = new Socket(root.getHost(), root.getPort())) {
            // an upload that declares 1.5 MiB and stalls after its headers: no key checked yet
            OutputStream out = slow.getOutputStream();
            out.write(("POST /api/1/envelope/ HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\n"
                            + "Content-Length: " + declared + "\r\n\r\n{}\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> bufferedBytes() >= declared);

            // a second body that would pass the budget is refused before it is read, with a reason
            byte[] second = new byte[(int) (SmallBufferProfile.BUDGET / 2)];
            java.util.Arrays.fill(second, (byte) ' ');
            given().header("X-Sentry-Auth", SentryResourceTest.AUTH)
                    .body(second)
                    .post(SentryResourceTest.ENVELOPE)
                    .then()
                    .statusCode(503)
                    .header("Retry-After", "5")
                    .header("X-Sentry-Error", containsString("retry shortly"))
                    .body("status", is(503));
            // small requests still get through
            BatchAndTrafficTest.postBatch(BatchAndTrafficTest.tinyEvents(10)).statusCode(202);
        }
        // the stalled client went away: its reservation came back
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> bufferedBytes() == 0);
    }

    private static double bufferedBytes() {
        Matcher m = Pattern.compile("(?m)^faultline_ingest_buffered_bytes (\\S+)$")
                .matcher(given().get("/q/metrics").asString());
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
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
