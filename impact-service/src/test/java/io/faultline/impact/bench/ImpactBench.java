package io.faultline.impact.bench;

import io.faultline.devstack.quarkus.KafkaTestResource;
import io.faultline.devstack.quarkus.PostgresTestResource;
import io.faultline.impact.ImpactFixtures;
import io.faultline.schemas.ClassifiedError;
import io.faultline.schemas.topics.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * A benchmark, not a test: its name keeps it out of surefire's default {@code *Test} run; start it
 * with {@code ./faultline bench impact}. It runs the real service on the embedded broker and
 * PostgreSQL (durable: fsync and synchronous_commit on) and:
 *
 * <ol>
 *   <li>pauses the service's classified-error consumers, produces {@code bench.events} classified
 *       events to the topic, resumes the consumers and times the drain: persisted events per second
 *       through the real path (broker → batch consumer → one PostgreSQL transaction per batch);
 *   <li>bulk-seeds the store with SQL up to {@code bench.stored} events (default 1,000,000), with
 *       30 days of minute and hour rollups for 3 projects × 7 workflows, 100,000 groups, 50,000
 *       resolver entries and 10,000 incidents, then {@code VACUUM ANALYZE} (what autovacuum does);
 *   <li>times the dashboard's queries over HTTP, sequentially, {@code bench.queries} times each.
 * </ol>
 *
 * The report goes to stdout and to {@code impact-service/target/bench/impact.txt}; its last line is
 * one JSON object ({@code persistedEventsPerSec}, {@code storedEvents}, per-query p50/p99 millis).
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class ImpactBench {

    private static final String PROJECT = "bench";
    private static final String CHANNEL = "faultline.errors.classified.v1";
    private static final String[] WORKFLOWS = {
        "booking",
        "payment_processing",
        "client_management",
        "revenue_tracking",
        "brand_building",
        "efficiency_optimization",
        "professional_growth"
    };

    @Inject
    Pool db;

    @Inject
    KafkaClientService kafkaClients;

    private final List<String> report = new ArrayList<>();
    private final Map<String, double[]> latencies = new LinkedHashMap<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private double persistedPerSecond;
    private double cpuMicrosPerEvent;
    private double payloadBytes;
    private double payloadTableBytes;

    @Test
    void run() throws Exception {
        int events = Integer.getInteger("bench.events", 200_000);
        int stored = Integer.getInteger("bench.stored", 1_000_000);
        int queries = Integer.getInteger("bench.queries", 200);
        line(
                "impact-service benchmark, %s, %d cores, load average at start %s",
                Instant.now().truncatedTo(ChronoUnit.SECONDS),
                Runtime.getRuntime().availableProcessors(),
                loadAverage());
        ingest(events);
        history(Math.max(0, stored - count("SELECT count(*) FROM error_events")));
        queries(queries);
        line("load average at end %s", loadAverage());
        report.add(json(count("SELECT count(*) FROM error_events")));
        System.out.println(report.get(report.size() - 1));
        Path out = Path.of("target", "bench", "impact.txt");
        Files.createDirectories(out.getParent());
        Files.write(out, report);
    }

    private void ingest(int events) throws Exception {
        Instant base = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofHours(3));
        // with concurrency N the connector runs N channels named "<channel>$1".."<channel>$N"
        List<io.smallrye.reactive.messaging.kafka.KafkaConsumer<Object, Object>> consumers = new ArrayList<>();
        for (String channel : kafkaClients.getConsumerChannels()) {
            if (channel.startsWith(CHANNEL)) {
                consumers.addAll(kafkaClients.getConsumers(channel));
            }
        }
        for (var c : consumers) {
            c.pause().await().atMost(Duration.ofSeconds(30));
        }
        Properties p = new Properties();
        p.put(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
        var serializer = Topics.ERRORS_CLASSIFIED.valueSerde().serializer();
        long produceStart = System.nanoTime();
        try (var producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < events; i++) {
                String group = "bench-g" + (i % 2000);
                ClassifiedError e = ImpactFixtures.sample(
                        ImpactFixtures.error(
                                PROJECT,
                                ImpactFixtures.eventId("bench", i),
                                group,
                                base.plusMillis(i * 50L),
                                null,
                                WORKFLOWS[i % WORKFLOWS.length],
                                i % 50 == 0 ? "critical" : "high",
                                i % 100 == 0 ? "revenue_blocking" : "user_blocking"),
                        i);
                producer.send(
                        new ProducerRecord<>(Topics.ERRORS_CLASSIFIED.name(), group, serializer.serialize("t", e)));
            }
            producer.flush();
        }
        double produced = (System.nanoTime() - produceStart) / 1e9;
        long before = persisted();
        double cpuBefore = cpuSeconds();
        long start = System.nanoTime();
        for (var c : consumers) {
            c.resume().await().atMost(Duration.ofSeconds(30));
        }
        long persisted;
        do {
            // poll gently: a tight loop would steal the CPU being measured
            LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
            persisted = persisted();
        } while (persisted < events
                && System.nanoTime() - start < Duration.ofMinutes(20).toNanos());
        double seconds = (System.nanoTime() - start) / 1e9;
        persistedPerSecond = (persisted - before) / seconds;
        cpuMicrosPerEvent = (cpuSeconds() - cpuBefore) * 1e6 / (persisted - before);
        line(
                "ingest: %d classified events produced in %.1f s with %d consumer(s) paused (%d persisted meanwhile);"
                        + " consumers resumed: %d persisted in %.1f s = %.0f events/s (batch transactions:"
                        + " markers + events + whole payloads + groups + minute/hour rollups + incidents)",
                events, produced, consumers.size(), before, persisted - before, seconds, persistedPerSecond);
        line(
                "drain CPU: %.0f µs per event (this JVM with its in-process broker, plus PostgreSQL: less sensitive to"
                        + " the neighbours' load than events/s; 2 cores at this cost ≈ %.0f events/s)",
                cpuMicrosPerEvent, 2e6 / cpuMicrosPerEvent);
        if (persisted < events) {
            throw new IllegalStateException("only " + persisted + " of " + events + " events persisted");
        }
        long payloads = count("SELECT count(*) FROM event_payloads");
        payloadBytes = count("SELECT COALESCE(SUM(octet_length(payload)), 0) FROM event_payloads") / (double) payloads;
        payloadTableBytes = count("SELECT pg_total_relation_size('event_payloads')") / (double) payloads;
        line(
                "payloads: %d stored, %.0f compressed bytes each, %.0f bytes each with row and index overhead"
                        + " (event_payloads' total size / rows)",
                payloads, payloadBytes, payloadTableBytes);
    }

    private long persisted() {
        return count("SELECT COALESCE(SUM(errors), 0) FROM workflow_hours WHERE project_id = 'bench'");
    }

    /** 30 days of history up to {@code events} more stored events, with rollups consistent with them. */
    private void history(long events) {
        long start = System.nanoTime();
        String workflows = "(ARRAY['" + String.join("','", WORKFLOWS) + "'])";
        // minute rollups: 3 projects × 7 workflows × 43,200 minutes (denser than the events: every minute has traffic)
        exec("INSERT INTO workflow_minutes (project_id, workflow, minute, requests, errors, critical_errors,"
                + " revenue_blocking) SELECT 'hist-' || pr, w, date_trunc('minute', now()) - make_interval(mins => m),"
                + " 1000 + (m % 97), (m * 7 + pr) % 5, CASE WHEN m % 500 = 0 THEN 1 ELSE 0 END,"
                + " CASE WHEN m % 2000 = 0 THEN 1 ELSE 0 END FROM generate_series(1, 43200) m,"
                + " unnest(" + workflows + ") w, generate_series(1, 3) pr ON CONFLICT DO NOTHING");
        exec("INSERT INTO workflow_hours (project_id, workflow, hour, requests, errors, critical_errors,"
                + " revenue_blocking) SELECT project_id, workflow, date_trunc('hour', minute, 'UTC'), SUM(requests),"
                + " SUM(errors), SUM(critical_errors), SUM(revenue_blocking) FROM workflow_minutes"
                + " WHERE project_id LIKE 'hist-%' GROUP BY 1, 2, 3 ON CONFLICT DO NOTHING");
        exec("INSERT INTO error_groups (group_id, project_id, title, strategy, severity, category, business_impact,"
                + " workflow, first_seen, last_seen, event_count, clock_started_at) SELECT 'hist-g' || g,"
                + " 'hist-' || (g % 3 + 1),"
                + " 'failure ' || g, 'message', (ARRAY['critical','high','medium','low','info'])[g % 5 + 1],"
                + " 'business_logic', 'operational', " + workflows + "[g % 7 + 1],"
                + " now() - make_interval(mins => g % 43200 + 60), now() - make_interval(mins => g % 43200),"
                + " g % 1000 + 1, now() - make_interval(mins => g % 43200 + 60)"
                + " FROM generate_series(1, 100000) g ON CONFLICT DO NOTHING");
        exec("INSERT INTO error_events (event_id, group_id, project_id, occurred_at, received_at, level, severity,"
                + " category, business_impact, workflow, message) SELECT 'hist-e' || e, 'hist-g' || (e % 100000 + 1),"
                + " 'hist-' || (e % 3 + 1), now() - make_interval(secs => e * 2), now(), 'error', 'high',"
                + " 'business_logic', 'operational', " + workflows + "[e % 7 + 1], 'failure' FROM generate_series(1, "
                + events + ") e ON CONFLICT DO NOTHING");
        exec("INSERT INTO processed_records (consumer, record_id, processed_at) SELECT 'impact-classified',"
                + " 'hist-e' || e, now() - make_interval(secs => e * 2) FROM generate_series(1, " + events + ") e"
                + " ON CONFLICT DO NOTHING");
        // each verification resolved its group 3 minutes after the group's clock started (time to resolve)
        exec("INSERT INTO resolutions (entry_id, attempt_id, group_id, project_id, occurred_at, phase, severity,"
                + " clock_started_at, priority) SELECT 'hist-r' || r, 'hist-a' || r, 'hist-g' || (r % 100000 + 1),"
                + " 'hist-' || (r % 3 + 1), now() - make_interval(mins => r % 43200),"
                + " (ARRAY['matched','verification_passed'])[r % 2 + 1], 'high', CASE WHEN r % 2 = 1"
                + " THEN now() - make_interval(mins => r % 43200 + 3) END, CASE WHEN r % 2 = 1 THEN 'high' END"
                + " FROM generate_series(1, 50000) r ON CONFLICT DO NOTHING");
        exec("INSERT INTO incidents (incident_id, project_id, scope, scope_key, group_id, workflow, trigger, severity,"
                + " title, status, opened_at, last_activity_at, closed_at, close_reason, event_count)"
                + " SELECT 'hist-i' || i, 'hist-' || (i % 3 + 1), 'group', 'hist-g' || i, 'hist-g' || i,"
                + " " + workflows + "[i % 7 + 1], 'critical', 'critical', 'failure ' || i, 'closed',"
                + " now() - make_interval(mins => i * 4), now() - make_interval(mins => i * 4 - 3),"
                + " now() - make_interval(mins => i * 4 - 5), 'verified', 10 FROM generate_series(1, 10000) i"
                + " ON CONFLICT DO NOTHING");
        // what the batches roll up for the search: per group three releases of forty, one or two
        // environments, its level, a custom tag; users affected spread over 0..499
        exec("INSERT INTO group_tag_values (group_id, key, value, times_seen, first_seen, last_seen)"
                + " SELECT 'hist-g' || g, t.key, t.value, g % 97 + 1, now() - make_interval(mins => g % 43200 + 60),"
                + " now() - make_interval(mins => g % 43200) FROM generate_series(1, 100000) g,"
                + " LATERAL (VALUES ('release', 'shop@1.' || (g % 40)), ('release', 'shop@1.' || ((g + 1) % 40)),"
                + " ('release', 'shop@1.' || ((g + 2) % 40)), ('environment', 'production'),"
                + " ('environment', CASE WHEN g % 4 = 0 THEN 'staging' ELSE 'production' END),"
                + " ('level', CASE WHEN g % 10 = 0 THEN 'warning' ELSE 'error' END),"
                + " ('customer_tier', (ARRAY['gold','silver','bronze'])[g % 3 + 1])) AS t(key, value)"
                + " ON CONFLICT DO NOTHING");
        exec("UPDATE error_groups SET users_affected = (hashtext(group_id) & 511) % 500"
                + " WHERE project_id LIKE 'hist-%' AND users_affected = 0");
        exec("VACUUM ANALYZE");
        line(
                "history seeded in %.1f s: error_events %d, workflow_minutes %d, workflow_hours %d, error_groups %d,"
                        + " resolutions %d, incidents %d",
                (System.nanoTime() - start) / 1e9,
                count("SELECT count(*) FROM error_events"),
                count("SELECT count(*) FROM workflow_minutes"),
                count("SELECT count(*) FROM workflow_hours"),
                count("SELECT count(*) FROM error_groups"),
                count("SELECT count(*) FROM resolutions"),
                count("SELECT count(*) FROM incidents"));
    }

    private void queries(int n) throws Exception {
        String second = get("/api/v1/groups?limit=50&project=hist-1");
        Matcher m = Pattern.compile("\"nextCursor\":\"([^\"]+)\"").matcher(second);
        String cursor = m.find() ? m.group(1) : "";
        String weekAgo =
                URLEncoder.encode(Instant.now().minus(Duration.ofDays(7)).toString(), StandardCharsets.UTF_8);
        measure("overview", "GET /overview (all projects)", n, "/api/v1/overview");
        measure("overviewProject", "GET /overview (one project)", n, "/api/v1/overview?project=hist-1");
        measure("workflowsImpact", "GET /workflows/impact (24 h, all projects)", n, "/api/v1/workflows/impact");
        measure(
                "workflowsImpactProject",
                "GET /workflows/impact (24 h, one project)",
                n,
                "/api/v1/workflows/impact?project=hist-1");
        measure(
                "workflowsImpact7d",
                "GET /workflows/impact (7 d, one project)",
                Math.max(10, n / 10),
                "/api/v1/workflows/impact?project=hist-1&from=" + weekAgo);
        measure("sla", "GET /sla (24 h, 30 d budgets, all projects)", n, "/api/v1/sla");
        measure("slaProject", "GET /sla (24 h, 30 d budgets, one project)", n, "/api/v1/sla?project=hist-1");
        // the report a manager keeps, every project and workflow with daily series: a week and a month
        int reports = Math.max(5, n / 20);
        for (int days : new int[] {7, 30}) {
            String period = "from="
                    + encode(Instant.now()
                            .minus(Duration.ofDays(days))
                            .truncatedTo(ChronoUnit.DAYS)
                            .toString())
                    + "&to=" + encode(Instant.now().truncatedTo(ChronoUnit.DAYS).toString());
            measureReport(
                    "slaReport" + days + "d",
                    "GET /sla/report (" + days + " d, all projects, JSON)",
                    reports,
                    "/api/v1/sla/report?" + period);
            measureReport(
                    "slaReport" + days + "dProject",
                    "GET /sla/report (" + days + " d, one project, JSON)",
                    reports,
                    "/api/v1/sla/report?project=hist-1&" + period);
            measureReport(
                    "slaReport" + days + "dHtml",
                    "GET /sla/report (" + days + " d, all projects, HTML)",
                    reports,
                    "/api/v1/sla/report?format=html&" + period);
        }
        measure("groupsFirstPage", "GET /groups (first page of 50, all projects)", n, "/api/v1/groups");
        measure(
                "groupsFirstPageProject",
                "GET /groups (first page of 50, one project)",
                n,
                "/api/v1/groups?project=hist-1");
        measure(
                "groupsCursorPage",
                "GET /groups (second page via cursor)",
                n,
                "/api/v1/groups?project=hist-1&cursor=" + cursor);
        measure(
                "groupsFiltered",
                "GET /groups (severity+workflow filter, -count)",
                n,
                "/api/v1/groups?severity=critical&workflow=booking&sort=-count");
        measure(
                "groupsSearchText",
                "GET /groups?query= free text over title and culprit",
                n,
                "/api/v1/groups?query=" + encode("4242"));
        measure(
                "groupsSearchTags",
                "GET /groups?query= status+severity+release+environment, -users",
                n,
                "/api/v1/groups?sort=-users&query="
                        + encode("is:unresolved severity:critical release:shop@1.7 environment:production"));
        measure(
                "groupsSearchCustomTag",
                "GET /groups?query= custom tag + firstSeen:-7d, -priority",
                n,
                "/api/v1/groups?sort=-priority&query=" + encode("tag:customer_tier=gold firstSeen:-7d"));
        measure(
                "groupsSearchNegated",
                "GET /groups?query= negated tag + lastSeen:-24h, one project",
                n,
                "/api/v1/groups?project=hist-1&query=" + encode("!level:error lastSeen:-24h"));
        measure("groupTags", "GET /groups/{id}/tags", n, "/api/v1/groups/hist-g7/tags");
        measure("incidents", "GET /incidents (first page)", n, "/api/v1/incidents");
        measure(
                "event",
                "GET /events/{id} (decompressed, as JSON)",
                n,
                "/api/v1/events/" + ImpactFixtures.eventId("bench", 0));
        measure("groupEvents", "GET /groups/{id}/events (first page of 50)", n, "/api/v1/groups/bench-g7/events");
        measure(
                "groupRecommendedEvent",
                "GET /groups/{id}/events/recommended",
                n,
                "/api/v1/groups/bench-g7/events/recommended");
        measure("resolutions", "GET /resolutions (first page)", n, "/api/v1/resolutions");
    }

    private static String encode(String query) {
        return URLEncoder.encode(query, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private String get(String path) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(path + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    /** A report may outlast the service's 10 s idle timeout under load: say so and go on. */
    private void measureReport(String key, String name, int n, String path) throws Exception {
        try {
            measure(key, name, n, path);
        } catch (java.io.IOException | IllegalStateException e) {
            line("%-48s failed: %s", name, e.getMessage());
        }
    }

    private void measure(String key, String name, int n, String path) throws Exception {
        for (int i = 0; i < Math.min(20, n); i++) {
            get(path); // warm-up
        }
        long[] nanos = new long[n];
        for (int i = 0; i < n; i++) {
            long t = System.nanoTime();
            get(path);
            nanos[i] = System.nanoTime() - t;
        }
        Arrays.sort(nanos);
        double p50 = nanos[n / 2] / 1e6;
        double p99 = nanos[(int) Math.ceil(n * 0.99) - 1] / 1e6;
        latencies.put(key, new double[] {p50, p99});
        line("%-48s n=%4d p50 %7.2f ms  p99 %7.2f ms  max %7.2f ms", name, n, p50, p99, nanos[n - 1] / 1e6);
    }

    private String json(long storedEvents) {
        StringBuilder p50 = new StringBuilder();
        StringBuilder p99 = new StringBuilder();
        latencies.forEach((k, v) -> {
            p50.append(p50.length() == 0 ? "" : ",").append(String.format(Locale.ROOT, "\"%s\":%.2f", k, v[0]));
            p99.append(p99.length() == 0 ? "" : ",").append(String.format(Locale.ROOT, "\"%s\":%.2f", k, v[1]));
        });
        return String.format(
                Locale.ROOT,
                "{\"bench\":\"impact\",\"persistedEventsPerSec\":%.0f,\"storedEvents\":%d,"
                        + "\"drainCpuMicrosPerEvent\":%.0f,\"payloadBytesPerEvent\":%.0f,\"payloadTableBytesPerEvent\":%.0f,\"loadAverage\":\"%s\","
                        + "\"p50Millis\":{%s},\"p99Millis\":{%s}}",
                persistedPerSecond,
                storedEvents,
                cpuMicrosPerEvent,
                payloadBytes,
                payloadTableBytes,
                loadAverage(),
                p50,
                p99);
    }

    /**
     * CPU seconds (user + system) of this JVM and every process it started (the embedded
     * PostgreSQL's postmaster and backends), from /proc; a child that exited meanwhile is missed.
     */
    private static double cpuSeconds() {
        Map<Long, Long> parents = new java.util.HashMap<>();
        Map<Long, Long> ticks = new java.util.HashMap<>();
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path proc : procs.toList()) {
                String name = proc.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String stat = Files.readString(proc.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    parents.put(Long.parseLong(name), Long.parseLong(f[1]));
                    ticks.put(Long.parseLong(name), Long.parseLong(f[11]) + Long.parseLong(f[12]));
                } catch (Exception gone) {
                    // exited while listed
                }
            }
        } catch (Exception e) {
            return Double.NaN;
        }
        long self = ProcessHandle.current().pid();
        long total = 0;
        for (var p : ticks.entrySet()) {
            for (Long at = p.getKey(); at != null && at > 1; at = parents.get(at)) {
                if (at == self) {
                    total += p.getValue();
                    break;
                }
            }
        }
        return total / 100.0; // USER_HZ
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (Exception e) {
            return "n/a";
        }
    }

    private void exec(String sql) {
        db.query(sql).execute().await().indefinitely();
    }

    private long count(String sql) {
        return db.query(sql).execute().await().indefinitely().iterator().next().getLong(0);
    }

    private void line(String format, Object... args) {
        String text = String.format(Locale.ROOT, format, args);
        report.add(text);
        System.out.println("[bench] " + text);
    }
}
