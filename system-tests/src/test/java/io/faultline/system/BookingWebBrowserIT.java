package io.faultline.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.faultline.devstack.browser.HeadlessChromium;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * {@code examples/booking-web}, built with Vite as its README says (with {@code @sentry/vite-plugin}
 * uploading its source maps to the stack) and served as static files, in
 * headless Chromium against the whole stack as {@code ./faultline up -d} runs it: the official
 * {@code @sentry/react} SDK's error boundaries report a component that breaks, and the event
 * arrives whole (React's component stack, the boundary's tags, the retries and clicks before it as
 * breadcrumbs) and shows on the dashboard's issue page. Skipped where Chromium, Node.js or npm is
 * missing, or npm cannot reach its registry. Screenshots land in {@code target/screenshots}.
 */
class BookingWebBrowserIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String RELEASE = "booking-web@0.1.0-it";

    private static LocalStack stack;
    private static Map<String, String> env;
    private static HttpServer site;
    private static HeadlessChromium chromium;
    private static WebDriver browser;
    private static WebDriverWait wait;
    private static Path buildLog;
    private static boolean signedIn;

    @BeforeAll
    static void up() throws Exception {
        Assumptions.assumeTrue(HeadlessChromium.installed(), HeadlessChromium.NOT_INSTALLED);
        String repoDir = System.getenv("FAULTLINE_REPO");
        Path repo = Path.of(repoDir != null ? repoDir : "..").toAbsolutePath().normalize();
        // installed before the stack starts: a skip for lack of Node.js costs no stack
        Path work = BookingWebBuild.installed(repo);
        stack = new LocalStack(Files.createTempDirectory("faultline-booking-web-"))
                .services("ingest-service", "classifier-service", "impact-service", "dashboard-api");
        stack.up();
        env = stack.stackEnv();
        // built against the running stack: @sentry/vite-plugin gives each bundle a debug id and
        // uploads it with its source map to the dashboard, as docs/sourcemaps.md says
        String dsn = env.get("SENTRY_DSN");
        String project = dsn.substring(dsn.lastIndexOf('/') + 1);
        Path dist = BookingWebBuild.build(
                work,
                Map.of(
                        "FAULTLINE_SOURCEMAPS_URL",
                        env.get("DASHBOARD_URL"),
                        "FAULTLINE_SOURCEMAPS_TOKEN",
                        env.get("ADMIN_TOKEN"),
                        "FAULTLINE_SOURCEMAPS_PROJECT",
                        project,
                        "FAULTLINE_RELEASE",
                        RELEASE));
        buildLog = work.resolve("npm-build.log");
        site = serve(dist, dsn);
        chromium = HeadlessChromium.start("--window-size=1400,1400", "--lang=en-US");
        browser = chromium.driver();
        wait = new WebDriverWait(browser, WAIT);
    }

    @AfterAll
    static void down() {
        try {
            if (chromium != null) {
                chromium.close();
            }
            if (site != null) {
                site.stop(0);
            }
        } finally {
            if (stack != null) {
                stack.down();
            }
        }
    }

    @Test
    void aComponentThatBreaksIsReportedWithItsComponentStackTagsAndBreadcrumbsAndShowsOnTheIssuePage()
            throws Exception {
        // the availability call fails once (the hook retries it), and the backend drops the price
        browser.get(siteUrl() + "/?break=summary&flaky=1");
        WebElement room = wait.until(ExpectedConditions.elementToBeClickable(By.id("room-204")));
        room.click();
        WebElement fallback = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("summary-fallback")));
        assertThat(fallback.getText()).contains("The booking summary could not be shown", "Try again");
        // the component's boundary kept the failure to the summary: the rooms are still there
        assertThat(browser.findElement(By.id("room-311")).isDisplayed()).isTrue();
        assertThat(browser.findElements(By.id("page-fallback"))).isEmpty();
        String eventId = fallback.findElement(By.className("event-id")).getText();
        assertThat(eventId).as("the reference the fallback shows").matches("[0-9a-f]{32}");
        screenshot("booking-web-summary-fallback");

        JsonNode detail = stored(eventId);
        JsonNode event = detail.get("event");
        JsonNode exception = thrown(event);
        assertThat(exception.path("type").asText()).isEqualTo("TypeError");
        assertThat(exception.path("value").asText()).contains("Cannot read properties of undefined");
        // the SDK links the component stack as the cause, "React ErrorBoundary TypeError"
        assertThat(event.path("exceptions").findValuesAsText("type")).contains("React ErrorBoundary TypeError");
        assertThat(event.path("sdk").path("name").asText()).isEqualTo("sentry.javascript.react");
        assertThat(event.path("release").asText()).isEqualTo(RELEASE);
        assertThat(event.path("environment").asText()).isEqualTo("system-test");
        String componentStack =
                event.path("contexts").path("react").path("componentStack").asText();
        assertThat(componentStack).as("contexts.react.componentStack").contains("BookingSummary", "Boundary", "App");
        assertThat(componentStack.indexOf("BookingSummary"))
                .as("the component that threw, innermost first")
                .isLessThan(componentStack.indexOf("App"));
        JsonNode tags = event.path("tags");
        assertThat(tags.path("boundary").asText()).isEqualTo("summary");
        assertThat(tags.path("app").asText()).isEqualTo("booking-web");
        assertThat(tags.path("flow").asText()).isEqualTo("booking");
        List<String> crumbs = new ArrayList<>();
        event.path("breadcrumbs")
                .forEach(b -> crumbs.add(
                        b.path("category").asText() + " " + b.path("message").asText()));
        assertThat(crumbs)
                .anyMatch(c -> c.startsWith("booking.data ")
                        && c.contains("availability 2026-12-24: attempt 1 of 3 failed")
                        && c.contains("CalendarUnavailable")
                        && c.contains("retrying"))
                .anyMatch(c -> c.startsWith("ui.click ") && c.contains("room-204"));

        // the issue page, as an SRE opens it from the group list
        signIn();
        browser.get(env.get("DASHBOARD_URL") + "/#/group/"
                + URLEncoder.encode(detail.get("groupId").asText(), StandardCharsets.UTF_8));
        WebElement stackView =
                wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("event-component-stack")));
        assertThat(stackView.getText()).contains("BookingSummary", "Boundary");
        assertThat(browser.findElement(By.id("stack-trace")).getText())
                .contains("TypeError", "Caused by", "React ErrorBoundary TypeError");
        assertThat(browser.findElement(By.id("event-tags")).getText()).contains("boundary", "summary", "booking-web");
        assertThat(browser.findElement(By.id("event-breadcrumbs")).getText())
                .contains("attempt 1 of 3 failed", "ui.click");
        assertThat(browser.findElement(By.id("event-facts")).getText()).contains(RELEASE, "sentry.javascript.react");
        screenshot("booking-web-issue-page");
    }

    @Test
    void availabilityThatFailsEveryRetryFallsBackInItsBoundaryAndABrokenPageInThePagesBoundary() throws Exception {
        browser.get(siteUrl() + "/?flaky=9");
        WebElement availability =
                wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("availability-fallback")));
        assertThat(availability.getText()).contains("Availability could not be loaded", "calendar service timed out");
        assertThat(browser.findElement(By.id("summary")).getText()).contains("Pick a room");
        JsonNode calendar = stored(
                        availability.findElement(By.className("event-id")).getText())
                .get("event");
        assertThat(thrown(calendar).path("type").asText()).isEqualTo("CalendarUnavailable");
        assertThat(calendar.path("tags").path("boundary").asText()).isEqualTo("availability");
        assertThat(calendar.path("contexts")
                        .path("react")
                        .path("componentStack")
                        .asText())
                .contains("Availability");
        List<String> attempts = new ArrayList<>();
        calendar.path("breadcrumbs").forEach(b -> {
            if (b.path("category").asText().equals("booking.data")) {
                attempts.add(b.path("message").asText());
            }
        });
        assertThat(attempts)
                .as("one breadcrumb per attempt, one report in all")
                .hasSize(3)
                .last()
                .asString()
                .contains("attempt 3 of 3 failed")
                .doesNotContain("retrying");

        browser.get(siteUrl() + "/?break=page");
        WebElement page = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("page-fallback")));
        assertThat(page.getText()).contains("Booking is unavailable");
        JsonNode broken =
                stored(page.findElement(By.className("event-id")).getText()).get("event");
        assertThat(broken.path("tags").path("boundary").asText()).isEqualTo("page");
        assertThat(broken.path("contexts").path("react").path("componentStack").asText())
                .contains("App");
        screenshot("booking-web-page-fallback");
    }

    @Test
    void theBrokenComponentsFrameShowsItsTsxSourceFromTheMapThePluginUploadedBesideTheMinifiedOne() throws Exception {
        browser.get(siteUrl() + "/?break=summary");
        wait.until(ExpectedConditions.elementToBeClickable(By.id("room-311"))).click();
        WebElement fallback = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("summary-fallback")));
        JsonNode detail = stored(fallback.findElement(By.className("event-id")).getText());
        JsonNode event = detail.get("event");
        assertThat(event.path("debugImages").findValuesAsText("debugId"))
                .as("the SDK names the bundle's debug id, which the plugin injected")
                .isNotEmpty();
        JsonNode frames = thrown(event).path("frames");
        JsonNode crashing = frames.path(frames.size() - 1);
        String log = Files.exists(buildLog) ? Files.readString(buildLog) : "(no build log)";
        assertThat(crashing.path("filename").asText())
                .as("the crashing frame, resolved: %s\nnpm run build:\n%s", crashing, log)
                .endsWith("App.tsx");
        assertThat(crashing.path("function").asText()).isEqualTo("nightlyTotal");
        int line = crashing.path("lineno").asInt();
        assertThat(crashing.path("contextLine").asText()).contains("price.currency");
        // the browser SDK sends the file's URL as filename, with no abs_path
        String minifiedFile = crashing.path("minified").path("filename").asText();
        assertThat(minifiedFile).matches("http://127\\.0\\.0\\.1:\\d+/assets/index-[^/]+\\.js");

        signIn();
        browser.get(env.get("DASHBOARD_URL") + "/#/group/"
                + URLEncoder.encode(detail.get("groupId").asText(), StandardCharsets.UTF_8));
        WebElement frame = wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.xpath("//li[contains(@class,'frame')][.//span[contains(@class,'source-mapped')]]"
                        + "[contains(., 'nightlyTotal')]")));
        assertThat(frame.getText()).contains("nightlyTotal", "App.tsx:" + line + ":", "source map", "price.currency");
        WebElement minified = frame.findElement(By.cssSelector("details.minified-frame"));
        minified.findElement(By.tagName("summary")).click();
        assertThat(minified.getText()).contains("minified", minifiedFile + ":");
        screenshot("booking-web-source-mapped-frame");
    }

    /** Signs the admin in once: the session outlives a test method. */
    private static void signIn() {
        if (!signedIn) {
            StackDashboard.signIn(browser, wait, env);
            signedIn = true;
        }
    }

    /**
     * The exception the component threw: the chain's outermost (Sentry's order puts the root cause
     * first, and the React SDK links a "React ErrorBoundary" cause carrying the component stack).
     */
    private static JsonNode thrown(JsonNode event) {
        JsonNode chain = event.path("exceptions");
        return chain.path(chain.size() - 1);
    }

    private static String siteUrl() {
        return "http://127.0.0.1:" + site.getAddress().getPort();
    }

    /** The event once the impact-service stored it, as the dashboard's event API answers it. */
    private static JsonNode stored(String eventId) {
        return Awaitility.await("event " + eventId + " stored")
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(500))
                .until(() -> StackDashboard.get(env, "/api/v1/events/" + eventId), detail -> detail != null);
    }

    /**
     * dist/ as any static file server serves it, with the runtime configuration the page reads
     * first pointing the one build at this stack's DSN.
     */
    private static HttpServer serve(Path dist, String dsn) throws IOException {
        byte[] config = ("window.BOOKING_WEB_CONFIG = "
                        + JSON.writeValueAsString(Map.of("dsn", dsn, "release", RELEASE, "environment", "system-test"))
                        + ";\n")
                .getBytes(StandardCharsets.UTF_8);
        Path root = dist.toAbsolutePath().normalize();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                String path = exchange.getRequestURI().getPath();
                if (path.equals("/config.js")) {
                    respond(exchange, 200, "text/javascript", config);
                    return;
                }
                Path file = root.resolve(path.equals("/") ? "index.html" : path.substring(1))
                        .normalize();
                if (!file.startsWith(root) || !Files.isRegularFile(file)) {
                    respond(exchange, 404, "text/plain", "not found".getBytes(StandardCharsets.UTF_8));
                    return;
                }
                respond(exchange, 200, contentType(file), Files.readAllBytes(file));
            }
        });
        server.start();
        return server;
    }

    private static void respond(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static String contentType(Path file) {
        String name = file.getFileName().toString();
        if (name.endsWith(".html")) {
            return "text/html";
        } else if (name.endsWith(".js")) {
            return "text/javascript";
        } else if (name.endsWith(".css")) {
            return "text/css";
        }
        return name.endsWith(".map") || name.endsWith(".json") ? "application/json" : "application/octet-stream";
    }

    private static void screenshot(String name) throws IOException {
        StackDashboard.screenshot(browser, name);
    }
}
