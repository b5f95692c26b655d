package io.faultline.loadgen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

/**
 * {@code ./faultline bench e2e}: what a user feels, on the full stack (intake → classifier →
 * impact-service, resolver and dashboard running too). For each rate of {@code --rates} (default
 * 5000,10000,15000,20000 events/s), an open-loop sender offers that rate for
 * {@code --seconds-per-rate} (30) as SDKs and relays send it: NDJSON batches of {@code --batch}
 * (100) and a share of single JSON events ({@code --single-percent}, 10). A sender that cannot keep
 * the schedule sends late rather than skipping, so the stack, not the sender, sets the pace.
 *
 * <p>Measured per rate:
 *
 * <ul>
 *   <li><b>freshness</b>, ack → visible in the query API: ten marker events a second, all of one
 *       group, each posted alone; the impact-service's count of that group is polled every 50 ms,
 *       and the k-th acknowledged marker is visible once the count has grown by k. A marker still
 *       invisible when the rate's backlog has drained (or after 60 s) counts as never visible.
 *   <li><b>stored per second</b>: the growth of the overview's event total during the rate;
 *   <li><b>CPU µs per stored event</b> of every process, over the rate and its drain (/proc): the broker's JVM (devstack),
 *       PostgreSQL (postmaster and its backends), each service, and this load generator.
 * </ul>
 *
 * After each rate the backlog drains before the next. The clock starts when {@code ./faultline
 * up -d} returned ({@code --up-returned-millis}, epoch): the first marker's visibility after it is
 * reported as {@code firstVisibleAfterUpMillis}. The last line is JSON: {@code
 * sustainedEventsPerSec} (the highest rate with freshness p99 under 2 s and nothing falling
 * behind: everything offered acknowledged, stored at the offered rate, every marker seen), {@code
 * freshnessP99Millis} at 10,000 events/s (null when not run), and each rate's figures.
 */
public final class E2eBench {

    static final double FRESHNESS_BUDGET_MILLIS = 2000;
    private static final int MARKERS_PER_SECOND = 10;
    private static final String[] PROCESSES = {
        "devstack", "impact-service", "classifier-service", "resolver-service", "ingest-service", "dashboard-api"
    };

    /** One rate's figures. */
    record Step(
            int rate,
            double ackedPerSec,
            double storedPerSec,
            double freshnessP50Millis,
            double freshnessP99Millis,
            int markersSent,
            int markersSeen,
            long rejectedRequests,
            double drainSeconds,
            Map<String, Double> cpuMicrosPerEvent) {

        /** Within the freshness budget and nothing fell behind. */
        boolean keptUp() {
            return freshnessP99Millis < FRESHNESS_BUDGET_MILLIS
                    && markersSent > 0
                    && markersSeen == markersSent
                    && rejectedRequests == 0
                    && ackedPerSec >= 0.97 * rate
                    && storedPerSec >= 0.97 * rate;
        }
    }

    /** The highest rate kept up, or 0 when none was. */
    static int sustained(List<Step> steps) {
        return steps.stream().filter(Step::keptUp).mapToInt(Step::rate).max().orElse(0);
    }

    /** Freshness p99 at {@code rate}, or null when that rate was not run. */
    static Double freshnessP99At(List<Step> steps, int rate) {
        return steps.stream()
                .filter(s -> s.rate() == rate)
                .map(Step::freshnessP99Millis)
                .findFirst()
                .orElse(null);
    }

    /**
     * Freshness of each marker in ms from its acknowledgement (ack nanoTimes in ack order) to the
     * first poll whose count showed it ({@code visibleAt}, nanoTime, 0 for never); a marker never
     * seen counts as infinitely late.
     */
    static double[] freshnessMillis(long[] ackedAt, long[] visibleAt) {
        double[] millis = new double[ackedAt.length];
        for (int k = 0; k < ackedAt.length; k++) {
            millis[k] = visibleAt[k] == 0 ? Double.POSITIVE_INFINITY : Math.max(0, visibleAt[k] - ackedAt[k]) / 1e6;
        }
        return millis;
    }

    /** The p-th percentile (0 < p ≤ 100) of the values, nearest rank; 0 without values. */
    static double percentile(double[] values, double p) {
        if (values.length == 0) {
            return 0;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final ObjectMapper json = new ObjectMapper();
    private final String eventsUrl;
    private final String key;
    private final String impactUrl;
    private final String home;
    private final int batch;
    private final int singlePercent;
    // built before measuring: composing JSON per event would take CPU from the stack under test
    private final PreparedBodies batches;
    private final PreparedBodies singles;
    /** The marker group's count, kept fresh by the poller; -1 until known. */
    private final AtomicLong markerCount = new AtomicLong(-1);
    /** Marker group count → nanoTime of the first poll that showed it (or more). */
    private final Map<Long, Long> countReachedAt = new ConcurrentHashMap<>();

    private E2eBench(Map<String, String> env, int batch, int singlePercent) {
        this.eventsUrl = env.get("INGEST_URL") + "/api/v1/projects/" + env.get("PROJECT_ID") + "/events";
        this.key = env.get("PROJECT_KEY");
        this.impactUrl = env.get("IMPACT_URL");
        this.home = env.get("FAULTLINE_HOME");
        this.batch = batch;
        this.singlePercent = singlePercent;
        this.batches = new PreparedBodies(256, batch);
        this.singles = new PreparedBodies(1024, 1);
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> env = BenchArgs.stackEnv(args);
        int[] rates = Arrays.stream(BenchArgs.option(args, "--rates", "5000,10000,15000,20000")
                        .split(","))
                .map(String::trim)
                .mapToInt(Integer::parseInt)
                .toArray();
        Duration perRate = Duration.ofSeconds(BenchArgs.intOption(args, "--seconds-per-rate", 30));
        long upReturned = Long.parseLong(
                BenchArgs.option(args, "--up-returned-millis", Long.toString(System.currentTimeMillis())));
        E2eBench bench = new E2eBench(
                env, BenchArgs.intOption(args, "--batch", 100), BenchArgs.intOption(args, "--single-percent", 10));

        String groupId = bench.firstMarkerGroup(Duration.ofSeconds(300));
        long firstVisible = System.currentTimeMillis() - upReturned;
        System.out.printf("e2e: the first marker was visible %d ms after ./faultline up -d returned%n", firstVisible);

        AtomicBoolean stop = new AtomicBoolean();
        Thread poller = bench.startPoller(groupId, stop);
        List<Step> steps = new ArrayList<>();
        for (int rate : rates) {
            Step step = bench.run(rate, perRate);
            steps.add(step);
            System.out.printf(
                    Locale.ROOT,
                    "e2e: %d events/s offered: acked %.0f/s, stored %.0f/s; ack → visible p50 %.0f ms, p99 %.0f ms"
                            + " (%d of %d markers seen, %d requests refused, drained in %.1f s)%s%n",
                    rate,
                    step.ackedPerSec(),
                    step.storedPerSec(),
                    step.freshnessP50Millis(),
                    step.freshnessP99Millis(),
                    step.markersSeen(),
                    step.markersSent(),
                    step.rejectedRequests(),
                    step.drainSeconds(),
                    step.keptUp() ? "" : "; fell behind");
            System.out.printf("e2e: %d events/s: CPU µs per stored event %s%n", rate, step.cpuMicrosPerEvent());
        }
        stop.set(true);
        poller.join();

        Double at10k = freshnessP99At(steps, 10_000);
        System.out.printf(
                Locale.ROOT,
                "{\"sustainedEventsPerSec\":%d,\"freshnessP99Millis\":%s,\"firstVisibleAfterUpMillis\":%d,"
                        + "\"batch\":%d,\"singlePercent\":%d,\"secondsPerRate\":%d,\"rates\":[%s]}%n",
                sustained(steps),
                at10k == null ? "null" : number(at10k),
                firstVisible,
                bench.batch,
                bench.singlePercent,
                perRate.toSeconds(),
                steps.stream().map(E2eBench::json).collect(Collectors.joining(",")));
    }

    private static String json(Step s) {
        return String.format(
                Locale.ROOT,
                "{\"rate\":%d,\"keptUp\":%b,\"ackedPerSec\":%.0f,\"storedPerSec\":%.0f,\"freshnessP50Millis\":%s,"
                        + "\"freshnessP99Millis\":%s,\"markersSent\":%d,\"markersSeen\":%d,\"rejectedRequests\":%d,"
                        + "\"drainSeconds\":%.1f,\"cpuMicrosPerEvent\":{%s}}",
                s.rate(),
                s.keptUp(),
                s.ackedPerSec(),
                s.storedPerSec(),
                number(s.freshnessP50Millis()),
                number(s.freshnessP99Millis()),
                s.markersSent(),
                s.markersSeen(),
                s.rejectedRequests(),
                s.drainSeconds(),
                s.cpuMicrosPerEvent().entrySet().stream()
                        .map(e -> String.format(Locale.ROOT, "\"%s\":%.1f", e.getKey(), e.getValue()))
                        .collect(Collectors.joining(",")));
    }

    /** JSON has no infinity: a freshness never reached is null. */
    private static String number(double millis) {
        return Double.isFinite(millis) ? String.format(Locale.ROOT, "%.0f", millis) : "null";
    }

    /** One rate: offered for {@code seconds}, then drained; markers throughout. */
    private Step run(int rate, Duration seconds) throws Exception {
        System.out.printf("e2e: %d events/s for %d s%n", rate, seconds.toSeconds());
        long base = markerCount.get();
        long storedBefore = totalEvents();
        Map<String, Double> cpuBefore = cpuSeconds();
        long start = System.nanoTime();
        long end = start + seconds.toNanos();

        List<Long> markerAcks = new ArrayList<>();
        Thread markers = new Thread(() -> sendMarkers(end, markerAcks), "e2e-markers");
        markers.start();

        int maxInFlight = 512;
        Semaphore inFlight = new Semaphore(maxInFlight);
        AtomicLong acked = new AtomicLong();
        AtomicLong rejected = new AtomicLong();
        String[] lastError = {null};
        long offered = 0; // events sent so far: the next request is due at start + offered / rate
        long singlesSent = 0;
        long now;
        while ((now = System.nanoTime()) < end) {
            long due = start + (long) (offered * 1e9 / rate);
            if (due > now) {
                LockSupport.parkNanos(due - now);
                continue;
            }
            inFlight.acquire();
            // single events make up singlePercent of what is offered, spread among the batches
            boolean single = singlesSent * 100 < (long) singlePercent * offered;
            if (single) {
                singlesSent++;
            }
            int events = single ? 1 : batch;
            byte[] body = single ? singles.next(null) : batches.next(null);
            offered += events;
            client.sendAsync(
                            HttpLoad.post(eventsUrl, key, single ? "application/json" : "application/x-ndjson", body)
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .whenComplete((response, error) -> {
                        inFlight.release();
                        if (error == null && response.statusCode() / 100 == 2) {
                            acked.addAndGet(events);
                        } else {
                            rejected.incrementAndGet();
                            lastError[0] =
                                    error != null ? error.toString() : response.statusCode() + " " + response.body();
                        }
                    });
        }
        // rates over the window; what it offered is acknowledged and stored later when the stack is behind
        double window = seconds.toNanos() / 1e9;
        long storedAtEnd = totalEvents();
        System.out.printf(Locale.ROOT, "e2e: %d events/s: the sender offered %.0f/s%n", rate, offered / window);
        inFlight.acquire(maxInFlight);
        inFlight.release(maxInFlight);
        markers.join();
        if (lastError[0] != null) {
            System.out.printf("e2e: %d requests refused, last: %s%n", rejected.get(), lastError[0]);
        }

        // the backlog drains before the next rate; markers still in it become visible meanwhile
        long drainFrom = System.nanoTime();
        long expected = storedBefore + acked.get() + markerAcks.size();
        long drainUntil = drainFrom + Duration.ofSeconds(60).toNanos();
        long last = -1;
        long quietSince = drainFrom;
        while (System.nanoTime() < drainUntil) {
            long total = totalEvents();
            if (total != last) {
                last = total;
                quietSince = System.nanoTime();
            }
            boolean markersIn = markerCount.get() - base >= markerAcks.size();
            // drained: all stored, or (should the total count differently) nothing more for 3 s
            if (markersIn && (total >= expected || System.nanoTime() - quietSince > 3_000_000_000L)) {
                break;
            }
            Thread.sleep(200);
        }
        double drainSeconds = (System.nanoTime() - drainFrom) / 1e9;
        // CPU per event over the window and the drain: a stack that fell behind did part of the
        // window's work afterwards
        Map<String, Double> cpuAtEnd = cpuSeconds();
        long stored = Math.max(1, totalEvents() - storedBefore);

        long[] ackedAt = markerAcks.stream().mapToLong(Long::longValue).toArray();
        long[] visibleAt = new long[ackedAt.length];
        for (int k = 0; k < ackedAt.length; k++) {
            visibleAt[k] = countReachedAt.getOrDefault(base + k + 1, 0L);
        }
        double[] freshness = freshnessMillis(ackedAt, visibleAt);
        Map<String, Double> perEvent = new LinkedHashMap<>();
        cpuAtEnd.forEach((process, after) -> perEvent.put(
                process, Math.round((after - cpuBefore.getOrDefault(process, after)) * 1e6 / stored * 10) / 10.0));
        return new Step(
                rate,
                acked.get() / window,
                (storedAtEnd - storedBefore) / window,
                percentile(freshness, 50),
                percentile(freshness, 99),
                ackedAt.length,
                (int) Arrays.stream(visibleAt).filter(t -> t != 0).count(),
                rejected.get(),
                drainSeconds,
                perEvent);
    }

    private static final String MARKER = "{\"event_id\":\"%s\",\"level\":\"error\",\"platform\":\"java\","
            + "\"tags\":{\"service\":\"e2e-bench\"},\"exception\":{\"values\":[{\"type\":"
            + "\"io.faultline.bench.FreshnessMarker\",\"value\":\"marker\",\"stacktrace\":{\"frames\":["
            + "{\"module\":\"io.faultline.bench.E2eBench\",\"function\":\"mark\",\"lineno\":1,\"in_app\":true}]}}]}}";

    /** Posts one marker and returns its id once acknowledged, or null when refused. */
    private String postMarker() throws Exception {
        String id = SampleEvents.eventId();
        HttpResponse<String> response = client.send(
                HttpLoad.post(eventsUrl, key, "application/json", String.format(MARKER, id))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return response.statusCode() / 100 == 2 ? id : null;
    }

    /** Markers at MARKERS_PER_SECOND until {@code end}, one at a time, so their acks are in order. */
    private void sendMarkers(long end, List<Long> ackedAt) {
        long interval = 1_000_000_000L / MARKERS_PER_SECOND;
        long next = System.nanoTime();
        int failed = 0;
        while (next < end) {
            LockSupport.parkNanos(next - System.nanoTime());
            try {
                if (postMarker() != null) {
                    ackedAt.add(System.nanoTime());
                }
            } catch (Exception e) {
                // not acknowledged, so not measured; the load's own refusals are counted there
                if (failed++ == 0) {
                    System.out.printf("e2e: a marker was not acknowledged: %s%n", e);
                }
            }
            next += interval;
        }
    }

    /**
     * Posts a marker a second until one is stored, and returns the markers' group. Its wait is what
     * a user sees after {@code ./faultline up -d}: the pipeline's start-up after "ready".
     */
    private String firstMarkerGroup(Duration atMost) throws Exception {
        List<String> posted = new ArrayList<>();
        long until = System.nanoTime() + atMost.toNanos();
        while (System.nanoTime() < until) {
            String id = postMarker();
            if (id != null) {
                posted.add(id);
            }
            for (int i = 0; i < 10; i++) {
                for (String marker : posted) {
                    HttpResponse<String> response = client.send(
                            HttpRequest.newBuilder(URI.create(impactUrl + "/api/v1/events/" + marker))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() == 200) {
                        return json.readTree(response.body()).path("groupId").asText();
                    }
                }
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("no marker event visible within " + atMost.toSeconds() + " s");
    }

    /** Polls the marker group's count every 50 ms and notes when it first reached each value. */
    private Thread startPoller(String groupId, AtomicBoolean stop) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(impactUrl + "/api/v1/groups/" + groupId))
                .build();
        markerCount.set(count(request));
        Thread poller = new Thread(
                () -> {
                    while (!stop.get()) {
                        try {
                            long count = count(request);
                            long now = System.nanoTime();
                            for (long c = markerCount.get() + 1; c <= count; c++) {
                                countReachedAt.putIfAbsent(c, now);
                            }
                            markerCount.accumulateAndGet(count, Math::max);
                        } catch (Exception e) {
                            // a poll that failed is retried at the next tick
                        }
                        LockSupport.parkNanos(50_000_000L);
                    }
                },
                "e2e-poller");
        poller.start();
        return poller;
    }

    private long count(HttpRequest request) throws Exception {
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(response.statusCode() + " " + response.body());
        }
        return json.readTree(response.body()).path("group").path("count").asLong();
    }

    /** Events stored so far, by the overview's total. */
    private long totalEvents() throws Exception {
        HttpResponse<String> response = client.send(
                HttpRequest.newBuilder(URI.create(impactUrl + "/api/v1/overview"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode overview = json.readTree(response.body());
        return overview.path("totalEvents").asLong();
    }

    /** CPU seconds of each process of the stack, PostgreSQL with its backends, and this JVM. */
    private Map<String, Double> cpuSeconds() {
        Map<String, Double> used = new LinkedHashMap<>(new CpuTime(home, PROCESSES).seconds());
        used.put("postgres", CpuTime.treeSeconds(CpuTime.postmasterPid(home)));
        used.put("loadgen", CpuTime.treeSeconds(ProcessHandle.current().pid()));
        return used;
    }
}
