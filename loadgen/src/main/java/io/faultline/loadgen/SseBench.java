package io.faultline.loadgen;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code ./faultline bench sse}: does a burst of live-dashboard clients slow the intake? The same
 * single-event ingest load runs twice on the full pipeline (ingest → classifier → dashboard feed):
 * once with nobody watching, once right after {@code --clients} Server-Sent-Events clients (100 by
 * default) connected at the same instant, all of them receiving every classified error while the
 * load runs. Reports events/s and acknowledgement latency of both runs, the slowdown, the time the
 * burst took to connect and the frames the clients received.
 */
public final class SseBench {

    public static void main(String[] args) throws Exception {
        Map<String, String> env = BenchArgs.stackEnv(args);
        Duration warmup = Duration.ofSeconds(BenchArgs.intOption(args, "--warmup", 5));
        Duration measure = Duration.ofSeconds(BenchArgs.intOption(args, "--seconds", 15));
        int concurrency = BenchArgs.intOption(args, "--concurrency", 64);
        int clients = BenchArgs.intOption(args, "--clients", 100);
        String url = env.get("INGEST_URL") + "/api/v1/projects/" + env.get("PROJECT_ID") + "/events";
        String key = env.get("PROJECT_KEY");
        HttpLoad load = new HttpLoad();

        System.out.printf(
                "baseline: single events, %d in flight, %ds warm-up, %ds measured, no dashboard client%n",
                concurrency, warmup.toSeconds(), measure.toSeconds());
        HttpLoad.Result baseline =
                load.run(() -> SampleEvents.single(url, key), concurrency, warmup, measure, (id, t) -> {});
        IngestBench.report("baseline", baseline);

        System.out.printf(
                "burst: %d SSE clients connect at once to %s/api/v1/stream%n", clients, env.get("DASHBOARD_URL"));
        HttpClient sseClient = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        List<SseReader> readers = new ArrayList<>();
        CountDownLatch connected = new CountDownLatch(clients);
        Latencies connectTimes = new Latencies();
        HttpRequest streamRequest = HttpRequest.newBuilder(URI.create(env.get("DASHBOARD_URL") + "/api/v1/stream"))
                .header("Authorization", "Bearer " + env.get("ADMIN_TOKEN"))
                .header("Accept", "text/event-stream")
                .build();
        List<CompletableFuture<HttpResponse<Void>>> streams = new ArrayList<>();
        long burstStart = System.nanoTime();
        for (int i = 0; i < clients; i++) {
            SseReader reader = new SseReader(burstStart, connected, connectTimes);
            readers.add(reader);
            streams.add(sseClient.sendAsync(streamRequest, HttpResponse.BodyHandlers.fromLineSubscriber(reader)));
        }
        boolean allConnected = connected.await(60, TimeUnit.SECONDS);
        double burstMillis = (System.nanoTime() - burstStart) / 1e6;
        System.out.printf(
                "burst: %d of %d connected in %.0f ms (connect p50 %.1f ms, p99 %.1f ms)%n",
                clients - connected.getCount(),
                clients,
                burstMillis,
                connectTimes.percentileMillis(50),
                connectTimes.percentileMillis(99));

        long framesBefore = frames(readers);
        HttpLoad.Result watched =
                load.run(() -> SampleEvents.single(url, key), concurrency, warmup, measure, (id, t) -> {});
        IngestBench.report("with " + clients + " SSE clients", watched);
        double loadSeconds = warmup.toSeconds() + measure.toSeconds();
        // the feed trails ingest by the classifier's latency: let it catch up before counting
        long seen = -1;
        long quietUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < quietUntil && System.nanoTime() < giveUp) {
            long now = frames(readers);
            if (now != seen) {
                seen = now;
                quietUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            }
            Thread.sleep(200);
        }
        long frames = frames(readers) - framesBefore;
        double framesPerSec = frames / loadSeconds;
        long minPerClient =
                readers.stream().mapToLong(r -> r.errorFrames.get()).min().orElse(0);
        long maxPerClient =
                readers.stream().mapToLong(r -> r.errorFrames.get()).max().orElse(0);
        System.out.printf(
                "dashboard delivered %d error frames (%.0f/s across clients; per client %d..%d)%n",
                frames, framesPerSec, minPerClient, maxPerClient);
        streams.forEach(s -> s.cancel(true));
        readers.forEach(SseReader::close);

        double slowdown = baseline.eventsPerSecond() <= 0
                ? 0
                : 100.0 * (baseline.eventsPerSecond() - watched.eventsPerSecond()) / baseline.eventsPerSecond();
        System.out.printf("ingest slowdown with %d live clients: %.1f %%%n", clients, slowdown);
        System.out.printf(
                "{\"ingestEventsPerSecBaseline\":%.0f,\"ingestEventsPerSecWithSse\":%.0f,\"slowdownPercent\":%.1f,"
                        + "\"p99AckMillisBaseline\":%.2f,\"p99AckMillisWithSse\":%.2f,\"sseClients\":%d,"
                        + "\"sseConnected\":%d,\"sseBurstMillis\":%.0f,\"sseConnectP99Millis\":%.1f,"
                        + "\"sseErrorFramesDelivered\":%d,\"sseFramesPerSec\":%.0f,\"concurrency\":%d,\"seconds\":%d}%n",
                baseline.eventsPerSecond(),
                watched.eventsPerSecond(),
                slowdown,
                baseline.latencies().percentileMillis(99),
                watched.latencies().percentileMillis(99),
                clients,
                clients - connected.getCount(),
                burstMillis,
                connectTimes.percentileMillis(99),
                frames,
                framesPerSec,
                concurrency,
                measure.toSeconds());
        if (!allConnected) {
            System.exit(1);
        }
    }

    private static long frames(List<SseReader> readers) {
        return readers.stream().mapToLong(r -> r.errorFrames.get()).sum();
    }

    /** One dashboard client: counts the error frames it receives; connected at its first line. */
    private static final class SseReader implements Flow.Subscriber<String> {
        final AtomicLong errorFrames = new AtomicLong();
        private final long burstStart;
        private final CountDownLatch connected;
        private final Latencies connectTimes;
        private volatile boolean seenFirstLine;
        private volatile Flow.Subscription subscription;

        SseReader(long burstStart, CountDownLatch connected, Latencies connectTimes) {
            this.burstStart = burstStart;
            this.connected = connected;
            this.connectTimes = connectTimes;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(String line) {
            if (!seenFirstLine) {
                seenFirstLine = true;
                connectTimes.add((System.nanoTime() - burstStart) / 1_000);
                connected.countDown();
            }
            if (line.startsWith("event: faultline.error")) {
                errorFrames.incrementAndGet();
            }
        }

        @Override
        public void onError(Throwable t) {
            // the stream ended (cancelled at the end of the run, or the server went away)
        }

        @Override
        public void onComplete() {
            // the server closed the stream
        }

        void close() {
            if (subscription != null) {
                subscription.cancel();
            }
        }
    }

    private SseBench() {}
}
