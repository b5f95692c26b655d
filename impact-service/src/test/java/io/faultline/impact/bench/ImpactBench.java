package io.faultline.impact.bench;

import static io.restassured.RestAssured.given;

import io.faultline.devstack.quarkus.KafkaTestResource;
import io.faultline.devstack.quarkus.PostgresTestResource;
import io.faultline.impact.ImpactFixtures;
import io.faultline.schemas.ClassifiedError;
import io.faultline.schemas.topics.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * A benchmark, not a test: its name keeps it out of surefire's default {@code *Test} run. It runs
 * the real service on the embedded broker and database, measures persisted classified events per
 * second end to end (broker → consumer → PostgreSQL transaction), then loads a large history with
 * SQL and measures the latency of the main queries. The report goes to stdout and to
 * {@code impact-service/target/bench/impact.txt}.
 *
 * <pre>./mvnw -B -q -pl impact-service -am test -Dspotless.check.skip=true -Dtest=ImpactBench \
 *     -Dsurefire.failIfNoSpecifiedTests=false [-Dbench.events=20000 -Dbench.queries=200]</pre>
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class ImpactBench {

    private static final String PROJECT = "bench";
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

    private final List<String> report = new ArrayList<>();

    @Test
    void run() throws Exception {
        int events = Integer.getInteger("bench.events", 20_000);
        int queries = Integer.getInteger("bench.queries", 200);
        line(
                "impact-service benchmark, %s, %d cores",
                Instant.now().truncatedTo(ChronoUnit.SECONDS),
                Runtime.getRuntime().availableProcessors());
        ingest(events);
        history();
        queries(queries);
        Path out = Path.of("target", "bench", "impact.txt");
        Files.createDirectories(out.getParent());
        Files.write(out, report);
    }

    private void ingest(int events) throws Exception {
        Instant base = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofHours(2));
        Properties p = new Properties();
        p.put(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        var serializer = Topics.ERRORS_CLASSIFIED.valueSerde().serializer();
        long start = System.nanoTime();
        try (var producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < events; i++) {
                String group = "bench-g" + (i % 500);
                ClassifiedError e = ImpactFixtures.error(
                        PROJECT,
                        ImpactFixtures.eventId("bench", i),
                        group,
                        base.plusMillis(i * 300L),
                        null,
                        WORKFLOWS[i % WORKFLOWS.length],
                        i % 50 == 0 ? "critical" : "high",
                        i % 100 == 0 ? "revenue_blocking" : "user_blocking");
                producer.send(
                        new ProducerRecord<>(Topics.ERRORS_CLASSIFIED.name(), group, serializer.serialize("t", e)));
            }
            producer.flush();
        }
        double produced = (System.nanoTime() - start) / 1e9;
        long persisted;
        do {
            // poll gently: a tight count(*) loop would steal the CPU being measured
            java.util.concurrent.locks.LockSupport.parkNanos(
                    Duration.ofMillis(250).toNanos());
            persisted = count("SELECT count(*) FROM error_events WHERE project_id = 'bench'");
        } while (persisted < events
                && System.nanoTime() - start < Duration.ofMinutes(15).toNanos());
        double seconds = (System.nanoTime() - start) / 1e9;
        line(
                "ingest: %d classified events produced in %.2f s; %d persisted after %.2f s = %.0f events/s end to end"
                        + " (one DB transaction per event: marker + event + group upsert + minute upsert)",
                events, produced, persisted, seconds, persisted / seconds);
    }

    /** 30 days of history: per-minute counters for 7 workflows × 3 projects, groups, events, resolutions. */
    private void history() {
        long start = System.nanoTime();
        exec("INSERT INTO workflow_minutes (project_id, workflow, minute, requests, errors, critical_errors,"
                + " revenue_blocking) SELECT 'hist-' || pr, w, date_trunc('minute', now()) - make_interval(mins => m),"
                + " 1000 + (m % 97), (m * 7 + pr) % 5, CASE WHEN m % 500 = 0 THEN 1 ELSE 0 END,"
                + " CASE WHEN m % 2000 = 0 THEN 1 ELSE 0 END FROM generate_series(1, 43200) m,"
                + " unnest(ARRAY['" + String.join("','", WORKFLOWS) + "']) w, generate_series(1, 3) pr"
                + " ON CONFLICT DO NOTHING");
        exec("INSERT INTO error_groups (group_id, project_id, title, strategy, severity, category, business_impact,"
                + " workflow, first_seen, last_seen, event_count) SELECT 'hist-g' || g, 'hist-' || (g % 3 + 1),"
                + " 'failure ' || g, 'message', (ARRAY['critical','high','medium','low','info'])[g % 5 + 1],"
                + " 'business_logic', 'operational', (ARRAY['" + String.join("','", WORKFLOWS) + "'])[g % 7 + 1],"
                + " now() - make_interval(mins => g % 43200 + 60), now() - make_interval(mins => g % 43200),"
                + " g % 1000 + 1 FROM generate_series(1, 100000) g ON CONFLICT DO NOTHING");
        exec("INSERT INTO error_events (event_id, group_id, project_id, occurred_at, received_at, level, severity,"
                + " category, business_impact, workflow, message) SELECT 'hist-e' || e, 'hist-g' || (e % 100000 + 1),"
                + " 'hist-' || (e % 3 + 1), now() - make_interval(secs => e * 5), now(), 'error', 'high',"
                + " 'business_logic', 'operational', 'booking', 'failure' FROM generate_series(1, 500000) e"
                + " ON CONFLICT DO NOTHING");
        exec("INSERT INTO resolutions (entry_id, attempt_id, group_id, project_id, occurred_at, phase, severity)"
                + " SELECT 'hist-r' || r, 'hist-a' || r, 'hist-g' || (r % 100000 + 1), 'hist-' || (r % 3 + 1),"
                + " now() - make_interval(mins => r % 43200), (ARRAY['matched','verification_passed'])[r % 2 + 1],"
                + " 'high' FROM generate_series(1, 50000) r ON CONFLICT DO NOTHING");
        exec("ANALYZE");
        line(
                "history loaded in %.1f s: workflow_minutes %d, error_groups %d, error_events %d, resolutions %d",
                (System.nanoTime() - start) / 1e9,
                count("SELECT count(*) FROM workflow_minutes"),
                count("SELECT count(*) FROM error_groups"),
                count("SELECT count(*) FROM error_events"),
                count("SELECT count(*) FROM resolutions"));
    }

    private void queries(int n) {
        String cursor = given().queryParam("limit", 50)
                .queryParam("project", "hist-1")
                .get("/api/v1/groups")
                .then()
                .statusCode(200)
                .extract()
                .path("nextCursor");
        measure("GET /workflows/impact (24 h, all projects)", n, () -> given().get("/api/v1/workflows/impact")
                .statusCode());
        measure("GET /workflows/impact (24 h, one project)", n, () -> given().queryParam("project", "hist-1")
                .get("/api/v1/workflows/impact")
                .statusCode());
        measure("GET /workflows/impact (7 d, one project)", Math.max(10, n / 10), () -> given().queryParam(
                        "project", "hist-1")
                .queryParam("from", Instant.now().minus(Duration.ofDays(7)).toString())
                .get("/api/v1/workflows/impact")
                .statusCode());
        measure("GET /sla (24 h, 30 d budgets, all projects)", n, () -> given().get("/api/v1/sla")
                .statusCode());
        measure("GET /groups (first page of 50, one project)", n, () -> given().queryParam("project", "hist-1")
                .get("/api/v1/groups")
                .statusCode());
        measure("GET /groups (second page via cursor)", n, () -> given().queryParam("project", "hist-1")
                .queryParam("cursor", cursor)
                .get("/api/v1/groups")
                .statusCode());
        measure("GET /groups (severity+workflow filter, -count)", n, () -> given().queryParam("severity", "critical")
                .queryParam("workflow", "booking")
                .queryParam("sort", "-count")
                .get("/api/v1/groups")
                .statusCode());
        measure("GET /resolutions (first page)", n, () -> given().get("/api/v1/resolutions")
                .statusCode());
    }

    private void measure(String name, int n, Supplier<Integer> call) {
        for (int i = 0; i < Math.min(20, n); i++) {
            call.get(); // warm-up
        }
        long[] nanos = new long[n];
        for (int i = 0; i < n; i++) {
            long t = System.nanoTime();
            int status = call.get();
            nanos[i] = System.nanoTime() - t;
            if (status != 200) {
                throw new IllegalStateException(name + " answered " + status);
            }
        }
        Arrays.sort(nanos);
        line(
                "%-48s n=%4d p50 %7.2f ms  p99 %7.2f ms  max %7.2f ms",
                name, n, nanos[n / 2] / 1e6, nanos[(int) Math.ceil(n * 0.99) - 1] / 1e6, nanos[n - 1] / 1e6);
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
