package io.faultline.examples.booking.traffic;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The demo's clients: when enabled, each tick books an appointment, pays it, looks up
 * availability and opens a client profile, through the app's own HTTP API so that every request
 * takes the path a real one takes (error reporting and traffic counting included).
 */
@ApplicationScoped
public class TrafficGenerator {

    private static final Pattern BOOKING_ID = Pattern.compile("\"id\":\"(bk_[0-9a-f]+)\"");
    private static final String[] SERVICES = {"haircut", "massage", "consultation", "coaching"};

    private final boolean enabled;
    private final String base;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public TrafficGenerator(
            @ConfigProperty(name = "booking.traffic.enabled", defaultValue = "false") boolean enabled,
            @ConfigProperty(name = "quarkus.http.port", defaultValue = "8090") int port) {
        this.enabled = enabled;
        this.base = "http://127.0.0.1:" + port;
    }

    @Scheduled(every = "${booking.traffic.every:250ms}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        if (!enabled) {
            return;
        }
        ThreadLocalRandom r = ThreadLocalRandom.current();
        String client = "cl_" + r.nextInt(1, 200);
        String created = send(
                "POST",
                "/api/bookings",
                "{\"clientId\":\"%s\",\"service\":\"%s\",\"slot\":\"2026-12-0%dT1%d:00\",\"priceCents\":%d}"
                        .formatted(
                                client,
                                SERVICES[r.nextInt(SERVICES.length)],
                                r.nextInt(1, 9),
                                r.nextInt(0, 8),
                                r.nextInt(30, 120) * 100));
        Matcher m = created == null ? null : BOOKING_ID.matcher(created);
        if (m != null && m.find()) {
            send("POST", "/api/payments", "{\"bookingId\":\"" + m.group(1) + "\"}");
        }
        send("GET", "/api/availability?date=2026-12-0" + r.nextInt(1, 9), null);
        send("GET", "/api/clients/" + client, null);
    }

    /** @return the body of a 2xx answer, else null (the app reports its own errors) */
    private String send(String method, String path, String json) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(5));
        if (json != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            HttpResponse<String> response = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() / 100 == 2 ? response.body() : null;
        } catch (java.io.IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
