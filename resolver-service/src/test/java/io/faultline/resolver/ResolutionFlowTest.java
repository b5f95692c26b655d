package io.faultline.resolver;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItems;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.faultline.devstack.KafkaTestClient;
import io.faultline.devstack.quarkus.KafkaTestResource;
import io.faultline.schemas.Classification;
import io.faultline.schemas.ClassifiedError;
import io.faultline.schemas.ErrorEvent;
import io.faultline.schemas.GroupingInfo;
import io.faultline.schemas.ResolutionEvent;
import io.faultline.schemas.Signal;
import io.faultline.schemas.topics.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * The resolver end to end inside one service: classified errors on the embedded broker, runbooks
 * from a file, a local HTTP receiver as the application and the notification services, the audit
 * trail read back from {@code faultline.resolutions.v1}.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(ResolverTestEnvironment.class)
class ResolutionFlowTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String bootstrap = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
    private final KafkaTestClient kafka = new KafkaTestClient(bootstrap);

    @Test
    void aMatchedRunbookCallsTheWebhookOnceAndVerificationPassesWhenTheGroupGoesQuiet() throws Exception {
        ClassifiedError error = classified("g-fixable", "Circuit breaker open: \"payments\"", Map.of());
        byte[] bytes = serialize(error);
        // the same record twice: an at-least-once redelivery must not run the action again
        kafka.produce(Topics.ERRORS_CLASSIFIED.name(), "g-fixable", bytes);
        kafka.produce(Topics.ERRORS_CLASSIFIED.name(), "g-fixable", bytes);

        List<ResolutionEvent> trail = auditUntil("g-fixable", t -> has(t, "verification_passed"));

        assertThat(phases(trail))
                .containsExactly("matched", "action_started", "action_succeeded", "verification_passed");
        assertThat(trail)
                .extracting(ResolutionEvent::getAttemptId)
                .containsOnly(trail.get(0).getAttemptId());
        assertThat(trail.get(0).getRunbookId()).isEqualTo("reset-breaker");
        assertThat(trail.get(3).getMessage()).isEqualTo("0 new occurrence(s) in the 1s after the action");
        List<ResolverTestEnvironment.Received> calls = ResolverTestEnvironment.received("/app/payments/breaker/reset");
        assertThat(calls).hasSize(1);
        JsonNode body = JSON.readTree(calls.get(0).body());
        assertThat(body.get("group").asText()).isEqualTo("g-fixable");
        assertThat(body.get("reason").asText())
                .as("JSON-escaped into the body")
                .isEqualTo("Circuit breaker open: \"payments\"");
        assertThat(calls.get(0).headers().get("X-faultline-attempt-id"))
                .containsExactly(trail.get(0).getAttemptId());
    }

    @Test
    void aGroupThatKeepsFailingAfterTheActionFailsVerificationAndTheNextActionIsTried() {
        kafka.produce(Topics.ERRORS_CLASSIFIED.name(), "g-noisy", serialize(classified("g-noisy", "boom", Map.of())));
        auditUntil("g-noisy", t -> has(t, "action_succeeded"));
        // a new occurrence inside the verification window: the breaker reset did not help
        kafka.produce(Topics.ERRORS_CLASSIFIED.name(), "g-noisy", serialize(classified("g-noisy", "boom", Map.of())));

        List<ResolutionEvent> trail = auditUntil("g-noisy", t -> has(t, "verification_passed"));

        assertThat(phases(trail))
                .containsExactly(
                        "matched",
                        "action_started",
                        "action_succeeded",
                        "verification_failed",
                        "action_started",
                        "action_succeeded",
                        "verification_passed");
        assertThat(trail.get(3).getAction()).isEqualTo("reset-breaker");
        assertThat(trail.get(3).getMessage()).isEqualTo("1 new occurrence(s) in the 6s after the action");
        assertThat(trail.get(6).getAction()).isEqualTo("restart");
        assertThat(ResolverTestEnvironment.received("/app/noisy/restart")).hasSize(1);
    }

    @Test
    void anActionOnAWorkflowsSloBurnIsVerifiedByTheWorkflowsErrorsAfterIt() {
        Instant now = Instant.now();
        Signal burn = Signal.newBuilder()
                .setSignalId(UUID.randomUUID().toString())
                .setType("slo_burn")
                .setProjectId("1")
                .setWorkflow("checkout-burn")
                .setSeverity("critical")
                .setDetectedAt(now)
                .setWindowStart(now.minusSeconds(300))
                .setWindowEnd(now)
                .setMessage("checkout error budget burning at 14x")
                .build();
        kafka.produce(
                Topics.SIGNALS.name(),
                "1",
                Topics.SIGNALS.valueSerde().serializer().serialize("t", burn));
        auditUntil("workflow:checkout-burn", t -> has(t, "action_succeeded"));

        // an error of one of the workflow's groups after the action: the burn goes on
        ClassifiedError error = classified("g-checkout-step", "payment step failed", Map.of());
        error.getClassification().setWorkflow("checkout-burn");
        kafka.produce(Topics.ERRORS_CLASSIFIED.name(), "g-checkout-step", serialize(error));

        List<ResolutionEvent> trail = auditUntil("workflow:checkout-burn", t -> has(t, "escalated"));
        assertThat(phases(trail))
                .containsExactly("matched", "action_started", "action_succeeded", "verification_failed", "escalated");
        assertThat(trail.get(3).getMessage()).isEqualTo("1 new occurrence(s) in the 6s after the action");
    }

    @Test
    void anUnfixableErrorIsRetriedWithBackoffThenEscalatedToSlackAndPagerDuty() throws Exception {
        kafka.produce(
                Topics.ERRORS_CLASSIFIED.name(),
                "g-unfixable",
                serialize(classified("g-unfixable", "db down", Map.of())));

        List<ResolutionEvent> trail = auditUntil("g-unfixable", t -> has(t, "escalated"));

        assertThat(phases(trail))
                .containsExactly(
                        "matched", "action_started", "action_failed", "action_started", "action_failed", "escalated");
        assertThat(trail.get(2).getDetails()).containsKey("retryIn").containsEntry("status", "500");
        assertThat(trail.get(4).getAttempt()).isEqualTo(2);
        assertThat(trail.get(4).getDetails()).containsEntry("triesExhausted", "true");
        ResolutionEvent escalated = trail.get(5);
        assertThat(escalated.getMessage())
                .startsWith("Cache fallback did not help — action 'switch-to-cache' failed 2 time(s)");
        // the channel, not its URL: a Slack webhook's URL is its credential
        assertThat(escalated.getDetails().get("notify.slack")).isEqualTo("delivered: Slack answered 200");
        assertThat(escalated.getDetails().get("notify.pagerduty")).isEqualTo("delivered: PagerDuty answered 200");
        assertThat(ResolverTestEnvironment.received("/fail/cache-fallback")).hasSize(2);

        String attemptId = escalated.getAttemptId();
        JsonNode page = JSON.readTree(ResolverTestEnvironment.received("/pagerduty").stream()
                .filter(r -> r.body().contains(attemptId))
                .findFirst()
                .orElseThrow()
                .body());
        assertThat(page.get("routing_key").asText()).isEqualTo("test-routing-key");
        assertThat(page.get("dedup_key").asText()).isEqualTo(attemptId);
        assertThat(page.get("payload").get("summary").asText()).startsWith("Cache fallback did not help");
        assertThat(ResolverTestEnvironment.received("/slack"))
                .anyMatch(r -> r.body().contains(attemptId));

        // the group keeps failing just after the escalation, in the next 10-minute trigger window:
        // no new attempt may start (and page again) within a window of the last one's end
        ClassifiedError again = classified("g-unfixable", "db down", Map.of());
        again.getEvent()
                .setReceivedAt(Instant.now().plus(Duration.ofMinutes(10)).minusSeconds(1));
        kafka.produce(Topics.ERRORS_CLASSIFIED.name(), "g-unfixable", serialize(again));
        List<ResolutionEvent> later = forGroup(
                kafka.readUntil(
                        Topics.RESOLUTIONS.name(),
                        records -> phases(forGroup(records, "g-unfixable")).stream()
                                        .filter("matched"::equals)
                                        .count()
                                > 1,
                        Duration.ofSeconds(5)),
                "g-unfixable");
        assertThat(phases(later)).containsOnlyOnce("matched");
        String metrics =
                given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics.lines())
                .anyMatch(line -> line.startsWith("faultline_resolver_entries_total{")
                        && line.contains("phase=\"escalated\"")
                        && line.contains("runbook=\"cache-fallback\""));
    }

    @Test
    void anActionThatTimesOutIsNotTriedAgainSinceItMayHaveTakenEffectItsVerificationJudges() {
        kafka.produce(Topics.ERRORS_CLASSIFIED.name(), "g-slow", serialize(classified("g-slow", "stuck", Map.of())));

        List<ResolutionEvent> trail = auditUntil("g-slow", t -> has(t, "verification_passed"));

        assertThat(phases(trail)).containsExactly("matched", "action_started", "action_failed", "verification_passed");
        assertThat(trail.get(2).getDetails()).containsEntry("outcome", "unknown");
        assertThat(trail.get(2).getMessage()).contains("no answer within 500ms").contains("not tried again");
        // three tries were allowed; one call was made
        assertThat(ResolverTestEnvironment.received("/slow/restart")).hasSize(1);
    }

    @Test
    void aDryRunRecordsTheActionWithoutCallingTheTarget() {
        kafka.produce(Topics.ERRORS_CLASSIFIED.name(), "g-dry", serialize(classified("g-dry", "oom", Map.of())));

        List<ResolutionEvent> trail = auditUntil("g-dry", t -> has(t, "action_succeeded"));

        assertThat(phases(trail)).containsExactly("matched", "action_started", "action_succeeded");
        assertThat(trail).allMatch(ResolutionEvent::getDryRun);
        assertThat(trail.get(2).getMessage()).contains("dry run").contains("nothing was called");
        // the trail shows what would have been called, but not the runbook's credentials
        assertThat(trail.get(2).getDetails())
                .containsEntry("header.Authorization", "[Filtered]")
                .hasEntrySatisfying("url", url -> assertThat(url)
                        .endsWith("/app/dry/restart?[Filtered]")
                        .doesNotContain("s3cr3t"));
        // action_succeeded is recorded in place of the call, so the call would have come before it
        assertThat(ResolverTestEnvironment.received("/app/dry/")).isEmpty();
    }

    @Test
    void anApprovalGatedActionWaitsForAnOperatorWithTheAdminToken() {
        kafka.produce(Topics.ERRORS_CLASSIFIED.name(), "g-gated", serialize(classified("g-gated", "slow", Map.of())));
        ResolutionEvent pending = last(auditUntil("g-gated", t -> has(t, "pending_approval")));
        String attemptId = pending.getAttemptId();
        assertThat(ResolverTestEnvironment.received("/app/g-gated/")).isEmpty();

        given().header("Authorization", "Bearer " + ResolverTestEnvironment.ADMIN_TOKEN)
                .get("/api/v1/approvals")
                .then()
                .statusCode(200)
                .body("$", hasItems(attemptId));
        given().contentType(ContentType.JSON)
                .body("{\"decision\":\"approve\"}")
                .post("/api/v1/approvals/" + attemptId)
                .then()
                .statusCode(401);
        given().contentType(ContentType.JSON)
                .header("Authorization", "Bearer wrong")
                .body("{\"decision\":\"approve\"}")
                .post("/api/v1/approvals/" + attemptId)
                .then()
                .statusCode(401);
        given().contentType(ContentType.JSON)
                .header("Authorization", "Bearer " + ResolverTestEnvironment.ADMIN_TOKEN)
                .body("{\"decision\":\"approve\",\"operator\":\"alice\"}")
                .post("/api/v1/approvals/" + attemptId)
                .then()
                .statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("approved"));

        List<ResolutionEvent> trail = auditUntil("g-gated", t -> has(t, "action_succeeded"));
        assertThat(phases(trail)).containsExactly("matched", "pending_approval", "action_started", "action_succeeded");
        assertThat(trail.get(2).getDetails()).containsEntry("approvedBy", "alice");
        assertThat(ResolverTestEnvironment.received("/app/g-gated/scale")).hasSize(1);
        given().contentType(ContentType.JSON)
                .header("Authorization", "Bearer " + ResolverTestEnvironment.ADMIN_TOKEN)
                .body("{\"decision\":\"approve\"}")
                .post("/api/v1/approvals/" + attemptId)
                .then()
                .statusCode(404);
    }

    @Test
    void aRejectedActionIsSkippedAndNeverCalled() {
        kafka.produce(
                Topics.ERRORS_CLASSIFIED.name(), "g-rejected", serialize(classified("g-rejected", "slow", Map.of())));
        String attemptId =
                last(auditUntil("g-rejected", t -> has(t, "pending_approval"))).getAttemptId();

        given().contentType(ContentType.JSON)
                .header("Authorization", "Bearer " + ResolverTestEnvironment.ADMIN_TOKEN)
                .body("{\"decision\":\"reject\",\"operator\":\"bob\"}")
                .post("/api/v1/approvals/" + attemptId)
                .then()
                .statusCode(200);

        List<ResolutionEvent> trail = auditUntil("g-rejected", t -> has(t, "skipped"));
        assertThat(phases(trail)).containsExactly("matched", "pending_approval", "skipped");
        assertThat(last(trail).getMessage()).isEqualTo("rejected by bob");
        assertThat(ResolverTestEnvironment.received("/app/g-rejected/")).isEmpty();
    }

    @Test
    void redrivePublishesTheEventsRetryPayloadToTheRunbooksTopic() throws Exception {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(p)) {
            admin.createTopics(List.of(new NewTopic("test.retries.v1", 1, (short) 1)))
                    .all()
                    .get();
        }
        kafka.produce(
                Topics.ERRORS_CLASSIFIED.name(),
                "g-redrive",
                serialize(classified("g-redrive", "deadlock", Map.of("retry_payload", "{\"orderId\":42}"))));

        List<ResolutionEvent> trail = auditUntil("g-redrive", t -> has(t, "action_succeeded"));
        assertThat(phases(trail)).containsExactly("matched", "action_started", "action_succeeded");
        List<ConsumerRecord<String, byte[]>> retries = kafka.readUntil("test.retries.v1", r -> !r.isEmpty(), DEADLINE);
        assertThat(retries).hasSize(1);
        assertThat(new String(retries.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("{\"orderId\":42}");
        assertThat(new String(
                        retries.get(0)
                                .headers()
                                .lastHeader("faultline.attempt-id")
                                .value(),
                        StandardCharsets.UTF_8))
                .isEqualTo(trail.get(0).getAttemptId());
    }

    @Test
    void reloadNeedsTheTokenAndABadFileKeepsTheRunbooksInForce() throws Exception {
        given().post("/api/v1/runbooks/reload").then().statusCode(401);
        String good = Files.readString(ResolverTestEnvironment.runbookFile());
        try {
            Files.writeString(
                    ResolverTestEnvironment.runbookFile(), good.replace("strategy: redrive", "strategy: reboot"));
            given().header("Authorization", "Bearer " + ResolverTestEnvironment.ADMIN_TOKEN)
                    .post("/api/v1/runbooks/reload")
                    .then()
                    .statusCode(422)
                    .body(
                            "error",
                            containsString("runbook 'redrive-order': actions[0].strategy: unknown strategy 'reboot'"));
        } finally {
            Files.writeString(ResolverTestEnvironment.runbookFile(), good);
        }
        given().header("Authorization", "Bearer " + ResolverTestEnvironment.ADMIN_TOKEN)
                .post("/api/v1/runbooks/reload")
                .then()
                .statusCode(200)
                .body("runbooks.id", hasItems("reset-breaker", "cache-fallback", "redrive-order"));
    }

    private List<ResolutionEvent> auditUntil(String groupId, Predicate<List<ResolutionEvent>> done) {
        List<ConsumerRecord<String, byte[]>> read =
                kafka.readUntil(Topics.RESOLUTIONS.name(), records -> done.test(forGroup(records, groupId)), DEADLINE);
        List<ResolutionEvent> trail = forGroup(read, groupId);
        assertThat(done.test(trail))
                .as("audit trail of %s: %s", groupId, phases(trail))
                .isTrue();
        return trail;
    }

    private static List<ResolutionEvent> forGroup(List<ConsumerRecord<String, byte[]>> records, String groupId) {
        return records.stream()
                .filter(r -> groupId.equals(r.key()))
                .map(r -> Topics.RESOLUTIONS.valueSerde().deserializer().deserialize("t", r.value()))
                .toList();
    }

    private static boolean has(List<ResolutionEvent> trail, String phase) {
        return trail.stream().anyMatch(e -> e.getPhase().equals(phase));
    }

    private static List<String> phases(List<ResolutionEvent> trail) {
        return trail.stream().map(ResolutionEvent::getPhase).toList();
    }

    private static ResolutionEvent last(List<ResolutionEvent> trail) {
        return trail.get(trail.size() - 1);
    }

    static byte[] serialize(ClassifiedError error) {
        return Topics.ERRORS_CLASSIFIED.valueSerde().serializer().serialize("t", error);
    }

    static ClassifiedError classified(String groupId, String message, Map<String, String> extra) {
        // the resolver verifies by the application's timestamp against the action's wall-clock
        // time: an event must carry the time it happened (a fixed date passes into the past)
        Instant now = Instant.now();
        return ClassifiedError.newBuilder()
                .setEvent(ErrorEvent.newBuilder()
                        .setEventId(UUID.randomUUID().toString().replace("-", ""))
                        .setProjectId("1")
                        .setTimestamp(now)
                        .setReceivedAt(now)
                        .setMessage(message)
                        .setEnvironment("production")
                        .setExtra(extra)
                        .build())
                .setGroupId(groupId)
                .setGrouping(GroupingInfo.newBuilder()
                        .setStrategy("message")
                        .setComponents(List.of("message=" + message))
                        .setTitle(message)
                        .build())
                .setClassification(Classification.newBuilder()
                        .setSeverity("high")
                        .setCategory("dependency")
                        .setBusinessImpact("user_blocking")
                        .build())
                .setClassifiedAt(now)
                .build();
    }
}
