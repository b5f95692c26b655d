package io.faultline.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.faultline.devstack.KafkaTestClient;
import io.faultline.schemas.Classification;
import io.faultline.schemas.ClassifiedError;
import io.faultline.schemas.ErrorEvent;
import io.faultline.schemas.GroupingInfo;
import io.faultline.schemas.ResolutionEvent;
import io.faultline.schemas.topics.Topics;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code kill -9} of the resolver process in the middle of three remediations, each stopped at a
 * different step: one action done and its verification pending, one action in flight (the
 * application has received the call and not answered), one action failed with its retry pending.
 * After {@code ./faultline up -d} brings the resolver back, every attempt must finish, no action
 * the application already received may be called again, and the pending retry must happen once.
 * The application is a local HTTP server that counts the calls it gets.
 */
class ResolverCrashIT {

    private static final String RESOLVER = "resolver-service";
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String VERIFYING = "g-verifying-" + RUN;
    private static final String IN_FLIGHT = "g-inflight-" + RUN;
    private static final String RETRYING = "g-retrying-" + RUN;

    private static final Map<String, AtomicInteger> CALLS = new ConcurrentHashMap<>();
    private static final CountDownLatch HOLD_RELEASED = new CountDownLatch(1);
    private static HttpServer application;
    private static LocalStack stack;
    private static KafkaTestClient kafka;

    @BeforeAll
    static void up() throws Exception {
        application = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        application.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        application.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                in.readAllBytes();
            }
            String path = exchange.getRequestURI().getPath();
            int call = CALLS.computeIfAbsent(path, k -> new AtomicInteger()).incrementAndGet();
            int status = 200;
            if (path.startsWith("/hold/")) {
                // the application got the call and is still working on it when the resolver dies
                awaitQuietly(HOLD_RELEASED);
            } else if (path.startsWith("/flaky/") && call == 1) {
                status = 503;
            }
            try {
                exchange.sendResponseHeaders(status, -1);
            } catch (IOException callerGone) {
                // the resolver that called was killed meanwhile
            }
            exchange.close();
        });
        application.start();
        String app = "http://127.0.0.1:" + application.getAddress().getPort();

        Path home = Files.createTempDirectory("faultline-crash-");
        Path runbooks = home.resolve("runbooks.yaml");
        Files.writeString(
                runbooks,
                """
                runbooks:
                  - id: crash-verifying
                    match: {groupIds: [%1$s]}
                    actions:
                      - {name: reset-breaker, strategy: webhook, parameters: {url: "%4$s/ok/verifying"}}
                    # long enough that the kill lands inside it
                    verification: {quietFor: 20s}
                    escalation: {notify: [slack]}
                  - id: crash-in-flight
                    match: {groupIds: [%2$s]}
                    actions:
                      - name: switch-to-cache
                        strategy: webhook
                        parameters: {url: "%4$s/hold/in-flight"}
                        timeout: 120s
                    verification: {quietFor: 3s}
                    escalation: {notify: [slack]}
                  - id: crash-retrying
                    match: {groupIds: [%3$s]}
                    actions:
                      - name: restart-adapter
                        strategy: webhook
                        parameters: {url: "%4$s/flaky/retrying"}
                        maxAttempts: 3
                        # long enough that the kill lands before the second try
                        backoff: {initial: 25s, max: 25s, multiplier: 1, jitter: 0}
                    verification: {quietFor: 2s}
                    escalation: {notify: [slack]}
                """
                        .formatted(VERIFYING, IN_FLIGHT, RETRYING, app));
        stack = new LocalStack(home)
                .services(RESOLVER)
                .withEnv("FAULTLINE_RUNBOOKS_FILE", runbooks.toString())
                .withEnv("FAULTLINE_SLACK_WEBHOOK_URL", app + "/slack");
        stack.up();
        kafka = new KafkaTestClient(stack.stackEnv().get("KAFKA_BOOTSTRAP_SERVERS"));
    }

    @AfterAll
    static void down() {
        HOLD_RELEASED.countDown();
        if (stack != null) {
            stack.down();
        }
        if (application != null) {
            application.stop(0);
        }
    }

    @Test
    void aKilledResolverResumesEveryAttemptAndRepeatsNoCompletedAction() throws Exception {
        for (String group : List.of(VERIFYING, IN_FLIGHT, RETRYING)) {
            kafka.produce(Topics.ERRORS_CLASSIFIED.name(), group, serialize(classified(group)));
        }
        // each attempt reaches the step the kill is meant to interrupt
        awaitPhase(VERIFYING, "action_succeeded");
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> calls("/hold/in-flight") == 1);
        awaitPhase(RETRYING, "action_failed");
        assertThat(calls("/ok/verifying")).isEqualTo(1);
        assertThat(calls("/flaky/retrying")).isEqualTo(1);
        assertThat(phases(VERIFYING)).doesNotContain("verification_passed");

        stack.kill9(RESOLVER);
        HOLD_RELEASED.countDown();
        stack.up(); // the supervisor restarts the resolver; up waits until it is ready

        awaitPhase(VERIFYING, "verification_passed");
        awaitPhase(IN_FLIGHT, "verification_passed");
        awaitPhase(RETRYING, "verification_passed");

        assertThat(calls("/ok/verifying"))
                .as("a completed action is not repeated")
                .isEqualTo(1);
        assertThat(calls("/hold/in-flight"))
                .as("the action in flight at the kill is not run again; its verification judged it")
                .isEqualTo(1);
        assertThat(calls("/flaky/retrying"))
                .as("the pending retry ran once after the restart")
                .isEqualTo(2);
        assertThat(calls("/slack")).as("nothing needed a human").isZero();
        for (String group : List.of(VERIFYING, IN_FLIGHT, RETRYING)) {
            assertThat(phases(group)).as(group).contains("resumed").doesNotContain("escalated");
            assertThat(phases(group).stream().filter("matched"::equals).count())
                    .as("one attempt per group, even if the trigger was redelivered after the kill")
                    .isEqualTo(1);
        }
        assertThat(phases(RETRYING)).containsSubsequence("action_failed", "resumed", "action_succeeded");
    }

    private static int calls(String path) {
        AtomicInteger n = CALLS.get(path);
        return n == null ? 0 : n.get();
    }

    private static void awaitPhase(String group, String phase) {
        Awaitility.await()
                .atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> phases(group).contains(phase));
    }

    private static List<String> phases(String group) {
        List<ConsumerRecord<String, byte[]>> records =
                kafka.readUntil(Topics.RESOLUTIONS.name(), rs -> false, Duration.ofSeconds(2));
        return records.stream()
                .map(r -> Topics.RESOLUTIONS.valueSerde().deserializer().deserialize("t", r.value()))
                .filter(e -> group.equals(e.getGroupId()))
                .map(ResolutionEvent::getPhase)
                .toList();
    }

    private static byte[] serialize(ClassifiedError error) {
        return Topics.ERRORS_CLASSIFIED.valueSerde().serializer().serialize("t", error);
    }

    private static ClassifiedError classified(String groupId) {
        Instant now = Instant.now();
        String message = "payment gateway circuit open for " + groupId;
        return ClassifiedError.newBuilder()
                .setEvent(ErrorEvent.newBuilder()
                        .setEventId(UUID.randomUUID().toString().replace("-", ""))
                        .setProjectId("1")
                        .setTimestamp(now)
                        .setReceivedAt(now)
                        .setMessage(message)
                        .setEnvironment("production")
                        .build())
                .setGroupId(groupId)
                .setGrouping(GroupingInfo.newBuilder()
                        .setStrategy("message")
                        .setComponents(List.of("message=" + message))
                        .setTitle(message)
                        .build())
                .setClassification(Classification.newBuilder()
                        .setSeverity("critical")
                        .setCategory("payment")
                        .setBusinessImpact("revenue_blocking")
                        .build())
                .setClassifiedAt(now)
                .build();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
