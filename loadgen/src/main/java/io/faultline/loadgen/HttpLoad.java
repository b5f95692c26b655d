package io.faultline.loadgen;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Closed-loop HTTP load: a fixed number of requests in flight, for a fixed time. Counts what the
 * server accepted and records each accepted request's latency (send → acknowledgement).
 */
final class HttpLoad {

    /** One request to send and how many events it carries. */
    record Shot(HttpRequest request, int events, String firstEventId) {}

    record Result(long acceptedEvents, long rejectedRequests, double seconds, Latencies latencies, String lastError) {
        double eventsPerSecond() {
            return acceptedEvents / seconds;
        }
    }

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    static HttpRequest.Builder post(String url, String token, String contentType, String body) {
        return post(url, token, contentType, HttpRequest.BodyPublishers.ofString(body));
    }

    static HttpRequest.Builder post(String url, String token, String contentType, byte[] body) {
        return post(url, token, contentType, HttpRequest.BodyPublishers.ofByteArray(body));
    }

    private static HttpRequest.Builder post(
            String url, String token, String contentType, HttpRequest.BodyPublisher body) {
        return HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", contentType)
                .POST(body);
    }

    /**
     * @param onAccepted called with (first event id, ack nanoTime) for every accepted request
     */
    Result run(Supplier<Shot> shots, int concurrency, Duration warmup, Duration measure, BiLongConsumer onAccepted)
            throws InterruptedException {
        Semaphore inFlight = new Semaphore(concurrency);
        AtomicLong accepted = new AtomicLong();
        AtomicLong rejected = new AtomicLong();
        Latencies latencies = new Latencies();
        String[] lastError = {null};
        long start = System.nanoTime();
        long measureFrom = start + warmup.toNanos();
        long end = measureFrom + measure.toNanos();
        long now;
        while ((now = System.nanoTime()) < end) {
            inFlight.acquire();
            Shot shot = shots.get();
            long sent = System.nanoTime();
            boolean counted = sent >= measureFrom;
            client.sendAsync(shot.request(), HttpResponse.BodyHandlers.ofString())
                    .whenComplete((response, error) -> {
                        long acked = System.nanoTime();
                        inFlight.release();
                        if (error == null && response.statusCode() / 100 == 2) {
                            if (counted && acked <= end) {
                                accepted.addAndGet(shot.events());
                                latencies.add((acked - sent) / 1_000);
                            }
                            onAccepted.accept(shot.firstEventId(), acked);
                        } else {
                            rejected.incrementAndGet();
                            lastError[0] =
                                    error != null ? error.toString() : response.statusCode() + " " + response.body();
                        }
                    });
        }
        inFlight.acquire(concurrency); // drain
        inFlight.release(concurrency);
        return new Result(accepted.get(), rejected.get(), measure.toNanos() / 1e9, latencies, lastError[0]);
    }

    @FunctionalInterface
    interface BiLongConsumer {
        void accept(String id, long nanos);
    }
}
