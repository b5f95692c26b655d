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

        // the resolver records its decision for the group (once per group per 10 minutes when no
        // runbook matches: the other tests' errors fall in the same group)
        List<ConsumerRecord<String, byte[]>> audit = kafka.readUntil(
                Topics.RESOLUTIONS.name(),
                rs -> rs.stream().anyMatch(r -> auditFor(r, c.getGroupId())),
                Duration.ofSeconds(30));
        assertThat(audit).anyMatch(r -> auditFor(r, c.getGroupId()));

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

    @Test
    void trafficAndTwentyBookingErrorsSentTwiceGiveTheWorkflowsErrorRateAndRevenueLoss() throws Exception {
        // a project of its own, so the other tests' booking errors do not count
        HttpResponse<String> created = HTTP.send(
                HttpRequest.newBuilder(URI.create(env.get("INGEST_URL") + "/api/v1/admin/projects"))
                        .header("Authorization", "Bearer " + env.get("ADMIN_TOKEN"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"impact acceptance\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode project = JSON.readTree(created.body());
        String projectId = project.get("id").asText();
        String key = project.get("keys").get(0).get("publicKey").asText();

        HttpResponse<String> traffic =
                post("/api/v1/projects/" + projectId + "/traffic", key, "{\"workflow\":\"booking\",\"requests\":1000}");
        assertThat(traffic.statusCode()).as(traffic.body()).isBetween(200, 299);
        for (int i = 0; i < 20; i++) {
            String eventId = UUID.randomUUID().toString().replace("-", "");
            String body =
                    """
                    {"event_id":"%s","level":"error","message":"booking %d failed: slot taken","tags":{"workflow":"booking"},
                     "exception":{"values":[{"type":"com.example.booking.SlotUnavailableException",
                       "value":"slot %d is no longer available"}]}}
                    """
                            .formatted(eventId, i, i);
            for (int copy = 0; copy < 2; copy++) {
                HttpResponse<String> sent = post("/api/v1/projects/" + projectId + "/events", key, body);
                assertThat(sent.statusCode()).as(sent.body()).isEqualTo(202);
            }
        }

        Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    JsonNode booking = bookingImpact(projectId);
                    return booking != null && booking.get("errors").asLong() >= 20;
                });
        JsonNode booking = bookingImpact(projectId);
        assertThat(booking.get("errors").asLong())
                .as("each event sent twice counts once")
                .isEqualTo(20);
        assertThat(booking.get("requests").asLong()).isEqualTo(1000);
        assertThat(booking.get("errorRate").asDouble()).isCloseTo(0.02, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(booking.get("revenueLoss").asDouble()).isPositive();
    }

    @Test
    void theDashboardRendersInHeadlessChromium() throws Exception {
        java.nio.file.Path chromium = java.nio.file.Path.of("/usr/bin/chromium");
        java.nio.file.Path chromedriver = java.nio.file.Path.of("/usr/bin/chromedriver");
        org.junit.jupiter.api.Assumptions.assumeTrue(
                Files.isExecutable(chromium) && Files.isExecutable(chromedriver),
                "chromium and chromedriver are not installed (apt-get install -y chromium chromium-driver)");
        java.nio.file.Path profile = Files.createTempDirectory("faultline-chromium-");
        org.openqa.selenium.chrome.ChromeOptions options = new org.openqa.selenium.chrome.ChromeOptions()
                .setBinary(chromium.toFile())
                .addArguments(
                        "--headless",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-dev-shm-usage",
                        "--no-first-run",
                        "--window-size=1400,1100",
                        "--user-data-dir=" + profile);
        org.openqa.selenium.WebDriver browser = new org.openqa.selenium.chrome.ChromeDriver(
                new org.openqa.selenium.chrome.ChromeDriverService.Builder()
                        .usingDriverExecutable(chromedriver.toFile())
                        .usingAnyFreePort()
                        .build(),
                options);
        try {
            var wait = new org.openqa.selenium.support.ui.WebDriverWait(browser, Duration.ofSeconds(60));
            browser.get(env.get("DASHBOARD_URL") + "/");
            wait.until(org.openqa.selenium.support.ui.ExpectedConditions.urlContains("/login.html"));
            browser.findElement(org.openqa.selenium.By.id("username")).sendKeys(env.get("ADMIN_USER"));
            browser.findElement(org.openqa.selenium.By.id("password")).sendKeys(env.get("ADMIN_PASSWORD"));
            browser.findElement(org.openqa.selenium.By.id("sign-in")).click();
            wait.until(org.openqa.selenium.support.ui.ExpectedConditions.textToBePresentInElementLocated(
                    org.openqa.selenium.By.id("who"), env.get("ADMIN_USER")));
            wait.until(org.openqa.selenium.support.ui.ExpectedConditions.textToBe(
                    org.openqa.selenium.By.id("live-status"), "live"));
            wait.until(org.openqa.selenium.support.ui.ExpectedConditions.textToBePresentInElementLocated(
                    org.openqa.selenium.By.id("top-groups"), "events in"));
            java.nio.file.Path shot = ((org.openqa.selenium.TakesScreenshot) browser)
                    .getScreenshotAs(org.openqa.selenium.OutputType.FILE)
                    .toPath();
            java.nio.file.Path kept = java.nio.file.Path.of("target", "screenshots", "local-stack-overview.png");
            Files.createDirectories(kept.getParent());
            Files.copy(shot, kept, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } finally {
            browser.quit();
        }
    }

    private static HttpResponse<String> post(String path, String key, String body) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(env.get("INGEST_URL") + path))
                        .header("Authorization", "Bearer " + key)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode bookingImpact(String projectId) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(
                                URI.create(env.get("DASHBOARD_URL") + "/api/v1/workflows/impact?project=" + projectId))
                        .header("Authorization", "Bearer " + env.get("ADMIN_TOKEN"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        for (JsonNode w : JSON.readTree(response.body()).path("workflows")) {
            if ("booking".equals(w.path("workflow").asText())) {
                return w;
            }
        }
        return null;
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

    private static boolean auditFor(ConsumerRecord<String, byte[]> r, String groupId) {
        ResolutionEvent e = Topics.RESOLUTIONS.valueSerde().deserializer().deserialize("t", r.value());
        return groupId.equals(e.getGroupId());
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
