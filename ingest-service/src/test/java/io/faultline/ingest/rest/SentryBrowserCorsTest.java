package io.faultline.ingest.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.faultline.devstack.quarkus.KafkaTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A real headless Chromium, on a page of another origin, posts envelopes the way {@code
 * @sentry/browser}'s fetch transport does, and the way an SDK with extra headers does (which
 * makes the browser send a preflight). The browser enforces CORS: without Faultline's headers the
 * fetch fails or the rate-limit headers read as null. Skipped (not failed) where chromium or
 * chromedriver is not installed; CI installs both.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
class SentryBrowserCorsTest {

    private static final Path CHROMIUM = Path.of(System.getProperty("faultline.chromium", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER =
            Path.of(System.getProperty("faultline.chromedriver", "/usr/bin/chromedriver"));

    /** The SDK's transport: the answer's status and the headers it backs off by, or the failure. */
    private static final String SEND =
            """
            const [url, body, headers, done] = arguments;
            fetch(url, {method: 'POST', body, headers, referrerPolicy: 'strict-origin', keepalive: true})
              .then(r => r.text().then(text => done({
                status: r.status,
                body: text,
                rateLimits: r.headers.get('X-Sentry-Rate-Limits'),
                retryAfter: r.headers.get('Retry-After'),
                error: r.headers.get('X-Sentry-Error')})))
              .catch(e => done({failed: String(e)}));
            """;

    @TestHTTPResource("/")
    URL ingest;

    private HttpServer page;
    private WebDriver browser;
    private Path profile;

    @BeforeEach
    void openAPageOfAnotherOrigin() throws IOException {
        Assumptions.assumeTrue(
                Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "chromium and chromedriver are not installed (apt-get install -y chromium chromium-driver)");
        page = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        page.createContext("/", exchange -> {
            byte[] html = "<!doctype html><title>shop</title><p>an application with a browser SDK"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, html.length);
            exchange.getResponseBody().write(html);
            exchange.close();
        });
        page.start();
        profile = Files.createTempDirectory("faultline-chromium-");
        ChromeOptions options = new ChromeOptions()
                .setBinary(CHROMIUM.toFile())
                .addArguments(
                        "--headless",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-dev-shm-usage",
                        "--disable-background-networking",
                        "--disable-component-update",
                        "--disable-sync",
                        "--no-first-run",
                        "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        // the ingest answers on localhost, the page on 127.0.0.1 and another port: two origins
        browser.get("http://127.0.0.1:" + page.getAddress().getPort() + "/");
    }

    @AfterEach
    void close() throws IOException {
        if (browser != null) {
            browser.quit();
        }
        if (page != null) {
            page.stop(0);
        }
        if (profile != null) {
            try (var paths = Files.walk(profile)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void aBrowserSdkReadsTheAnswersAndBacksOffOnA429() {
        // project 80 is limited to 1 request a minute in the test profile
        String key = given().header("Authorization", AdminProjectResourceTest.ADMIN)
                .contentType("application/json")
                .body("{\"id\":\"80\",\"name\":\"browser app\"}")
                .post("/api/v1/admin/projects")
                .then()
                .statusCode(201)
                .extract()
                .path("keys[0].publicKey");
        String url = "http://localhost:" + ingest.getPort() + "/api/80/envelope/?sentry_key=" + key
                + "&sentry_version=7&sentry_client=sentry.javascript.browser%2F10.32.1";
        String eventId = SentryResourceTest.id();

        // what the fetch transport sends by default: a text/plain body, no custom header, no preflight
        Map<String, Object> accepted = send(url, SentryResourceTest.envelope(eventId, ""), Map.of());
        assertThat(accepted).containsEntry("status", 200L).doesNotContainKey("failed");
        assertThat((String) accepted.get("body")).contains(eventId);

        Map<String, Object> limited = send(url, SentryResourceTest.envelope(SentryResourceTest.id(), ""), Map.of());
        assertThat(limited).containsEntry("status", 429L);
        assertThat((String) limited.get("rateLimits")).matches("\\d+::project");
        assertThat((String) limited.get("retryAfter")).matches("\\d+");
        assertThat((String) limited.get("error")).isNotBlank();
    }

    @Test
    void anSdkWithItsOwnHeadersPassesThePreflight() {
        // a JSON content type and X-Sentry-Auth are not "simple": the browser asks first
        String eventId = SentryResourceTest.id();
        Map<String, Object> answer = send(
                "http://localhost:" + ingest.getPort() + "/api/1/envelope/",
                SentryResourceTest.envelope(eventId, ""),
                Map.of("Content-Type", "application/x-sentry-envelope", "X-Sentry-Auth", SentryResourceTest.AUTH));
        assertThat(answer).containsEntry("status", 200L).doesNotContainKey("failed");
        assertThat((String) answer.get("body")).contains(eventId);

        // the native API stays closed to pages: the browser refuses to hand over its answer
        Map<String, Object> nativeApi = send(
                "http://localhost:" + ingest.getPort() + "/api/v1/projects/1/events",
                "{\"message\":\"from a page\"}",
                Map.of("Authorization", "Bearer test-project-key", "Content-Type", "application/json"));
        assertThat(nativeApi).containsKey("failed");
        assertThat(RawTopic.event(eventId).getSource()).isEqualTo("sentry-envelope");
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> send(String url, String body, Map<String, String> headers) {
        return (Map<String, Object>) ((JavascriptExecutor) browser).executeAsyncScript(SEND, url, body, headers);
    }
}
