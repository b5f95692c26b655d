package io.faultline.loadgen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The booking demo's HTTP API (examples/booking-demo), for the benchmark and the system tests. */
public final class BookingDemoClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** An HTTP answer: status and body. */
    public record Answer(int status, String body) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private final String base;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public BookingDemoClient(String baseUrl) {
        this.base = baseUrl;
    }

    public Answer book(String clientId) {
        return send(
                "POST",
                "/api/bookings",
                "{\"clientId\":\"" + clientId + "\",\"service\":\"haircut\",\"slot\":\"2026-12-01T10:00\","
                        + "\"priceCents\":4500}");
    }

    public Answer booking(String id) {
        return send("GET", "/api/bookings/" + id, null);
    }

    public Answer pay(String bookingId) {
        return send("POST", "/api/payments", "{\"bookingId\":\"" + bookingId + "\"}");
    }

    public Answer availability() {
        return send("GET", "/api/availability?date=2026-12-01", null);
    }

    public Answer clientProfile(String clientId) {
        return send("GET", "/api/clients/" + clientId, null);
    }

    /** Switches a fault on; {@code seconds} null = until switched off. */
    public Answer breakIt(String fault, Double seconds) {
        return send("POST", "/admin/faults/" + fault + (seconds == null ? "" : "?seconds=" + seconds), "");
    }

    public Answer switchOff(String fault) {
        return send("DELETE", "/admin/faults/" + fault, null);
    }

    public Answer healAll() {
        return send("POST", "/admin/faults/reset", "");
    }

    public JsonNode stats() {
        return send("GET", "/admin/stats", null).json();
    }

    public JsonNode notifications() {
        return send("GET", "/admin/notifications", null).json();
    }

    public Answer send(String method, String path, String json) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10));
        if (json != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
