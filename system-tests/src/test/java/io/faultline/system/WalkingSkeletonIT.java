package io.faultline.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.faultline.devstack.FreePorts;
import io.faultline.devstack.KafkaTestClient;
import io.faultline.schemas.ClassifiedError;
import io.faultline.schemas.ResolutionEvent;
import io.faultline.schemas.topics.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole stack as {@code ./faultline up -d} runs it: real broker, real database, five service
 * processes. An error posted to ingest must be classified, audited by the resolver, counted by
 * impact and shown by the dashboard.
 */
class WalkingSkeletonIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static LocalStack stack;
    private static Map<String, String> env;

    @BeforeAll
    static void up() throws Exception {
        stack = new LocalStack(Files.createTempDirectory("faultline-system-"));
        stack.up();
        env = stack.stackEnv();
    }

    @AfterAll
    static void down() {
        if (stack != null) {
            stack.down();
            for (int port : stack.ports()) {
                assertThat(FreePorts.inUse(port))
                        .as("port %d still held after down", port)
                        .isFalse();
            }
        }
    }

    @Test
    void anErrorIsClassifiedAuditedCountedAndShown() throws Exception {
        long before = totalEvents();
        String eventId = postError("booking failed for client " + UUID.randomUUID());

        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> totalEvents() == before + 1);

        KafkaTestClient kafka = new KafkaTestClient(env.get("KAFKA_BOOTSTRAP_SERVERS"));
        List<ConsumerRecord<String, byte[]>> classified = kafka.readUntil(
                Topics.ERRORS_CLASSIFIED.name(),
                rs -> rs.stream().anyMatch(r -> eventIn(r, eventId)),
                Duration.ofSeconds(30));
        ClassifiedError c = classified.stream()
                .filter(r -> eventIn(r, eventId))
                .map(r -> Topics.ERRORS_CLASSIFIED.valueSerde().deserializer().deserialize("t", r.value()))
                .findFirst()
                .orElseThrow();
        assertThat(c.getGrouping().getComponents()).contains("type=java.sql.SQLTransientConnectionException");

        List<ConsumerRecord<String, byte[]>> audit = kafka.readUntil(
                Topics.RESOLUTIONS.name(),
                rs -> rs.stream().anyMatch(r -> auditFor(r, eventId)),
                Duration.ofSeconds(30));
        assertThat(audit).anyMatch(r -> auditFor(r, eventId));

        JsonNode overview = overview(env.get("ADMIN_TOKEN"));
        assertThat(overview.get("groups").findValuesAsText("groupId")).contains(c.getGroupId());
    }

    @Test
    void theDashboardRefusesStrangers() throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(env.get("DASHBOARD_URL") + "/api/v1/overview"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(401);
    }

    @Test
    void countsSurviveARestartOfTheWholeStack() throws Exception {
        long initial = totalEvents();
        postError("payment gateway timeout " + UUID.randomUUID());
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> totalEvents() == initial + 1);
        long before = initial + 1;

        stack.down();
        stack.up();
        env = stack.stackEnv();

        assertThat(totalEvents()).isEqualTo(before);
    }

    private static boolean eventIn(ConsumerRecord<String, byte[]> r, String eventId) {
        return Topics.ERRORS_CLASSIFIED
                .valueSerde()
                .deserializer()
                .deserialize("t", r.value())
                .getEvent()
                .getEventId()
                .equals(eventId);
    }

    private static boolean auditFor(ConsumerRecord<String, byte[]> r, String eventId) {
        ResolutionEvent e = Topics.RESOLUTIONS.valueSerde().deserializer().deserialize("t", r.value());
        return eventId.equals(e.getEventId());
    }

    private static String postError(String message) throws Exception {
        String body =
                """
                {"level":"error","message":"%s","tags":{"workflow":"booking"},
                 "exception":{"values":[{"type":"java.sql.SQLTransientConnectionException",
                   "value":"HikariPool-1 - Connection is not available, request timed out after 30000ms.",
                   "stacktrace":{"frames":[{"module":"com.example.booking.BookingService","function":"reserve","lineno":88,"in_app":true}]}}]}}
                """
                        .formatted(message);
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(
                                env.get("INGEST_URL") + "/api/v1/projects/" + env.get("PROJECT_ID") + "/events"))
                        .header("Authorization", "Bearer " + env.get("PROJECT_KEY"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return JSON.readTree(response.body()).get("id").asText();
    }

    private static long totalEvents() throws Exception {
        return overview(env.get("ADMIN_TOKEN")).get("totalEvents").asLong();
    }

    private static JsonNode overview(String token) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(env.get("DASHBOARD_URL") + "/api/v1/overview?limit=500"))
                        .header("Authorization", "Bearer " + token)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }
}
