package io.faultline.dashboard.stream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

import io.faultline.dashboard.rest.AuditTrailReader;
import io.faultline.dashboard.rest.FeedRecords;
import io.faultline.dashboard.rest.StubImpactService;
import io.faultline.dashboard.rest.TestUsers;
import io.faultline.devstack.quarkus.KafkaTestResource;
import io.faultline.schemas.ResolutionEvent;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(StubImpactService.class)
@QuarkusTestResource(TestUsers.class)
class LiveStreamTest {

    @TestHTTPResource("/api/v1/stream")
    URI stream;

    private final Queue<String> lines = new ConcurrentLinkedQueue<>();
    private Stream<String> body;

    /** Reads the SSE stream on a background thread into {@link #lines}. */
    private int open(String header, String value) throws Exception {
        HttpResponse<Stream<String>> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(stream).header(header, value).build(),
                        HttpResponse.BodyHandlers.ofLines());
        body = response.body();
        Thread reader = new Thread(() -> body.forEach(lines::add), "sse-reader");
        reader.setDaemon(true);
        reader.start();
        return response.statusCode();
    }

    @AfterEach
    void close() {
        if (body != null) {
            body.close();
        }
    }

    private boolean seen(String fragment) {
        return lines.stream().anyMatch(line -> line.contains(fragment));
    }

    @Test
    void strangersGetNoStream() {
        given().get("/api/v1/stream").then().statusCode(401);
    }

    @Test
    void aClassifiedErrorReachesAConnectedClient() throws Exception {
        assertThat(open("Authorization", "Bearer test-admin-token")).isEqualTo(200);
        FeedRecords kafka = new FeedRecords();
        String title = "pool exhausted " + System.nanoTime();

        // the consumer starts at the latest offset once it has its partitions: keep producing until
        // one record lands after that
        Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    kafka.send(FeedRecords.classified("group-live", title));
                    return seen(title);
                });

        String data = lines.stream().filter(l -> l.contains(title)).findFirst().orElseThrow();
        assertThat(data)
                .startsWith("data: {")
                .contains("\"kind\":\"error\"", "\"groupId\":\"group-live\"", "\"severity\":\"critical\"")
                .contains("at com.example.PaymentGateway.charge:42");
        assertThat(lines).contains("event: faultline.error");
    }

    @Test
    void anOperatorsActionIsAuditedOnTheResolutionTopicAndShownLive() throws Exception {
        String session = TestUsers.sessionOf("otto");
        assertThat(open("Cookie", "faultline_session=" + session)).isEqualTo(200);
        String csrf = TestUsers.csrfOf(session);

        Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    given().cookie("faultline_session", session)
                            .header("X-Faultline-CSRF", csrf)
                            .contentType("application/json")
                            .body("{\"action\":\"resolve\",\"projectId\":\"1\",\"note\":\"pool resized\"}")
                            .post("/api/v1/groups/group-act/actions")
                            .then()
                            .statusCode(202)
                            .body("action", is("resolve"))
                            .body("actor", is("otto"));
                    return seen("otto marked the group resolved: pool resized");
                });
        assertThat(List.copyOf(lines)).anyMatch(l -> l.contains("\"action\":\"manual_resolve\""));
    }

    @Test
    void anIgnoreCarriesItsUntilConditionOnTheAuditTrail() {
        String group = "group-ignored-" + System.nanoTime();
        given().header("Authorization", "Bearer test-admin-token")
                .contentType("application/json")
                .body("{\"action\":\"ignore\",\"projectId\":\"1\",\"until\":\"24h\",\"untilOccurrences\":10}")
                .post("/api/v1/groups/" + group + "/actions")
                .then()
                .statusCode(202)
                .body("action", is("ignore"));
        ResolutionEvent entry = AuditTrailReader.firstEntryOf(group);
        assertThat(entry.getAction()).isEqualTo("manual_ignore");
        assertThat(entry.getDetails()).containsEntry("ignoreUntilOccurrences", "10");
        Instant until = Instant.parse(entry.getDetails().get("ignoreUntil"));
        assertThat(until)
                .isBetween(
                        Instant.now().plus(Duration.ofHours(23)), Instant.now().plus(Duration.ofHours(25)));
    }

    @Test
    void aResolveInTheNextReleaseCarriesTheReleaseNamedOrElseTheGroupsLatest() {
        String group = "group-in-release-" + System.nanoTime();
        given().header("Authorization", "Bearer test-admin-token")
                .contentType("application/json")
                .body("{\"action\":\"resolve_in_release\",\"projectId\":\"1\",\"release\":\"shop@2.0.0\"}")
                .post("/api/v1/groups/" + group + "/actions")
                .then()
                .statusCode(202)
                .body("action", is("resolve_in_release"));
        ResolutionEvent named = AuditTrailReader.firstEntryOf(group);
        assertThat(named.getAction()).isEqualTo("manual_resolve_in_release");
        assertThat(named.getDetails()).containsEntry("release", "shop@2.0.0");

        // none named: the latest release the impact-service saw the group in
        given().header("Authorization", "Bearer test-admin-token")
                .contentType("application/json")
                .body("{\"action\":\"resolve_in_release\",\"projectId\":\"1\"}")
                .post("/api/v1/groups/group-stack/actions")
                .then()
                .statusCode(202);
        assertThat(AuditTrailReader.firstEntryOf("group-stack").getDetails()).containsEntry("release", "shop@1.4.2");

        // a group seen in no release: the operator has to name one
        given().header("Authorization", "Bearer test-admin-token")
                .contentType("application/json")
                .body("{\"action\":\"resolve_in_release\",\"projectId\":\"1\"}")
                .post("/api/v1/groups/group-without-release/actions")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", is("release"));
    }

    @Test
    void aRelabelCarriesItsLabelsOnTheAuditTrail() {
        String group = "group-relabelled-" + System.nanoTime();
        given().header("Authorization", "Bearer test-admin-token")
                .contentType("application/json")
                .body("{\"action\":\"relabel\",\"projectId\":\"1\",\"severity\":\"critical\","
                        + "\"category\":\"payment\",\"businessImpact\":\"revenue_blocking\"}")
                .post("/api/v1/groups/" + group + "/actions")
                .then()
                .statusCode(202)
                .body("action", is("relabel"));
        ResolutionEvent entry = AuditTrailReader.firstEntryOf(group);
        assertThat(entry.getAction()).isEqualTo("manual_relabel");
        assertThat(entry.getDetails())
                .containsEntry("severity", "critical")
                .containsEntry("category", "payment")
                .containsEntry("businessImpact", "revenue_blocking")
                .doesNotContainKey("workflow");
    }

    @Test
    void badActionParametersAreRefusedNamingTheField() {
        for (String[] bad : new String[][] {
            {"{\"action\":\"ignore\",\"projectId\":\"1\",\"until\":\"next tuesday\"}", "until"},
            {"{\"action\":\"ignore\",\"projectId\":\"1\",\"until\":\"2001-01-01T00:00:00Z\"}", "until"},
            {"{\"action\":\"ignore\",\"projectId\":\"1\",\"untilOccurrences\":0}", "untilOccurrences"},
            {"{\"action\":\"resolve\",\"projectId\":\"1\",\"until\":\"1h\"}", "until"},
            {"{\"action\":\"ignore\"}", "projectId"},
            {"{\"action\":\"relabel\",\"projectId\":\"1\",\"category\":\"billing\"}", "category"},
            {"{\"action\":\"relabel\",\"projectId\":\"1\",\"severity\":\"urgent\"}", "severity"},
            {"{\"action\":\"relabel\",\"projectId\":\"1\",\"workflow\":\"Drop Table\"}", "workflow"},
            {"{\"action\":\"resolve\",\"projectId\":\"1\",\"severity\":\"high\"}", "severity"}
        }) {
            given().header("Authorization", "Bearer test-admin-token")
                    .contentType("application/json")
                    .body(bad[0])
                    .post("/api/v1/groups/g/actions")
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("errors[0].field", is(bad[1]));
        }
    }

    @Test
    void unknownActionsAreRefused() {
        given().header("Authorization", "Bearer test-admin-token")
                .contentType("application/json")
                .body("{\"action\":\"delete\",\"projectId\":\"1\"}")
                .post("/api/v1/groups/g/actions")
                .then()
                .statusCode(400);
    }
}
