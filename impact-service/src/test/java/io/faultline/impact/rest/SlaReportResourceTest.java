package io.faultline.impact.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import io.faultline.devstack.quarkus.KafkaTestResource;
import io.faultline.devstack.quarkus.PostgresTestResource;
import io.faultline.impact.ImpactFixtures;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The SLA report of a period (issue #21, part 4): per project and per workflow, every objective
 * with its verdict, time to resolve per priority and daily series, as JSON, CSV and a printable
 * page. Three days of March 2026: booking of project rep-a succeeds 99 % on the first day and 90 %
 * on the second (94.5 % over the period, below its 95 % target) and its group stays open past the
 * medium target; payments of rep-b succeed 99 % and its high group is resolved by hand in 2 minutes.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class SlaReportResourceTest {

    private static final String FROM = "2026-03-01T00:00:00Z";
    private static final String TO = "2026-03-04T00:00:00Z";
    private static final Instant DAY1 = Instant.parse("2026-03-01T10:00:00Z");
    private static final Instant DAY2 = Instant.parse("2026-03-02T10:00:00Z");
    /** A project id as hostile as the query API lets one be named: a formula, markup, quotes, a comma. */
    private static final String HOSTILE = "=1+2,\"<b>\"";

    static {
        ImpactFixtures.decimalsAsDoubles();
    }

    private static boolean seeded;

    @Inject
    Pool db;

    /** Once for the class; not a static @BeforeAll, which runs before RestAssured knows the port. */
    @BeforeEach
    void seed() {
        if (seeded) {
            return;
        }
        seeded = true;
        ImpactFixtures fixtures = new ImpactFixtures();
        fixtures.send(ImpactFixtures.traffic("rep-t1", "rep-a", "/api/booking", DAY1, DAY1.plusSeconds(60), 100));
        fixtures.send(ImpactFixtures.traffic("rep-t2", "rep-a", "/api/booking", DAY2, DAY2.plusSeconds(60), 100));
        int n = 0;
        fixtures.send(error("rep-a", n++, "rep-book", DAY1, "/api/booking", "medium"));
        for (int i = 0; i < 10; i++) {
            fixtures.send(error("rep-a", n++, "rep-book", DAY2.plusSeconds(i), "/api/booking", "medium"));
        }
        fixtures.send(ImpactFixtures.traffic("rep-t3", "rep-b", "/api/payments", DAY1, DAY1.plusSeconds(60), 100));
        fixtures.send(error("rep-b", n++, "rep-pay", DAY1, "/api/payments", "high"));
        fixtures.send(error(HOSTILE, n++, "rep-hostile", DAY1, "/api/payments", "low"));
        Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/api/v1/groups/rep-pay")
                .then()
                .statusCode(200));
        fixtures.send(io.faultline.schemas.ResolutionEvent.newBuilder(ImpactFixtures.resolution(
                        "rep-m1", "rep-b", "rep-pay", null, DAY1.plusSeconds(120), "action_succeeded"))
                .setAttemptId("rep-m1")
                .setRunbookId(null)
                .setStrategy("manual")
                .setAction("manual_resolve")
                .build());
        Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            given().get("/api/v1/groups/rep-pay").then().body("group.status", is("resolved"));
            given().get("/api/v1/groups/rep-hostile").then().statusCode(200);
            report().queryParam("project", "rep-a")
                    .get("/api/v1/sla/report")
                    .then()
                    .statusCode(200)
                    .body("workflows.find { it.id == 'booking' }.sla.errorRate.errors", is(11))
                    .body("workflows.find { it.id == 'booking' }.sla.errorRate.requests", is(200));
            // rep-b's traffic comes on its own record, in no order with rep-a's: wait for it too
            report().queryParam("project", "rep-b")
                    .get("/api/v1/sla/report")
                    .then()
                    .statusCode(200)
                    .body("workflows.find { it.id == 'payment_processing' }.sla.errorRate.requests", is(100));
        });
    }

    @Test
    void perProjectAndWorkflowEveryObjectiveHasAVerdictWithTimeToResolveAndDailySeries() {
        report().queryParam("project", "rep-a")
                .get("/api/v1/sla/report")
                .then()
                .statusCode(200)
                .contentType("application/json")
                .body("from", is(FROM))
                .body("to", is(TO))
                .body("bucket", is("day"))
                .body("overall.scope", is("all"))
                .body("overall.sla.verdict", is("breached"))
                .body("projects.id", contains("rep-a"))
                .body(
                        "projects[0].sla.objectives.find { it.id == 'workflow_success_booking' }.actual",
                        closeTo(0.945, 1e-9))
                .body("projects[0].sla.objectives.find { it.id == 'workflow_success_booking' }.verdict", is("breached"))
                // every configured workflow, measured or not
                .body("workflows.id", hasItems("booking", "payment_processing", "client_management"))
                .body(
                        "workflows.find { it.id == 'booking' }.sla.objectives.find { it.id =="
                                + " 'workflow_success_booking' }.actual",
                        closeTo(0.945, 1e-9))
                .body(
                        "workflows.find { it.id == 'booking' }.sla.objectives.find { it.id =="
                                + " 'workflow_success_booking' }.verdict",
                        is("breached"))
                // a workflow's report judges only its own success target
                .body(
                        "workflows.find { it.id == 'booking' }.sla.objectives.findAll { it.id =="
                                + " 'workflow_success_payment_processing' }",
                        hasSize(0))
                .body(
                        "workflows.find { it.id == 'booking' }.sla.timeToResolve.find { it.priority == 'medium'"
                                + " }.openPastTarget",
                        is(1))
                .body(
                        "workflows.find { it.id == 'booking' }.sla.objectives.find { it.id == 'time_to_resolve_medium'"
                                + " }.verdict",
                        is("breached"))
                // payments of rep-a: nothing at all, said so rather than called compliant
                .body("workflows.find { it.id == 'payment_processing' }.sla.verdict", is("no_data"))
                .body(
                        "workflows.find { it.id == 'payment_processing' }.sla.objectives.findAll { it.reason == null"
                                + " }",
                        hasSize(0))
                // one point per day of the period, an empty day without a rate
                .body(
                        "workflows.find { it.id == 'booking' }.series.start",
                        contains(FROM, "2026-03-02T00:00:00Z", "2026-03-03T00:00:00Z"))
                .body("workflows.find { it.id == 'booking' }.series[0].errorRate", closeTo(0.01, 1e-9))
                .body("workflows.find { it.id == 'booking' }.series[1].successRate", closeTo(0.9, 1e-9))
                .body("workflows.find { it.id == 'booking' }.series[2].requests", is(0))
                .body("workflows.find { it.id == 'booking' }.series[2].errorRate", nullValue())
                .body("overall.series[1].errors", is(10));

        report().queryParam("project", "rep-b")
                .get("/api/v1/sla/report")
                .then()
                .statusCode(200)
                // an operator's resolve after 2 minutes, within the 5-minute high target
                .body(
                        "workflows.find { it.id == 'payment_processing' }.sla.timeToResolve.find { it.priority =="
                                + " 'high' }.p50Seconds",
                        closeTo(120.0, 1e-6))
                .body(
                        "workflows.find { it.id == 'payment_processing' }.sla.timeToResolve.find { it.priority =="
                                + " 'high' }.worstSeconds",
                        closeTo(120.0, 1e-6))
                .body(
                        "workflows.find { it.id == 'payment_processing' }.sla.objectives.find { it.id =="
                                + " 'workflow_success_payment_processing' }.verdict",
                        is("compliant"))
                .body("projects[0].sla.timeToResolve.find { it.priority == 'high' }.verdict", is("compliant"));

        // every project of the period, each on its own
        report().get("/api/v1/sla/report").then().statusCode(200).body("projects.id", hasItems("rep-a", "rep-b"));
    }

    /**
     * The report reads every project's measurements in one statement grouped by project: each
     * project's scope must still be exactly its {@code /sla}, and the overall scope {@code /sla} of
     * all projects. Project rep-c holds the groups whose counting differs most easily: stored by a
     * previous version without a clock (past the medium target from their first event, never
     * counted within it) and resolved in a release not shipped yet without a clock (not counted).
     */
    @Test
    void eachProjectScopeIsThatProjectsSlaAndTheOverallScopeTheSlaOfAll() {
        String groups = "INSERT INTO error_groups (group_id, project_id, title, strategy, severity, category,"
                + " business_impact, workflow, status, resolved_in_release, first_seen, last_seen)"
                + " VALUES ('rep-c-old', 'rep-c', 'old', 'message', 'medium', 'business_logic', 'operational',"
                + " 'booking', 'unresolved', NULL, '2026-02-01T00:00:00Z', '2026-02-01T00:00:00Z'),"
                + " ('rep-c-new', 'rep-c', 'new', 'message', 'medium', 'business_logic', 'operational',"
                + " 'booking', 'unresolved', NULL, '2026-03-03T23:50:00Z', '2026-03-03T23:50:00Z'),"
                + " ('rep-c-pending', 'rep-c', 'pending', 'message', 'low', 'business_logic', 'operational',"
                + " NULL, 'resolved', 'shop@9', '2026-02-01T00:00:00Z', '2026-02-01T00:00:00Z')"
                + " ON CONFLICT DO NOTHING";
        db.query(groups).execute().await().indefinitely();
        try {
            List<Map<String, Object>> projects = report().get("/api/v1/sla/report")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath()
                    .getList("projects");
            assertThat(projects).extracting(p -> p.get("id")).contains("rep-a", "rep-b", "rep-c", HOSTILE);
            for (Map<String, Object> project : projects) {
                Map<String, Object> sla = given().queryParam("from", FROM)
                        .queryParam("to", TO)
                        .queryParam("project", project.get("id"))
                        .get("/api/v1/sla")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getMap("$");
                assertThat(project.get("sla"))
                        .as("project %s", project.get("id"))
                        .isEqualTo(sla);
            }
            report().queryParam("project", "rep-c")
                    .get("/api/v1/sla/report")
                    .then()
                    .statusCode(200)
                    .body("projects[0].sla.timeToResolve.find { it.priority == 'medium' }.openPastTarget", is(1))
                    .body("projects[0].sla.timeToResolve.find { it.priority == 'medium' }.openWithinTarget", is(0))
                    .body("projects[0].sla.timeToResolve.find { it.priority == 'low' }.openPastTarget", is(0));
            assertThat(report().get("/api/v1/sla/report")
                            .then()
                            .statusCode(200)
                            .extract()
                            .jsonPath()
                            .getMap("overall.sla"))
                    .isEqualTo(given().queryParam("from", FROM)
                            .queryParam("to", TO)
                            .get("/api/v1/sla")
                            .then()
                            .statusCode(200)
                            .extract()
                            .jsonPath()
                            .getMap("$"));
        } finally {
            // other classes share the database: their all-project figures need not know rep-c
            db.query("DELETE FROM error_groups WHERE project_id = 'rep-c'")
                    .execute()
                    .await()
                    .indefinitely();
        }
    }

    @Test
    void csvHasAHeaderAndOneRowPerScopeAndObjectiveQuotedAsRfc4180() {
        String csv = report().queryParam("project", "rep-a")
                .accept("text/csv")
                .get("/api/v1/sla/report")
                .then()
                .statusCode(200)
                .contentType(startsWith("text/csv"))
                .header("Content-Disposition", startsWith("attachment; filename="))
                .extract()
                .asString();
        assertThat(csv).contains("\r\n");
        List<List<String>> rows = parseCsv(csv);
        List<String> header = rows.get(0);
        assertThat(header)
                .startsWith("from", "to", "scope", "scope_id", "objective", "name", "verdict", "reason")
                .contains("p50_seconds", "p95_seconds", "worst_seconds", "budget_remaining");
        assertThat(rows).allSatisfy(row -> assertThat(row).hasSameSizeAs(header));
        int scope = header.indexOf("scope");
        int id = header.indexOf("scope_id");
        int objective = header.indexOf("objective");
        int verdict = header.indexOf("verdict");
        List<String> booking = rows.stream()
                .filter(r -> r.get(scope).equals("workflow")
                        && r.get(id).equals("booking")
                        && r.get(objective).equals("workflow_success_booking"))
                .findFirst()
                .orElseThrow();
        assertThat(booking.get(verdict)).isEqualTo("breached");
        assertThat(booking.get(header.indexOf("actual"))).isEqualTo("0.945");
        List<String> medium = rows.stream()
                .filter(r -> r.get(scope).equals("project")
                        && r.get(id).equals("rep-a")
                        && r.get(objective).equals("time_to_resolve_medium"))
                .findFirst()
                .orElseThrow();
        assertThat(medium.get(verdict)).isEqualTo("breached");
        assertThat(medium.get(header.indexOf("open_past_target"))).isEqualTo("1");
        // the overall report's reason names several objectives, commas and all, in one quoted field
        assertThat(rows.stream().filter(r -> r.get(scope).equals("all")).count())
                .isGreaterThanOrEqualTo(12);

        // ?format=csv wins over an Accept header that would take anything
        given().queryParam("from", FROM)
                .queryParam("to", TO)
                .queryParam("project", "rep-a")
                .queryParam("format", "csv")
                .get("/api/v1/sla/report")
                .then()
                .statusCode(200)
                .contentType(startsWith("text/csv"));

        // a hostile project id stays one field, and no cell starts a spreadsheet formula
        String all = report().queryParam("format", "csv")
                .get("/api/v1/sla/report")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        List<List<String>> allRows = parseCsv(all);
        assertThat(allRows).allSatisfy(row -> assertThat(row).hasSameSizeAs(header));
        assertThat(allRows.stream().map(r -> r.get(id))).contains("'" + HOSTILE);
    }

    @Test
    void htmlIsASelfContainedPrintablePageWithChartsAndTheirTextAlternatives() {
        String html = report().queryParam("project", "rep-a")
                .accept("text/html")
                .get("/api/v1/sla/report")
                .then()
                .statusCode(200)
                .contentType(startsWith("text/html"))
                .header("Content-Security-Policy", startsWith("default-src 'none'"))
                .extract()
                .asString();
        assertThat(html).startsWith("<!DOCTYPE html>").contains("@media print").contains("<svg");
        // nothing fetched from elsewhere, nothing run
        assertThat(html).doesNotContain("<script").doesNotContain("src=").doesNotContain("<link");
        assertThat(html).doesNotContainPattern("url\\(");
        // every chart is an image with a title and a description in words
        int charts = count(html, "<svg");
        assertThat(charts).isGreaterThanOrEqualTo(2);
        assertThat(count(html, "role=\"img\"")).isEqualTo(charts);
        assertThat(count(html, "<desc")).isEqualTo(charts);
        assertThat(count(html, "aria-labelledby=")).isEqualTo(charts);
        assertThat(html).contains("booking").contains("breached").contains("no data");
        // a project's report holds every workflow's success objective, but its chart is its error rate
        assertThat(html)
                .contains("<title id=\"chart-1-title\">Error rate per day, All projects</title>")
                .contains("Error rate per day, Project rep-a</title>")
                .contains("Success rate per day, Workflow booking</title>")
                .contains("2026-03-02: 10 % (misses the target)");

        // a hostile project id is text, never markup
        String all = report().queryParam("format", "html")
                .get("/api/v1/sla/report")
                .then()
                .statusCode(200)
                .contentType(startsWith("text/html"))
                .extract()
                .asString();
        assertThat(all).doesNotContain("<b>").contains("=1+2,&quot;&lt;b&gt;&quot;");
    }

    @Test
    void badParametersAre400ProblemsNamingTheParameter() {
        record Bad(String query, String field) {}
        List<Bad> cases = List.of(
                new Bad("to=" + TO, "from"),
                new Bad("from=" + FROM, "to"),
                new Bad("from=yesterday&to=" + TO, "from"),
                new Bad("from=" + FROM + "&to=2026-02-30T00:00:00Z", "to"),
                new Bad("from=" + TO + "&to=" + FROM, "from"),
                new Bad("from=" + FROM + "&to=" + FROM, "from"),
                new Bad("from=2025-01-01T00:00:00Z&to=2026-02-05T00:00:00Z", "to"),
                new Bad("from=" + FROM + "&to=" + TO + "&format=pdf", "format"),
                new Bad("from=" + FROM + "&to=" + TO + "&project=a%00b", "project"));
        for (Bad bad : cases) {
            for (String accept : List.of("application/json", "text/csv", "text/html")) {
                given().urlEncodingEnabled(false)
                        .accept(accept)
                        .get("/api/v1/sla/report?" + bad.query())
                        .then()
                        .statusCode(400)
                        .contentType("application/problem+json")
                        .body("type", is("https://faultline.io/problems/invalid-query"))
                        .body("errors.field", hasItem(bad.field()));
            }
        }
    }

    private static RequestSpecification report() {
        return given().queryParam("from", FROM).queryParam("to", TO);
    }

    private static io.faultline.schemas.ClassifiedError error(
            String project, int n, String group, Instant at, String transaction, String severity) {
        return ImpactFixtures.error(
                project, ImpactFixtures.eventId("rep", n), group, at, transaction, null, severity, "user_blocking");
    }

    private static int count(String text, String needle) {
        int count = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length())) {
            count++;
        }
        return count;
    }

    /** RFC 4180: CRLF between records, fields quoted with doubled quotes inside. */
    static List<List<String>> parseCsv(String text) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                row.add(field.toString());
                field.setLength(0);
            } else if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                row.add(field.toString());
                field.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
                i++;
            } else {
                assertThat(c)
                        .as("a bare line feed or carriage return outside quotes")
                        .isNotIn('\r', '\n');
                field.append(c);
            }
        }
        assertThat(field).as("the last record ends with CRLF").isEmpty();
        assertThat(row).isEmpty();
        return rows;
    }
}
