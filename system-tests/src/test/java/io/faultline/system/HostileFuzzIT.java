package io.faultline.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.faultline.system.HostileCorpus.Case;
import io.faultline.system.HostileCorpus.Target;
import io.faultline.system.RawHttp.Exchange;
import io.faultline.system.RawHttp.Outcome;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.assertj.core.api.SoftAssertions;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue #19 item 5: a seeded hostile corpus ({@link HostileCorpus}) of at least 10,000 requests
 * against every public endpoint of the stack as {@code ./faultline up -d} runs it, then:
 *
 * <ul>
 *   <li>no 5xx but an honest 503 (Retry-After, the intake's buffer or in-flight budget full);
 *   <li>no hang: every request answered (or, for bytes that are not HTTP/1.1, closed) within
 *       15 s of its last byte;
 *   <li>every event a 2xx accepted is stored in PostgreSQL;
 *   <li>no seeded secret in any Kafka topic, any PostgreSQL column, any log, any file of the home;
 *   <li>every service ready afterwards, and a normal event on the dashboard within 30 s.
 * </ul>
 *
 * The seed is random per run, printed in the summary and every failure, and replayed with
 * {@code -Dfuzz.seed=<seed>}; {@code -Dfuzz.requests} and {@code -Dfuzz.concurrency} change the
 * size and the parallelism.
 */
class HostileFuzzIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long TIMEOUT_MILLIS = 15_000;

    private static LocalStack stack;
    private static Map<String, String> env;
    private static boolean stopped;
    private static boolean passed;

    @BeforeAll
    static void up() throws Exception {
        stack = new LocalStack(Files.createTempDirectory("faultline-fuzz-"));
        stack.up();
        env = stack.stackEnv();
    }

    @AfterAll
    static void down() {
        if (stack != null && !stopped) {
            stack.down();
        }
        if (passed) {
            // a failed run's home stays for a look at its logs and data; a passed one is ~200 MB of nothing
            try (java.util.stream.Stream<Path> walk = Files.walk(stack.home())) {
                walk.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            } catch (java.io.IOException e) {
                // a temporary directory: the system cleans it eventually
            }
        }
    }

    /** One answered case: what was sent (without its bytes) and what came back. */
    record Result(
            int index,
            String family,
            String name,
            Target target,
            boolean notHttp,
            List<String> expectedIds,
            Exchange answer) {}

    @Test
    void aHostileCorpusBreaksNothingLeaksNothingAndLosesNothing() throws Exception {
        long seed = Long.getLong("fuzz.seed", new SecureRandom().nextLong());
        int requests = Integer.getInteger("fuzz.requests", 10_000);
        int concurrency = Integer.getInteger("fuzz.concurrency", 16);
        long started = System.nanoTime();

        Map<Target, Integer> ports = Map.of(
                Target.INGEST,
                port("INGEST_URL"),
                Target.DASHBOARD,
                port("DASHBOARD_URL"),
                Target.IMPACT,
                port("IMPACT_URL"));
        String groupId = aGroup();
        String cookie = login();
        SeededSecrets secrets = new SeededSecrets();
        HostileCorpus corpus = new HostileCorpus(
                seed,
                new HostileCorpus.Stack(
                        env.get("PROJECT_ID"), env.get("PROJECT_KEY"), env.get("ADMIN_TOKEN"), cookie, groupId, ports),
                secrets,
                requests,
                java.time.Instant.now());
        HostileCorpus.bombs();

        ConcurrentLinkedQueue<Result> results = new ConcurrentLinkedQueue<>();
        AtomicReference<Throwable> broken = new AtomicReference<>();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        for (int i = 0; i < requests; i++) {
            int index = i;
            pool.execute(() -> {
                try {
                    Case c = corpus.get(index);
                    Exchange answer = RawHttp.exchange(
                            "127.0.0.1",
                            ports.get(c.target()),
                            c.bytes(),
                            c.trickleFrom(),
                            c.trickle(),
                            TIMEOUT_MILLIS);
                    results.add(
                            new Result(c.index(), c.family(), c.name(), c.target(), c.notHttp(), c.eventIds(), answer));
                } catch (Throwable t) {
                    broken.compareAndSet(null, new IllegalStateException("case " + index + " of seed " + seed, t));
                }
            });
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(20, TimeUnit.MINUTES))
                .as("the corpus finished")
                .isTrue();
        if (broken.get() != null) {
            throw new AssertionError("the fuzz driver itself failed (seed " + seed + ")", broken.get());
        }
        long sentSeconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);

        // what came back
        Map<String, Integer> byClass = new TreeMap<>();
        Map<String, Map<String, Integer>> byFamily = new TreeMap<>();
        List<Result> hangs = new ArrayList<>();
        List<Result> bad5xx = new ArrayList<>();
        List<Result> refused = new ArrayList<>();
        int honest503 = 0;
        Set<String> accepted = new HashSet<>();
        for (Result r : results) {
            Exchange a = r.answer();
            String cls =
                    switch (a.outcome()) {
                        case ANSWERED -> a.status() / 100 + "xx";
                        default -> a.outcome().name().toLowerCase(Locale.ROOT);
                    };
            byClass.merge(cls, 1, Integer::sum);
            byFamily.computeIfAbsent(r.family(), f -> new TreeMap<>()).merge(cls, 1, Integer::sum);
            if (a.outcome() == Outcome.HANG) {
                hangs.add(r);
            } else if (a.outcome() == Outcome.REFUSED) {
                refused.add(r);
            } else if (a.outcome() == Outcome.ANSWERED && a.status() >= 500) {
                if (honest503(r)) {
                    honest503++;
                } else {
                    bad5xx.add(r);
                }
            } else if (a.outcome() == Outcome.ANSWERED
                    && a.status() / 100 == 2
                    && !r.expectedIds().isEmpty()) {
                accepted.addAll(acceptedIds(r));
            }
        }

        // every accepted event reaches PostgreSQL; the deadline is generous, progress is polled
        Set<String> stored = storedAmong(accepted, Duration.ofSeconds(120));
        List<String> lost =
                accepted.stream().filter(id -> !stored.contains(id)).sorted().toList();
        Map<String, List<String>> lostBy = new TreeMap<>();
        for (Result r : results) {
            for (String id : r.expectedIds()) {
                if (lost.contains(id)) {
                    lostBy.computeIfAbsent(r.family() + "/" + r.name(), k -> new ArrayList<>())
                            .add(id);
                }
            }
        }

        // the stack afterwards
        Map<String, String> health = readiness();
        boolean normalEventVisible = aNormalEventIsShownWithin(Duration.ofSeconds(30));

        // secrets: the broker and the database as they are, then the files once the stack stopped
        LeakScan leaks = new LeakScan(secrets.planted());
        long records = leaks.kafka(env.get("KAFKA_BOOTSTRAP_SERVERS"));
        long rows = leaks.postgres(env.get("POSTGRES_JDBC_URL"));
        stack.down();
        stopped = true;
        long fileBytes = leaks.files(stack.home());

        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("seed", seed);
        summary.put("requests", results.size());
        summary.put("byStatusClass", byClass);
        summary.put("hangs", hangs.size());
        summary.put("bad5xx", bad5xx.size());
        summary.put("honest503", honest503);
        summary.put("refusedConnections", refused.size());
        summary.put("secretsPlanted", secrets.planted().size());
        summary.put("secretsFound", leaks.countByPlace());
        summary.put("secretKindsFound", leaks.kindsByPlace());
        summary.put("accepted", accepted.size());
        summary.put("stored", stored.size());
        summary.put("healthy", health);
        summary.put("normalEventVisibleWithin30s", normalEventVisible);
        summary.put("scanned", Map.of("kafkaRecords", records, "postgresRows", rows, "fileBytes", fileBytes));
        summary.put("sendSeconds", sentSeconds);
        summary.put("totalSeconds", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
        String line = JSON.writeValueAsString(summary);
        System.out.println("FUZZ-SUMMARY " + line);
        Path report = Path.of("target", "fuzz", "hostile-fuzz-" + seed + ".txt");
        Files.createDirectories(report.getParent());
        Files.writeString(
                report,
                line + "\n" + JSON.writeValueAsString(byFamily) + "\n" + details(hangs, bad5xx, lostBy, leaks),
                StandardCharsets.UTF_8);

        String replay = " (seed " + seed + ", replay with -Dfuzz.seed=" + seed + "; details in "
                + report.toAbsolutePath() + ")";
        SoftAssertions soft = new SoftAssertions();
        soft.assertThat(results.size()).as("requests sent" + replay).isGreaterThanOrEqualTo(requests);
        soft.assertThat(describe(hangs))
                .as("requests not answered within 15 s" + replay)
                .isEmpty();
        soft.assertThat(describe(bad5xx))
                .as("5xx other than an honest 503 with Retry-After" + replay)
                .isEmpty();
        soft.assertThat(describe(refused))
                .as("connections refused: a service went down" + replay)
                .isEmpty();
        soft.assertThat(lostBy)
                .as("events answered 2xx but not stored (%d of %d)%s", lost.size(), accepted.size(), replay)
                .isEmpty();
        soft.assertThat(leaks.leaks().stream()
                        .map(l -> l.place() + ": " + l.secret().kind() + " planted in "
                                + l.secret().where() + " found in " + l.location())
                        .distinct()
                        .limit(60)
                        .toList())
                .as("seeded secrets found (by place %s)%s", leaks.countByPlace(), replay)
                .isEmpty();
        soft.assertThat(health)
                .as("readiness of every service afterwards" + replay)
                .allSatisfy((s, v) -> assertThat(v).isEqualTo("UP"));
        soft.assertThat(normalEventVisible)
                .as("a normal event visible on the dashboard within 30 s afterwards" + replay)
                .isTrue();
        soft.assertAll();
        passed = true;
    }

    /** The intake's load shedding: a 503 that says its buffer or in-flight budget is full, with Retry-After. */
    private static boolean honest503(Result r) {
        Exchange a = r.answer();
        if (a.status() != 503 || r.target() != Target.INGEST || a.header("Retry-After") == null) {
            return false;
        }
        String body = a.body().toLowerCase(Locale.ROOT);
        return body.contains("buffering") || body.contains("in flight");
    }

    /** The ids a 2xx answer names ({@code id}, or {@code ids} of a batch), else the ones sent. */
    private static List<String> acceptedIds(Result r) {
        try {
            JsonNode answer = JSON.readTree(r.answer().body());
            List<String> ids = new ArrayList<>();
            answer.path("ids").forEach(id -> ids.add(id.asText()));
            if (ids.isEmpty() && answer.hasNonNull("id")) {
                ids.add(answer.get("id").asText());
            }
            return ids.isEmpty() ? r.expectedIds() : ids;
        } catch (Exception e) {
            return r.expectedIds();
        }
    }

    /** Those of {@code ids} in error_events once all are, or progress stopped for 30 s, or the deadline. */
    private static Set<String> storedAmong(Set<String> ids, Duration deadline) throws Exception {
        Set<String> stored = new HashSet<>();
        long[] lastProgress = {System.nanoTime()};
        try (Connection conn = DriverManager.getConnection(env.get("POSTGRES_JDBC_URL"), "postgres", "")) {
            try {
                Awaitility.await()
                        .atMost(deadline)
                        .pollInterval(Duration.ofSeconds(1))
                        .until(() -> {
                            List<String> missing = ids.stream()
                                    .filter(id -> !stored.contains(id))
                                    .toList();
                            if (missing.isEmpty()) {
                                return true;
                            }
                            int before = stored.size();
                            try (PreparedStatement ps = conn.prepareStatement(
                                    "SELECT event_id FROM error_events WHERE event_id = ANY(?)")) {
                                Array array = conn.createArrayOf("varchar", missing.toArray());
                                ps.setArray(1, array);
                                try (ResultSet rs = ps.executeQuery()) {
                                    while (rs.next()) {
                                        stored.add(rs.getString(1));
                                    }
                                }
                            }
                            if (stored.size() > before) {
                                lastProgress[0] = System.nanoTime();
                            }
                            return stored.size() == ids.size()
                                    || System.nanoTime() - lastProgress[0]
                                            > Duration.ofSeconds(30).toNanos();
                        });
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                // what is stored by the deadline is the answer
            }
        }
        return stored;
    }

    private static Map<String, String> readiness() {
        Map<String, String> health = new TreeMap<>();
        for (String service : List.of("INGEST_URL", "CLASSIFIER_URL", "RESOLVER_URL", "IMPACT_URL", "DASHBOARD_URL")) {
            String url = env.get(service);
            Exchange e = get(url, "/q/health/ready", Map.of());
            String status;
            try {
                status = e.status() == 200
                        ? JSON.readTree(e.body()).path("status").asText()
                        : e.outcome() + " " + e.status() + " " + e.body();
            } catch (Exception ex) {
                status = "unreadable: " + e.body();
            }
            health.put(service.replace("_URL", "").toLowerCase(Locale.ROOT), status);
        }
        return health;
    }

    /** A group to aim the group actions at: the one of a plain event posted before the corpus. */
    private static String aGroup() throws Exception {
        String marker = "BeforeFuzz" + Long.toHexString(System.nanoTime()) + "Exception";
        String id = postNormal(marker);
        AtomicReference<String> group = new AtomicReference<>();
        Awaitility.await()
                .atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    group.set(groupWith(marker));
                    return group.get() != null;
                });
        // the check of stored events must see one that is: else it would pass for the wrong reason
        assertThat(storedAmong(Set.of(id), Duration.ofSeconds(30)))
                .as("a plain event in error_events")
                .containsExactly(id);
        return group.get();
    }

    private static boolean aNormalEventIsShownWithin(Duration within) {
        String marker = "AfterFuzz" + Long.toHexString(System.nanoTime()) + "Exception";
        try {
            postNormal(marker);
            Awaitility.await()
                    .atMost(within)
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> groupWith(marker) != null);
            return true;
        } catch (Exception | AssertionError e) {
            return false;
        }
    }

    private static String postNormal(String exceptionType) throws Exception {
        String body = "{\"level\":\"error\",\"message\":\"plain event " + exceptionType
                + "\",\"tags\":{\"workflow\":\"booking\"}," + "\"exception\":{\"values\":[{\"type\":\"com.example.fuzz."
                + exceptionType + "\",\"value\":\"plain\"}]}}";
        Exchange e = RawHttp.exchange(
                "127.0.0.1",
                port("INGEST_URL"),
                RawHttp.request(
                        "POST",
                        "/api/v1/projects/" + env.get("PROJECT_ID") + "/events",
                        "127.0.0.1",
                        HostileCorpus.headers(
                                "Content-Type",
                                "application/json",
                                "Authorization",
                                "Bearer " + env.get("PROJECT_KEY")),
                        body.getBytes(StandardCharsets.UTF_8)),
                0,
                null,
                TIMEOUT_MILLIS);
        assertThat(e.status()).as("a plain event: %s", e.body()).isEqualTo(202);
        return JSON.readTree(e.body()).get("id").asText();
    }

    private static String groupWith(String marker) throws Exception {
        Exchange e = get(
                env.get("DASHBOARD_URL"),
                "/api/v1/overview?limit=500",
                Map.of("Authorization", "Bearer " + env.get("ADMIN_TOKEN")));
        if (e.status() != 200) {
            return null;
        }
        for (JsonNode g : JSON.readTree(e.body()).path("groups")) {
            if (g.path("title").asText().contains(marker)) {
                return g.path("groupId").asText();
            }
        }
        return null;
    }

    /** A dashboard session, as the login form gets one. */
    private static String login() {
        String form = "username=" + env.get("ADMIN_USER") + "&password=" + env.get("ADMIN_PASSWORD");
        Exchange e = RawHttp.exchange(
                "127.0.0.1",
                port("DASHBOARD_URL"),
                RawHttp.request(
                        "POST",
                        "/auth/login",
                        "127.0.0.1",
                        HostileCorpus.headers("Content-Type", "application/x-www-form-urlencoded"),
                        form.getBytes(StandardCharsets.UTF_8)),
                0,
                null,
                TIMEOUT_MILLIS);
        String cookie = e.header("Set-Cookie");
        assertThat(cookie).as("login answered %s", e.status()).isNotNull().contains("faultline_session=");
        String value = cookie.substring(cookie.indexOf("faultline_session=") + "faultline_session=".length());
        int semi = value.indexOf(';');
        return semi < 0 ? value : value.substring(0, semi);
    }

    private static Exchange get(String base, String path, Map<String, String> headers) {
        java.net.URI uri = java.net.URI.create(base);
        return RawHttp.exchange(
                uri.getHost(),
                uri.getPort(),
                RawHttp.request("GET", path, uri.getHost() + ":" + uri.getPort(), new LinkedHashMap<>(headers), null),
                0,
                null,
                TIMEOUT_MILLIS);
    }

    private static int port(String urlVar) {
        return java.net.URI.create(env.get(urlVar)).getPort();
    }

    private static List<String> describe(List<Result> results) {
        return results.stream()
                .sorted(java.util.Comparator.comparingInt(Result::index))
                .map(HostileFuzzIT::describe)
                .limit(40)
                .toList();
    }

    private static String describe(Result r) {
        Exchange a = r.answer();
        String body = a.body().replaceAll("\\s+", " ");
        return "#" + r.index() + " " + r.target() + " " + r.family() + "/" + r.name() + " -> " + a.outcome() + " "
                + a.status() + " after " + a.millis() + " ms " + body.substring(0, Math.min(160, body.length()));
    }

    private static String details(
            List<Result> hangs, List<Result> bad5xx, Map<String, List<String>> lostBy, LeakScan leaks) {
        StringBuilder out = new StringBuilder();
        out.append("== hangs (").append(hangs.size()).append(")\n");
        hangs.stream().map(HostileFuzzIT::describe).forEach(s -> out.append(s).append('\n'));
        out.append("== 5xx (").append(bad5xx.size()).append(")\n");
        bad5xx.stream().map(HostileFuzzIT::describe).forEach(s -> out.append(s).append('\n'));
        out.append("== accepted, not stored\n");
        lostBy.forEach((k, v) -> out.append(k)
                .append(": ")
                .append(v.size())
                .append(' ')
                .append(v.subList(0, Math.min(3, v.size())))
                .append('\n'));
        out.append("== secrets found\n");
        leaks.leaks().forEach(l -> out.append(l.place())
                .append(' ')
                .append(l.secret().kind())
                .append(" planted in ")
                .append(l.secret().where())
                .append(" found in ")
                .append(l.location())
                .append('\n'));
        return out.toString();
    }
}
