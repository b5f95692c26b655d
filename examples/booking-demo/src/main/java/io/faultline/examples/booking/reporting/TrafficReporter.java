package io.faultline.examples.booking.reporting;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Request counts per workflow, posted to Faultline's traffic endpoint so that errors become
 * rates (the Sentry SDK only reports failures; sessions and transactions would also do, but a
 * plain count is what most users can send).
 */
@ApplicationScoped
public class TrafficReporter {

    private static final Logger LOG = Logger.getLogger(TrafficReporter.class);

    private record Counts(LongAdder requests, LongAdder failed) {}

    private final Optional<Dsn> dsn;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Map<String, Counts> counts = new ConcurrentHashMap<>();
    private volatile Instant windowStart = Instant.now();

    public TrafficReporter(@ConfigProperty(name = "booking.sentry.dsn") Optional<String> dsn) {
        this.dsn = dsn.filter(s -> !s.isBlank()).map(Dsn::parse);
    }

    public void count(String workflow, boolean failed) {
        Counts c = counts.computeIfAbsent(workflow, w -> new Counts(new LongAdder(), new LongAdder()));
        c.requests().increment();
        if (failed) {
            c.failed().increment();
        }
    }

    @Scheduled(every = "${booking.traffic.report-every:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void report() {
        Instant start = windowStart;
        Instant end = Instant.now();
        windowStart = end;
        counts.forEach((workflow, c) -> {
            long requests = c.requests().sumThenReset();
            long failed = c.failed().sumThenReset();
            if (requests == 0 || dsn.isEmpty()) {
                return;
            }
            String body =
                    "{\"workflow\":\"%s\",\"requests\":%d,\"failed\":%d,\"windowStart\":\"%s\",\"windowEnd\":\"%s\"}"
                            .formatted(workflow, requests, failed, start, end);
            Dsn d = dsn.get();
            http.sendAsync(
                            HttpRequest.newBuilder(
                                            URI.create(d.baseUrl() + "/api/v1/projects/" + d.projectId() + "/traffic"))
                                    .timeout(Duration.ofSeconds(5))
                                    .header("Authorization", "Bearer " + d.publicKey())
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(body))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .whenComplete((r, e) -> {
                        if (e != null || r.statusCode() / 100 != 2) {
                            LOG.debugf(
                                    "traffic report for %s not accepted: %s",
                                    workflow, e != null ? e.toString() : r.statusCode() + " " + r.body());
                        }
                    });
        });
    }
}
