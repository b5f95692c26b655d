package io.faultline.ingest.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A body must keep pace while it arrives, or it is answered 408 and its connection closed: a
 * client trickling a large declared body would otherwise hold its reservation in the buffer
 * budget for as long as it liked. A slow body that keeps pace is taken like any other.
 */
@QuarkusTest
@TestProfile(SlowUploadProfile.class)
class SlowUploadTest {

    @TestHTTPResource("/")
    URI root;

    @Test
    void aBodyTrickledBelowTheMinimumRateIsRefusedAndGivesBackItsReservation() throws Exception {
        double refusedBefore =
                metric("faultline_ingest_requests_refused_total\\{[^}]*reason=\"upload-too-slow\"[^}]*\\}");
        try (Socket trickle = new Socket(root.getHost(), root.getPort())) {
            trickle.setSoTimeout(10_000);
            OutputStream out = trickle.getOutputStream();
            out.write(("POST /api/1/envelope/ HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\n"
                            + "Content-Length: 100000\r\n\r\n{}\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Awaitility.await()
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> metric("faultline_ingest_buffered_bytes") >= 100_000);

            // a byte every 100 ms: far below 4 KiB/s, but never idle
            long started = System.nanoTime();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            InputStream in = trickle.getInputStream();
            try {
                while (in.available() == 0 && System.nanoTime() - started < 10_000_000_000L) {
                    out.write(' ');
                    out.flush();
                    Thread.sleep(100);
                }
            } catch (SocketException closedWhileWriting) {
                // the server may close before the next byte: the answer is still in the socket
            }
            in.transferTo(answer); // up to the server's close
            long tookMillis = (System.nanoTime() - started) / 1_000_000;

            String response = answer.toString(StandardCharsets.UTF_8);
            assertThat(response).startsWith("HTTP/1.1 408");
            assertThat(response).contains("application/problem+json", "upload-too-slow", "min-upload-rate");
            assertThat(response).contains("X-Sentry-Error: the body arrived too slowly");
            assertThat(tookMillis)
                    .as("cut after the grace, not at the idle timeout")
                    .isLessThan(5_000);
        }
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> metric("faultline_ingest_buffered_bytes") == 0);
        assertThat(metric("faultline_ingest_requests_refused_total\\{[^}]*reason=\"upload-too-slow\"[^}]*\\}"))
                .isEqualTo(refusedBefore + 1);
        // the ingest carries on
        BatchAndTrafficTest.postBatch(BatchAndTrafficTest.tinyEvents(3)).statusCode(202);
    }

    @Test
    void aSlowBodyThatKeepsPaceIsTaken() throws Exception {
        // one event padded to 24 KB, sent at ~8 KiB/s: three seconds, twice the minimum rate
        byte[] event = "{\"message\":\"slow but steady\"}".getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[24_000];
        java.util.Arrays.fill(body, (byte) ' ');
        System.arraycopy(event, 0, body, 0, event.length);
        try (Socket slow = new Socket(root.getHost(), root.getPort())) {
            slow.setSoTimeout(10_000);
            OutputStream out = slow.getOutputStream();
            out.write(
                    ("POST /api/v1/projects/1/events HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                                    + "Authorization: " + BatchAndTrafficTest.KEY + "\r\nConnection: close\r\n"
                                    + "Content-Length: " + body.length + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            for (int off = 0; off < body.length; off += 2_000) {
                out.write(body, off, Math.min(2_000, body.length - off));
                out.flush();
                Thread.sleep(250);
            }
            String response = new String(slow.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(response).startsWith("HTTP/1.1 202");
        }
    }

    private static double metric(String series) throws IOException {
        Matcher m = Pattern.compile("(?m)^" + series + " (\\S+)$")
                .matcher(given().get("/q/metrics").asString());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
