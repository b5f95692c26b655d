package io.faultline.impact.alerts;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.faultline.devstack.KafkaTestClient;
import io.faultline.devstack.quarkus.KafkaTestResource;
import io.faultline.devstack.quarkus.PostgresTestResource;
import io.faultline.impact.ImpactFixtures;
import io.faultline.schemas.ResolutionEvent;
import io.faultline.schemas.Signal;
import io.faultline.schemas.topics.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Alert rules end to end: real events through the broker, real HTTP and SMTP to receivers the test runs. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(SmtpTestServer.class)
class AlertRulesTest {

    private static final Instant T0 = Instant.parse("2026-06-01T10:00:00Z");
    private static final String SECRET = "a-webhook-secret-of-some-length";
    private static final Duration WAIT = Duration.ofSeconds(90);

    private final ImpactFixtures fixtures = new ImpactFixtures();
    private final ObjectMapper json = new ObjectMapper();
    private final List<Receiver> receivers = new CopyOnWriteArrayList<>();

    /** An HTTP receiver: every request's path, signature header and body. */
    static final class Receiver {
        record Request(String path, String signature, String body) {}

        final List<Request> requests = new CopyOnWriteArrayList<>();
        final HttpServer server;

        Receiver(int port) throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
            server.createContext("/", exchange -> {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                requests.add(new Request(
                        exchange.getRequestURI().getPath(),
                        exchange.getRequestHeaders().getFirst("X-Faultline-Signature"),
                        body));
                byte[] ok = "{\"status\":\"success\"}".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(202, ok.length);
                exchange.getResponseBody().write(ok);
                exchange.close();
            });
            server.start();
        }

        String url(String path) {
            return "http://127.0.0.1:" + server.getAddress().getPort() + path;
        }
    }

    private Receiver receiver(int port) throws IOException {
        Receiver r = new Receiver(port);
        receivers.add(r);
        return r;
    }

    @AfterEach
    void stopReceivers() {
        receivers.forEach(r -> r.server.stop(0));
    }

    private long create(String rule) {
        return given().contentType(ContentType.JSON)
                .body(rule)
                .post("/api/v1/alert-rules")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getLong("id");
    }

    private void error(String project, String id, String group, String severity) {
        fixtures.send(ImpactFixtures.error(project, id, group, T0, null, "booking", severity, "user_blocking"));
    }

    private JsonNode history(long rule) throws IOException {
        return json.readTree(given().get("/api/v1/alert-rules/" + rule + "/history")
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString())
                .get("items");
    }

    @Test
    void aNewIssueReachesSlackPagerDutyASignedWebhookAndEMailAndItsHistorySaysDelivered() throws Exception {
        Receiver http = receiver(0);
        String project = "alerts-new";
        String filters = "\"filters\": {\"project\": \"" + project + "\", \"severity\": [\"critical\", \"high\"]}";
        long slack = create("{\"name\": \"slack\", \"when\": {\"type\": \"new_issue\"}, " + filters
                + ", \"channel\": {\"type\": \"slack\", \"url\": \"" + http.url("/slack") + "\"}}");
        long pd = create("{\"name\": \"pd\", \"when\": {\"type\": \"new_issue\"}, " + filters
                + ", \"channel\": {\"type\": \"pagerduty\", \"routingKey\": \"R0UT1NGKEY0000000000000000000000\","
                + " \"url\": \"" + http.url("/pd") + "\"}}");
        long hook = create("{\"name\": \"hook\", \"when\": {\"type\": \"new_issue\"}, " + filters
                + ", \"channel\": {\"type\": \"webhook\", \"url\": \"" + http.url("/hook") + "\", \"secret\": \""
                + SECRET + "\"}}");
        long mail = create("{\"name\": \"mail\", \"when\": {\"type\": \"new_issue\"}, " + filters
                + ", \"channel\": {\"type\": \"email\", \"to\": [\"oncall@example.test\"]}}");

        // the secret and the routing key never come back
        given().get("/api/v1/alert-rules/" + hook)
                .then()
                .statusCode(200)
                .body("channel.secret", nullValue())
                .body("channel.secretSet", is(true));
        given().get("/api/v1/alert-rules/" + pd).then().body("channel.routingKey", is("***"));

        error(project, "alerts-new-1", "alerts-new-group", "critical");
        error(project, "alerts-new-2", "alerts-new-low", "low"); // filtered out by severity
        error("alerts-elsewhere", "alerts-new-3", "alerts-other-group", "critical"); // another project

        Awaitility.await().atMost(WAIT).until(() -> http.requests.size() >= 3 && !SmtpTestServer.RECEIVED.isEmpty());

        Receiver.Request s = only(http, "/slack");
        assertThat(json.readTree(s.body()).get("text").asText()).contains("New issue: failure in alerts-new-group");

        JsonNode event = json.readTree(only(http, "/pd").body());
        assertThat(event.get("routing_key").asText()).isEqualTo("R0UT1NGKEY0000000000000000000000");
        assertThat(event.get("event_action").asText()).isEqualTo("trigger");
        assertThat(event.get("dedup_key").asText()).isEqualTo("faultline-" + pd + "-alerts-new-group");
        assertThat(event.at("/payload/severity").asText()).isEqualTo("critical");

        Receiver.Request w = only(http, "/hook");
        assertThat(w.signature())
                .isEqualTo(AlertDispatcher.sign(SECRET, w.body().getBytes(StandardCharsets.UTF_8)));
        assertThat(w.signature())
                .isNotEqualTo(
                        AlertDispatcher.sign("another-secret-entirely", w.body().getBytes(StandardCharsets.UTF_8)));
        assertThat(json.readTree(w.body()).get("group").asText()).isEqualTo("alerts-new-group");

        SmtpTestServer.Mail m = SmtpTestServer.RECEIVED.get(0);
        assertThat(m.to()).containsExactly("oncall@example.test");
        assertThat(m.data()).contains("Subject: [Faultline] New issue: failure in alerts-new-group");

        for (long rule : List.of(slack, pd, hook, mail)) {
            Awaitility.await().atMost(WAIT).untilAsserted(() -> {
                JsonNode items = history(rule);
                assertThat(items).hasSize(1);
                assertThat(items.get(0).get("status").asText()).isEqualTo("delivered");
                assertThat(items.get(0).get("group").asText()).isEqualTo("alerts-new-group");
            });
        }

        // a verified fix resolves the group: PagerDuty gets a resolve with the trigger's dedup key
        fixtures.send(ImpactFixtures.resolution(
                "alerts-new-fix",
                project,
                "alerts-new-group",
                "alerts-new-1",
                T0.plusSeconds(60),
                "verification_passed"));
        Awaitility.await()
                .atMost(WAIT)
                .until(() -> http.requests.stream()
                                .filter(q -> q.path().equals("/pd"))
                                .count()
                        == 2);
        JsonNode resolve = json.readTree(http.requests.stream()
                .filter(q -> q.path().equals("/pd"))
                .toList()
                .get(1)
                .body());
        assertThat(resolve.get("event_action").asText()).isEqualTo("resolve");
        assertThat(resolve.get("dedup_key").asText()).isEqualTo("faultline-" + pd + "-alerts-new-group");
        assertThat(http.requests).as("only PagerDuty has something to resolve").hasSize(4);
    }

    private static Receiver.Request only(Receiver r, String path) {
        List<Receiver.Request> at =
                r.requests.stream().filter(q -> q.path().equals(path)).toList();
        assertThat(at).as("requests to " + path).hasSize(1);
        return at.get(0);
    }

    @Test
    void moreThanNEventsInTFiresOnceWithinTheActionInterval() throws Exception {
        Receiver http = receiver(0);
        String project = "alerts-count";
        long rule = create("{\"name\": \"burst\", \"when\": {\"type\": \"event_count\", \"threshold\": 3,"
                + " \"windowSeconds\": 600, \"per\": \"group\"}, \"filters\": {\"project\": \"" + project + "\"},"
                + " \"channel\": {\"type\": \"slack\", \"url\": \"" + http.url("/burst") + "\"},"
                + " \"actionIntervalSeconds\": 3600}");
        for (int i = 0; i < 3; i++) {
            error(project, "alerts-count-a" + i, "alerts-burst", "medium");
        }
        awaitStored("alerts-burst", 3);
        assertThat(history(rule)).as("three events are not more than three").isEmpty();

        error(project, "alerts-count-a3", "alerts-burst", "medium");
        Awaitility.await().atMost(WAIT).until(() -> http.requests.size() == 1);
        assertThat(json.readTree(http.requests.get(0).body()).get("text").asText())
                .contains("More than 3 events in 600 s");

        for (int i = 4; i < 10; i++) {
            error(project, "alerts-count-a" + i, "alerts-burst", "medium");
        }
        // the outbox row would be written in the same transaction as the events: once they are
        // stored, every alert they fire exists
        awaitStored("alerts-burst", 10);
        JsonNode items = history(rule);
        assertThat(items).as("no repeat within the action interval").hasSize(1);
    }

    private static void awaitStored(String group, int events) {
        Awaitility.await().atMost(WAIT).untilAsserted(() -> given().get("/api/v1/groups/" + group)
                .then()
                .statusCode(200)
                .body("group.count", is(events)));
    }

    @Test
    void aReceiverDownIsRetriedAndTheAlertDeliveredOnceItIsUpWithBothTriesInTheHistory() throws Exception {
        int port;
        try (var probe = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort(); // nothing listens there once the probe is closed
        }
        String project = "alerts-down";
        long rule = create("{\"name\": \"down\", \"when\": {\"type\": \"new_issue\"},"
                + " \"filters\": {\"project\": \"" + project + "\"}, \"channel\": {\"type\": \"webhook\","
                + " \"url\": \"http://127.0.0.1:" + port + "/hook\", \"secret\": \"" + SECRET + "\"}}");
        error(project, "alerts-down-1", "alerts-down-group", "high");

        Awaitility.await().atMost(WAIT).untilAsserted(() -> {
            JsonNode items = history(rule);
            assertThat(items).hasSize(1);
            assertThat(items.get(0).get("status").asText()).isEqualTo("pending");
            // untilAsserted waits out assertion errors only: no get() on a list that may be empty yet
            assertThat(items.get(0).get("tries").findValuesAsText("outcome")).startsWith("failed");
        });

        Receiver up = receiver(port);
        Awaitility.await().atMost(WAIT).until(() -> up.requests.size() == 1);
        Awaitility.await().atMost(WAIT).untilAsserted(() -> {
            JsonNode item = history(rule).get(0);
            assertThat(item.get("status").asText()).isEqualTo("delivered");
            List<String> outcomes = item.get("tries").findValuesAsText("outcome");
            assertThat(outcomes).startsWith("failed").endsWith("delivered");
        });
        assertThat(up.requests.get(0).signature())
                .isEqualTo(
                        AlertDispatcher.sign(SECRET, up.requests.get(0).body().getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aRegressionSignalFiresItsRule() throws Exception {
        Receiver http = receiver(0);
        String project = "alerts-regress";
        long rule = create("{\"name\": \"regressions\", \"when\": {\"type\": \"regression\"},"
                + " \"filters\": {\"project\": \"" + project + "\"},"
                + " \"channel\": {\"type\": \"slack\", \"url\": \"" + http.url("/regress") + "\"}}");
        Signal signal = Signal.newBuilder()
                .setSignalId("alerts-regress-1")
                .setType("regression")
                .setProjectId(project)
                .setGroupId("alerts-regress-group")
                .setSeverity("high")
                .setDetectedAt(T0)
                .setWindowStart(T0.minusSeconds(60))
                .setWindowEnd(T0)
                .setMessage("alerts-regress-group is back after its fix")
                .build();
        new KafkaTestClient(ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class))
                .produce(
                        Topics.SIGNALS.name(),
                        project,
                        Topics.SIGNALS.valueSerde().serializer().serialize("t", signal));
        Awaitility.await().atMost(WAIT).until(() -> http.requests.size() == 1);
        assertThat(json.readTree(http.requests.get(0).body()).get("text").asText())
                .contains("Regression: alerts-regress-group is back after its fix");
        Awaitility.await().atMost(WAIT).untilAsserted(() -> assertThat(
                        history(rule).get(0).get("status").asText())
                .isEqualTo("delivered"));
    }

    @Test
    void aGroupOpenPastItsTargetFiresAnSlaBreachOncePerBreachAndItsResolveResolvesThePagerDutyIncident()
            throws Exception {
        Receiver http = receiver(0);
        String project = "alerts-sla";
        // interval 0: only the once-per-breach rule keeps a group's breach from firing at every check
        long rule = create("{\"name\": \"sla\", \"when\": {\"type\": \"sla_breach\"}, \"filters\":"
                + " {\"project\": \"" + project + "\", \"severity\": \"critical\", \"environment\": \"production\"},"
                + " \"channel\": {\"type\": \"pagerduty\", \"routingKey\": \"R0UT1NGKEY0000000000000000000000\","
                + " \"url\": \"" + http.url("/sla") + "\"}, \"actionIntervalSeconds\": 0}");
        given().get("/api/v1/alert-rules/" + rule).then().body("when.type", is("sla_breach"));
        // T0 is long past: a critical group open since then is far past its 10 s target
        production(project, "alerts-sla-1", "alerts-sla-crit", "critical", T0);
        // past its own (30 min) target too, but the rule wants critical groups only
        production(project, "alerts-sla-2", "alerts-sla-medium", "medium", T0);
        // critical, but not in production
        error(project, "alerts-sla-3", "alerts-sla-staging", "critical");

        Awaitility.await().atMost(WAIT).until(() -> http.requests.size() == 1);
        JsonNode first = json.readTree(http.requests.get(0).body());
        assertThat(first.get("event_action").asText()).isEqualTo("trigger");
        assertThat(first.at("/payload/summary").asText())
                .contains("SLA breach: failure in alerts-sla-crit")
                .contains("critical time-to-resolve target");

        // a later breach of another group: the checks in between found the first one's alerted
        production(project, "alerts-sla-4", "alerts-sla-crit-2", "critical", T0);
        Awaitility.await().atMost(WAIT).until(() -> http.requests.size() == 2);
        assertThat(json.readTree(http.requests.get(1).body())
                        .at("/payload/summary")
                        .asText())
                .contains("alerts-sla-crit-2");
        assertThat(history(rule)).as("one alert per breach").hasSize(2);

        // resolving the group resolves its PagerDuty incident
        fixtures.send(ResolutionEvent.newBuilder(ImpactFixtures.resolution(
                        "alerts-sla-r1", project, "alerts-sla-crit", null, T0.plusSeconds(60), "action_succeeded"))
                .setStrategy("manual")
                .setAction("manual_resolve")
                .build());
        Awaitility.await().atMost(WAIT).until(() -> http.requests.size() == 3);
        JsonNode resolve = json.readTree(http.requests.get(2).body());
        assertThat(resolve.get("event_action").asText()).isEqualTo("resolve");
        assertThat(resolve.get("dedup_key").asText())
                .isEqualTo(first.get("dedup_key").asText());

        // a regression starts a new clock: a new breach, a new alert
        production(project, "alerts-sla-5", "alerts-sla-crit", "critical", T0.plusSeconds(3600));
        Awaitility.await().atMost(WAIT).until(() -> http.requests.size() == 4);
        JsonNode again = json.readTree(http.requests.get(3).body());
        assertThat(again.get("event_action").asText()).isEqualTo("trigger");
        assertThat(again.at("/payload/summary").asText()).contains("alerts-sla-crit");
        assertThat(http.requests)
                .noneMatch(
                        r -> r.body().contains("alerts-sla-medium") || r.body().contains("staging"));
    }

    private void production(String project, String id, String group, String severity, Instant at) {
        var c = ImpactFixtures.error(project, id, group, at, null, "booking", severity, "user_blocking");
        c.getEvent().setEnvironment("production");
        fixtures.send(c);
    }

    @Test
    void anUpdateWithoutTheSecretKeepsItAndADeleteRemovesTheRule() throws Exception {
        Receiver http = receiver(0);
        String project = "alerts-update";
        long rule = create("{\"name\": \"before\", \"when\": {\"type\": \"new_issue\"},"
                + " \"filters\": {\"project\": \"nobody\"}, \"channel\": {\"type\": \"webhook\", \"url\": \""
                + http.url("/hook") + "\", \"secret\": \"" + SECRET + "\"}}");
        // what the API showed, sent back changed: no secret in it
        given().contentType(ContentType.JSON)
                .body("{\"name\": \"after\", \"when\": {\"type\": \"new_issue\"},"
                        + " \"filters\": {\"project\": \"" + project + "\"}, \"channel\": {\"type\": \"webhook\","
                        + " \"url\": \"" + http.url("/hook") + "\", \"secretSet\": true}}")
                .put("/api/v1/alert-rules/" + rule)
                .then()
                .statusCode(200)
                .body("name", is("after"))
                .body("channel.secretSet", is(true));
        error(project, "alerts-update-1", "alerts-update-group", "high");
        Awaitility.await().atMost(WAIT).until(() -> http.requests.size() == 1);
        Receiver.Request w = http.requests.get(0);
        assertThat(w.signature())
                .isEqualTo(AlertDispatcher.sign(SECRET, w.body().getBytes(StandardCharsets.UTF_8)));

        given().delete("/api/v1/alert-rules/" + rule).then().statusCode(204);
        given().get("/api/v1/alert-rules/" + rule).then().statusCode(404);
        given().delete("/api/v1/alert-rules/" + rule).then().statusCode(404);
    }

    @Test
    void invalidRulesAre400ProblemsNamingEachField() {
        given().contentType(ContentType.JSON)
                .body("{\"when\": {\"type\": \"sometimes\"}, \"filters\": {\"colour\": \"red\", \"tag\": \"novalue\"},"
                        + " \"channel\": {\"type\": \"webhook\", \"url\": \"ftp://x\", \"secret\": \"short\"},"
                        + " \"actionIntervalSeconds\": -1}")
                .post("/api/v1/alert-rules")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body(
                        "errors.field",
                        hasItems(
                                "name",
                                "when.type",
                                "filters.colour",
                                "filters.tag",
                                "channel.url",
                                "channel.secret",
                                "actionIntervalSeconds"))
                .body("errors[0].reason", notNullValue());
        given().contentType(ContentType.JSON)
                .body("{\"name\": \"n\", \"when\": {\"type\": \"event_count\", \"windowSeconds\": 1},"
                        + " \"channel\": {\"type\": \"email\", \"to\": \"not an address\"}}")
                .post("/api/v1/alert-rules")
                .then()
                .statusCode(400)
                .body("errors.field", hasItems("when.threshold", "when.windowSeconds", "channel.to"));
        given().contentType(ContentType.JSON)
                .body("{not json")
                .post("/api/v1/alert-rules")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", is("body"));
        given().get("/api/v1/alert-rules/abc").then().statusCode(400).body("errors[0].field", is("id"));
        given().get("/api/v1/alert-rules/999999").then().statusCode(404);
        given().get("/api/v1/alert-rules/999999/history").then().statusCode(404);
    }
}
