package io.faultline.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.faultline.devstack.browser.HeadlessChromium;
import io.sentry.Breadcrumb;
import io.sentry.Sentry;
import io.sentry.SentryEvent;
import io.sentry.SentryLevel;
import io.sentry.protocol.SentryId;
import io.sentry.protocol.User;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in headless Chromium against the whole stack as {@code ./faultline up -d} runs it,
 * fed by the official Sentry Java SDK: nothing stubbed between the SDK's envelope and the page.
 * An alert rule made in the UI fires on a real event and its delivery shows in a receiver this test
 * runs and in the rule's history; the issue page shows what the SDK sent (exception chain, in-app
 * frames, tags, breadcrumbs, user, SDK), found by search and walked event by event. Selectors are
 * element ids and visible text only. Screenshots land in {@code target/screenshots}.
 */
class DashboardBrowserIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String RELEASE = "checkout-web@2.4.0";
    private static final String OLD_RELEASE = "checkout-web@2.3.9";

    private static LocalStack stack;
    private static Map<String, String> env;
    private static HeadlessChromium chromium;
    private static WebDriver browser;
    private static WebDriverWait wait;

    @BeforeAll
    static void up() throws Exception {
        Assumptions.assumeTrue(HeadlessChromium.installed(), HeadlessChromium.NOT_INSTALLED);
        // the resolver runs no part of what the pages show here: one JVM less to start
        stack = new LocalStack(Files.createTempDirectory("faultline-browser-"))
                .services("ingest-service", "classifier-service", "impact-service", "dashboard-api");
        stack.up();
        env = stack.stackEnv();
        Sentry.init(options -> {
            options.setDsn(env.get("SENTRY_DSN"));
            options.setRelease(RELEASE);
            options.setEnvironment("staging");
            options.setServerName("checkout-7");
            options.addInAppInclude("io.faultline.system");
            options.setEnableUncaughtExceptionHandler(false);
            options.setShutdownTimeoutMillis(10_000);
        });
        // money and times are formatted in the browser's locale
        chromium = HeadlessChromium.start("--window-size=1400,1400", "--lang=en-US");
        browser = chromium.driver();
        wait = new WebDriverWait(browser, WAIT);
        StackDashboard.signIn(browser, wait, env);
    }

    @AfterAll
    static void down() {
        try {
            if (chromium != null) {
                chromium.close();
            }
            Sentry.close();
        } finally {
            if (stack != null) {
                stack.down();
            }
        }
    }

    // ------------------------------------------------------------------ alert rules (issue #21)

    @Test
    void anAlertRuleMadeInTheDashboardFiresOnAnSdkEventAndItsSignedDeliveryIsInTheReceiverAndTheHistory()
            throws Exception {
        String secret = "browser-test-secret-" + UUID.randomUUID();
        String probe = UUID.randomUUID().toString();
        Receiver receiver = new Receiver();
        try {
            browser.get(env.get("DASHBOARD_URL") + "/#/alerts");
            String filter = "probe=" + probe;
            addRule(
                    "refund desk on-call",
                    filter,
                    "signed webhook (HMAC-SHA256)",
                    receiver.url("/hooks/faultline"),
                    secret);
            addRule("refund desk channel", filter, "Slack-compatible webhook", receiver.url("/slack"), null);
            WebElement rules = browser.findElement(By.id("alert-rule-list"));
            assertThat(rules.getText())
                    .contains(
                            "when a new issue",
                            "environment=staging",
                            "tag=" + filter,
                            "webhook → " + receiver.url("/hooks/faultline"),
                            "slack → " + receiver.url("/slack"),
                            // two buttons an operator tells apart, not one word "historydelete"
                            "history · delete");
            screenshot("alert-rule-created");

            SentryId sent = Sentry.captureException(refundFailure(), scope -> scope.setTag("probe", probe));
            Sentry.flush(15_000);

            Awaitility.await("the deliveries of both rules' alerts")
                    .atMost(WAIT)
                    .until(() -> receiver.requests.size() >= 2);
            Receiver.Request delivery = receiver.only("/hooks/faultline");
            assertThat(delivery.signature())
                    .as("X-Faultline-Signature of the body under the rule's secret")
                    .isEqualTo("sha256=" + hmacSha256(secret, delivery.body()));
            JsonNode alert = JSON.readTree(delivery.body());
            assertThat(alert.get("trigger").asText()).isEqualTo("new_issue");
            assertThat(alert.at("/rule/name").asText()).isEqualTo("refund desk on-call");
            assertThat(alert.get("title").asText()).contains("RefundRejected");
            assertThat(alert.get("project").asText()).isEqualTo(env.get("PROJECT_ID"));
            String groupId = alert.get("group").asText();
            assertThat(groupId).isNotBlank();

            // the history is read when asked for: ask again until the dispatcher has settled the try
            WebElement row = browser.findElement(By.cssSelector(
                    "#alert-rule-list tr[data-rule='" + alert.at("/rule/id").asText() + "']"));
            new WebDriverWait(browser, WAIT).pollingEvery(Duration.ofSeconds(1)).until(d -> {
                row.findElement(By.xpath(".//button[normalize-space()='history']"))
                        .click();
                // the click shows "Loading…" at once: read the answer to this click, not that
                WebElement answer = wait.until(x -> {
                    WebElement body = x.findElement(By.cssSelector("#alert-history .card-body"));
                    return body.getText().contains("Loading") ? null : body;
                });
                return answer.getText().contains("delivered");
            });
            String history = browser.findElement(By.id("alert-history")).getText();
            assertThat(history)
                    .contains("Rule “refund desk on-call”", "RefundRejected", "delivered", "#1 delivered (HTTP 204)");
            screenshot("alert-rule-history");

            // the chat message links to the group's page, which shows the event behind the alert
            String text =
                    JSON.readTree(receiver.only("/slack").body()).get("text").asText();
            assertThat(text).contains("New issue", "RefundRejected", "rule: refund desk channel");
            String link = text.substring(text.indexOf(env.get("DASHBOARD_URL")));
            assertThat(link).isEqualTo(env.get("DASHBOARD_URL") + "/#/group/" + groupId);
            browser.get(link);
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("event-id"), sent.toString()));
            assertThat(receiver.requests)
                    .as("one alert per rule, delivered once")
                    .hasSize(2);
        } finally {
            receiver.server.stop(0);
        }
    }

    /** Fills the page's new-rule form as an operator does: a new issue in staging with the probe tag. */
    private static void addRule(String name, String tag, String channel, String url, String secret) {
        WebElement form = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("alert-rule-form")));
        form.findElement(By.name("name")).sendKeys(name);
        new Select(form.findElement(By.name("trigger"))).selectByVisibleText("a new issue");
        form.findElement(By.name("filter-environment")).sendKeys("staging");
        form.findElement(By.name("filter-tag")).sendKeys(tag);
        new Select(form.findElement(By.name("channel"))).selectByVisibleText(channel);
        form.findElement(By.name("target")).sendKeys(url);
        if (secret != null) {
            WebElement secretInput = form.findElement(By.name("secret"));
            wait.until(ExpectedConditions.visibilityOf(secretInput));
            secretInput.sendKeys(secret);
        }
        form.findElement(By.cssSelector("button[type=submit]")).click();
        wait.until(ExpectedConditions.textToBePresentInElement(form, "Saved rule “" + name + "”"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("alert-rule-list"), name));
    }

    // ------------------------------------------------------------------ issue page and search (issue #26)

    @Test
    void theIssuePageShowsWhatTheSentrySdkSentFoundBySearchAndWalkedEventByEvent() throws Exception {
        String tier = "tier-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> ids = new ArrayList<>();
        // three occurrences of one failure, by two users, two of three from the gold tier
        ids.add(checkout("ana", "gold", tier, 1));
        ids.add(checkout("ben", "silver", tier, 2));
        ids.add(checkout("ben", "gold", tier, 3));
        // another failure, of the release before: a search for the current release leaves it out
        SentryEvent inventory = new SentryEvent(inventoryFailure());
        inventory.setRelease(OLD_RELEASE);
        SentryId inventoryId = Sentry.captureEvent(inventory, scope -> {
            scope.setTag("tier_probe", tier);
            scope.setTag("customer_tier", "gold");
        });
        Sentry.flush(15_000);

        String groupId = groupOf(ids.get(0), 3);
        // stored too before the searches, so that a search that leaves it out means something
        groupOf(inventoryId.toString(), 1);

        // search: status, release and a custom tag
        search("is:unresolved release:" + RELEASE + " tag:customer_tier=gold tier_probe:" + tier);
        wait.until(ExpectedConditions.textToBePresentInElement(list(), "CheckoutDeclined"));
        assertThat(list().getText()).doesNotContain("InventoryShortage");
        screenshot("search-structured");

        // free text over title and culprit
        search("InventoryShortage tier_probe:" + tier);
        wait.until(ExpectedConditions.textToBePresentInElement(list(), "InventoryShortage"));
        assertThat(list().getText()).doesNotContain("CheckoutDeclined");

        // a malformed query names its token and why
        search("level:loud");
        wait.until(ExpectedConditions.textToBePresentInElement(list(), "level:loud"));
        // the query is at fault, not the service: no advice to check the impact-service
        assertThat(list().getText()).contains("level must be one of").doesNotContain("impact-service");
        assertThat(browser.findElements(By.cssSelector("#group-list .state-error")))
                .isNotEmpty();
        screenshot("search-malformed");

        // the issue page, opened from the search result
        search("CheckoutDeclined tier_probe:" + tier);
        wait.until(ExpectedConditions.textToBePresentInElement(list(), "CheckoutDeclined"));
        list().findElement(By.partialLinkText("CheckoutDeclined")).click();
        wait.until(ExpectedConditions.urlContains("#/group/" + groupId));
        WebElement trace = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("stack-trace")));
        assertThat(trace.getText())
                .contains(
                        "CheckoutDeclined",
                        "card declined for order",
                        "Caused by",
                        "GatewayTimeout",
                        "gateway answered 504");
        List<String> inApp = browser.findElements(By.cssSelector("#stack-trace .frame.in-app")).stream()
                .map(WebElement::getText)
                .toList();
        assertThat(inApp).anyMatch(f -> f.contains("checkoutFailure")).anyMatch(f -> f.contains("in app"));
        assertThat(browser.findElements(By.cssSelector("#stack-trace details summary")))
                .as("system frames folded")
                .anyMatch(s -> s.getText().contains("system frame"));

        String facts = browser.findElement(By.id("event-facts")).getText();
        assertThat(facts).contains(RELEASE, "staging", "sentry.java", "checkout-7");
        assertThat(browser.findElement(By.id("event-breadcrumbs")).getText())
                .contains("cart opened", "ui.click warning payment submitted for order");
        String user = browser.findElement(By.id("event-user")).getText();
        assertThat(user).contains("id (hashed)").doesNotContain("customer-");
        assertThat(browser.findElement(By.id("event-tags")).getText()).contains("customer_tier", "gold");

        WebElement users = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("group-users")));
        wait.until(ExpectedConditions.textToBePresentInElement(users, "2 users affected"));
        assertThat(users.getText()).contains("first release " + RELEASE, "last release " + RELEASE);
        String distributions = browser.findElement(By.id("tag-distributions")).getText();
        assertThat(distributions).contains("customer_tier", "gold", "67% · 2", "silver", "33% · 1");
        // what Sentry shows on an issue besides the custom tags, from the event and its runtime
        // context (the Java SDK sends no os context off Android)
        assertThat(distributions)
                .contains("release", RELEASE, "environment", "staging", "server_name", "checkout-7", "runtime");
        screenshot("issue-page");

        // walking the group's events: latest, older, older (the oldest: none older), newer, oldest
        walk("event-latest", ids.get(2));
        walk("event-older", ids.get(1));
        assertThat(browser.findElement(By.id("event-breadcrumbs")).getText()).contains("order 2");
        walk("event-older", ids.get(0));
        assertThat(browser.findElement(By.id("event-older")).isEnabled()).isFalse();
        walk("event-newer", ids.get(1));
        walk("event-oldest", ids.get(0));
        walk("event-latest", ids.get(2));
        assertThat(browser.findElement(By.id("event-newer")).isEnabled()).isFalse();
        screenshot("issue-page-latest");
    }

    /** One checkout failure as the SDK reports it, with the scope an app would have set. */
    private static String checkout(String user, String customerTier, String tier, int order) {
        SentryId id = Sentry.captureException(checkoutFailure(order), scope -> {
            User u = new User();
            u.setId("customer-" + user);
            scope.setUser(u);
            scope.setTag("customer_tier", customerTier);
            scope.setTag("tier_probe", tier);
            scope.setLevel(SentryLevel.ERROR);
            scope.addBreadcrumb(new Breadcrumb("cart opened"));
            Breadcrumb paid = new Breadcrumb("payment submitted for order " + order);
            paid.setCategory("ui.click");
            paid.setLevel(SentryLevel.WARNING);
            scope.addBreadcrumb(paid);
        });
        // one at a time: the events' order is the order they were sent in
        Sentry.flush(15_000);
        return id.toString();
    }

    /** The group of the event once the impact-service has stored this many of its events. */
    private static String groupOf(String eventId, int events) {
        return Awaitility.await("event " + eventId + " stored with its group's " + events + " events")
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(500))
                .ignoreExceptionsInstanceOf(AssertionError.class)
                .until(
                        () -> {
                            JsonNode event = get("/api/v1/events/" + eventId);
                            if (event == null) {
                                return null;
                            }
                            String group = event.get("groupId").asText();
                            JsonNode g = get("/api/v1/groups/" + URLEncoder.encode(group, StandardCharsets.UTF_8));
                            long count = g == null
                                    ? 0
                                    : g.path("group")
                                            .path("count")
                                            .asLong(g.path("count").asLong());
                            return count >= events ? group : null;
                        },
                        group -> group != null);
    }

    private static JsonNode get(String path) throws IOException, InterruptedException {
        return StackDashboard.get(env, path);
    }

    /** Types the query in the groups list's search box and submits it with Enter, as a user does. */
    private static void search(String query) {
        if (!browser.getCurrentUrl().contains("#/groups")) {
            browser.get(env.get("DASHBOARD_URL") + "/#/groups");
        }
        WebElement box = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("group-search")));
        WebElement before = browser.findElement(By.id("group-list"));
        box.clear();
        box.sendKeys(query, Keys.ENTER);
        // the submit changes the address, and the page is drawn anew with the query's answer
        wait.until(ExpectedConditions.stalenessOf(before));
        wait.until(d -> !d.findElement(By.id("group-list")).getText().contains("Loading"));
    }

    private static WebElement list() {
        return browser.findElement(By.id("group-list"));
    }

    /** Clicks a button of the event bar and waits for the event it leads to, drawn anew. */
    private static void walk(String button, String eventId) {
        WebElement shown = browser.findElement(By.id("group-event-body"));
        wait.until(ExpectedConditions.elementToBeClickable(By.id(button))).click();
        wait.until(ExpectedConditions.stalenessOf(shown));
        wait.until(ExpectedConditions.textToBe(By.id("event-id"), eventId));
    }

    private static void screenshot(String name) throws IOException {
        StackDashboard.screenshot(browser, name);
    }

    private static String hmacSha256(String secret, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return java.util.HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }

    /** A local HTTP receiver for the alerts: every request's path, signature header and body, answered 204. */
    private static final class Receiver {
        record Request(String path, String signature, String body) {}

        final List<Request> requests = new CopyOnWriteArrayList<>();
        final HttpServer server;

        Receiver() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", exchange -> {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                requests.add(new Request(
                        exchange.getRequestURI().getPath(),
                        exchange.getRequestHeaders().getFirst("X-Faultline-Signature"),
                        body));
                exchange.sendResponseHeaders(204, -1);
                exchange.close();
            });
            server.start();
        }

        String url(String path) {
            return "http://127.0.0.1:" + server.getAddress().getPort() + path;
        }

        Request only(String path) {
            List<Request> to =
                    requests.stream().filter(r -> r.path().equals(path)).toList();
            assertThat(to).as("requests to " + path).hasSize(1);
            return to.get(0);
        }
    }

    // the failures the SDK reports, thrown for real so their frames are this class's code (in app)

    static final class CheckoutDeclined extends RuntimeException {
        CheckoutDeclined(String message, Throwable cause) {
            super(message, cause);
        }
    }

    static final class GatewayTimeout extends RuntimeException {
        GatewayTimeout(String message) {
            super(message);
        }
    }

    static final class InventoryShortage extends RuntimeException {
        InventoryShortage(String message) {
            super(message);
        }
    }

    static final class RefundRejected extends RuntimeException {
        RefundRejected(String message) {
            super(message);
        }
    }

    /** What the code throws, caught, so that the SDK reports it with the frames it was thrown from. */
    private static RuntimeException thrown(Runnable code) {
        try {
            code.run();
        } catch (RuntimeException e) {
            return e;
        }
        throw new AssertionError("nothing thrown");
    }

    private static RuntimeException checkoutFailure(int order) {
        // through a JDK frame, so the trace has system frames to fold
        RuntimeException gateway = thrown(() -> List.of(order).forEach(o -> {
            throw new GatewayTimeout("gateway answered 504 for order " + o);
        }));
        return new CheckoutDeclined("card declined for order " + order, gateway);
    }

    private static RuntimeException inventoryFailure() {
        return thrown(() -> {
            throw new InventoryShortage("no seats left on the 10:40 departure");
        });
    }

    private static RuntimeException refundFailure() {
        return thrown(() -> {
            throw new RefundRejected("refund refused: the payment was never captured");
        });
    }
}
