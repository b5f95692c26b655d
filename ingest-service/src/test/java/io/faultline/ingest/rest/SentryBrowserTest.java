package io.faultline.ingest.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.faultline.devstack.browser.HeadlessChromium;
import io.faultline.devstack.quarkus.KafkaTestResource;
import io.faultline.schemas.ErrorEvent;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;

/**
 * A real headless Chromium on a page of another origin, as a web application reports its errors.
 * The official browser SDK ({@code @sentry/browser} from WebJars, its ES modules served to the page
 * with an import map) captures a real exception chain and a message, and backs off on a 429. Plain
 * fetches show the CORS contract itself: posting the way the SDK's transport does, and the way an
 * SDK with extra headers does (which makes the browser send a preflight). The browser enforces
 * CORS: without Faultline's headers every one of these fetches fails. Skipped (not failed) where
 * chromium or chromedriver is not installed; CI installs both.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
class SentryBrowserTest {

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

    /** The SDK's version, as the WebJar on the test class path has it (its modules share it). */
    private static final String SDK_VERSION = webJarVersion();

    private static final String WEBJARS = "/webjars/%s/" + SDK_VERSION;

    /** The application's page: the SDK's modules by their package names, as a bundler would resolve them. */
    private static final String SDK_PAGE =
            """
            <!doctype html><title>shop</title>
            <script type="importmap">{"imports": {
              "@sentry/browser": "%s/build/npm/esm/prod/index.js",
              "@sentry/core": "%s/build/esm/index.js",
              "@sentry-internal/browser-utils": "%s/build/esm/index.js",
              "@sentry-internal/feedback": "%s/build/npm/esm/index.js",
              "@sentry-internal/replay": "%s/build/npm/esm/index.js",
              "@sentry-internal/replay-canvas": "%s/build/npm/esm/index.js"}}</script>
            <script type="module">import * as Sentry from '@sentry/browser'; window.Sentry = Sentry;</script>
            <script>
            function parseCard(number) {
              throw new TypeError('card ' + number + ' rejected, password=hunter2');
            }
            function pay() {
              try { parseCard('4111 1111 1111 1111'); }
              catch (e) { throw new Error('payment failed', {cause: e}); }
            }
            </script>
            """
                    .formatted(
                            WEBJARS.formatted("sentry__browser"),
                            WEBJARS.formatted("sentry__core"),
                            WEBJARS.formatted("sentry-internal__browser-utils"),
                            WEBJARS.formatted("sentry-internal__feedback"),
                            WEBJARS.formatted("sentry-internal__replay"),
                            WEBJARS.formatted("sentry-internal__replay-canvas"));

    /** Starts the SDK as an application would, without session tracking (its own envelope). */
    private static final String INIT =
            """
            const [dsn, done] = arguments;
            const ready = () => window.Sentry ? run() : setTimeout(ready, 50);
            const run = () => {
              Sentry.init({dsn, release: 'shop@2.0.0', environment: 'browser-test', sendClientReports: false,
                integrations: defaults => defaults.filter(i => i.name !== 'BrowserSession')});
              done(Sentry.SDK_VERSION);
            };
            ready();
            """;

    @TestHTTPResource("/")
    URL ingest;

    @Inject
    ArrivingRequests arriving;

    private HttpServer page;
    private HeadlessChromium chromium;
    private WebDriver browser;

    @BeforeEach
    void openAPageOfAnotherOrigin() throws IOException {
        Assumptions.assumeTrue(HeadlessChromium.installed(), HeadlessChromium.NOT_INSTALLED);
        page = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        page.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            byte[] content;
            String type;
            if (path.startsWith("/webjars/")) {
                try (InputStream in = getClass().getResourceAsStream("/META-INF/resources" + path)) {
                    if (in == null) {
                        exchange.sendResponseHeaders(404, -1);
                        exchange.close();
                        return;
                    }
                    content = in.readAllBytes();
                }
                type = "text/javascript"; // module scripts are refused under any other type
            } else {
                content = (path.equals("/sdk.html") ? SDK_PAGE : "<!doctype html><title>shop</title>")
                        .getBytes(StandardCharsets.UTF_8);
                type = "text/html; charset=utf-8";
            }
            exchange.getResponseHeaders().add("Content-Type", type);
            exchange.sendResponseHeaders(200, content.length);
            exchange.getResponseBody().write(content);
            exchange.close();
        });
        page.start();
        chromium = HeadlessChromium.start();
        browser = chromium.driver();
        browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        // the ingest answers on localhost, the page on 127.0.0.1 and another port: two origins
        browser.get(pageUrl("/"));
    }

    @AfterEach
    void close() {
        if (chromium != null) {
            chromium.close();
        }
        if (page != null) {
            page.stop(0);
        }
    }

    private String pageUrl(String path) {
        return "http://127.0.0.1:" + page.getAddress().getPort() + path;
    }

    private String dsn(String key, String projectId) {
        return "http://" + key + "@localhost:" + ingest.getPort() + "/" + projectId;
    }

    private static String webJarVersion() {
        Properties pom = new Properties();
        try (InputStream in = SentryBrowserTest.class.getResourceAsStream(
                "/META-INF/maven/org.webjars.npm/sentry__browser/pom.properties")) {
            if (in == null) {
                throw new IllegalStateException("the @sentry/browser WebJar is not on the test class path");
            }
            pom.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return pom.getProperty("version");
    }

    private Object run(String script, Object... args) {
        return ((JavascriptExecutor) browser).executeAsyncScript(script, args);
    }

    @Test
    void theBrowserSdkReportsAnExceptionChainAndAMessageScrubbed() {
        // a key as Faultline makes them: the SDK's DSN parser takes word characters only, and
        // drops every event of a DSN it cannot parse (the test profile's "test-project-key")
        browser.get(pageUrl("/sdk.html"));
        assertThat(run(INIT, dsn(AdminProjectResourceTest.createProject("82", "browser app"), "82")))
                .isEqualTo(SDK_VERSION);
        @SuppressWarnings("unchecked")
        Map<String, Object> ids = (Map<String, Object>)
                run(
                        """
                const done = arguments[arguments.length - 1];
                Sentry.setTag('workflow', 'checkout');
                Sentry.setUser({id: 'customer-7', email: 'c7@example.com'});
                let errorId;
                try { pay(); } catch (e) { errorId = Sentry.captureException(e); }
                const messageId = Sentry.captureMessage('checkout slow, token=tok_live_123', 'warning');
                Sentry.flush(10000).then(flushed => done({errorId, messageId, flushed}));
                """);
        assertThat(ids).containsEntry("flushed", true);

        ErrorEvent error = RawTopic.event((String) ids.get("errorId"));
        assertThat(error.getSource()).isEqualTo("sentry-envelope");
        assertThat(error.getPlatform()).isEqualTo("javascript");
        assertThat(error.getSdk().getName()).isEqualTo("sentry.javascript.browser");
        assertThat(error.getRelease()).isEqualTo("shop@2.0.0");
        assertThat(error.getEnvironment()).isEqualTo("browser-test");
        assertThat(error.getTags()).containsEntry("workflow", "checkout");
        // the cause chain, innermost first as Sentry orders it, each with its frames
        assertThat(error.getExceptions()).extracting(e -> e.getType()).containsExactly("TypeError", "Error");
        assertThat(error.getExceptions().get(0).getFrames())
                .extracting(f -> f.getFunction())
                .contains("parseCard", "pay");
        // the page's own functions, where the page defines them (the rest: the test's injected script)
        assertThat(error.getExceptions().get(0).getFrames())
                .filteredOn(f -> "parseCard".equals(f.getFunction()))
                .singleElement()
                .satisfies(f -> {
                    assertThat(f.getFilename()).endsWith("/sdk.html");
                    assertThat(f.getLineno()).isPositive();
                    assertThat(f.getInApp()).isTrue();
                });
        assertThat(error.getExceptions().get(0).getValue()).startsWith("card ").contains("rejected");
        assertThat(error.toString()).doesNotContain("4111 1111").doesNotContain("hunter2");
        // the test profile hashes user ids and emails with a key
        assertThat(error.getUser().getId()).startsWith("hmac:");
        assertThat(error.toString()).doesNotContain("customer-7").doesNotContain("c7@example.com");

        ErrorEvent message = RawTopic.event((String) ids.get("messageId"));
        assertThat(message.getLevel()).isEqualTo("warning");
        assertThat(message.getMessage()).startsWith("checkout slow");
        assertThat(message.toString()).doesNotContain("tok_live_123");
    }

    @Test
    void theBrowserSdkStopsSendingForTheTimeA429Announces() {
        // project 81 is limited to 1 request a minute in the test profile
        String key = AdminProjectResourceTest.createProject("81", "browser sdk");
        browser.get(pageUrl("/sdk.html"));
        run(INIT, dsn(key, "81"));
        String capture =
                """
                const [text, done] = arguments;
                Sentry.captureMessage(text);
                Sentry.flush(10000).then(done);
                """;
        run(capture, "first, within the limit");
        assertThat(arriving.to("/api/81/envelope/")).isEqualTo(1);
        run(capture, "second, answered 429");
        assertThat(arriving.to("/api/81/envelope/")).isEqualTo(2);
        // within the announced minute the SDK drops events itself: none reaches the server
        for (int i = 0; i < 5; i++) {
            run(capture, "held back " + i);
        }
        assertThat(arriving.to("/api/81/envelope/")).isEqualTo(2);
    }

    @Test
    void aPageReadsTheAnswersAndTheBackOffHeadersOfA429() {
        // project 80 is limited to 1 request a minute in the test profile
        String key = AdminProjectResourceTest.createProject("80", "browser app");
        String url = "http://localhost:" + ingest.getPort() + "/api/80/envelope/?sentry_key=" + key
                + "&sentry_version=7&sentry_client=sentry.javascript.browser%2F" + SDK_VERSION;
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
