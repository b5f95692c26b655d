package io.faultline.dashboard.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.SoftAssertions.assertSoftly;

import io.faultline.dashboard.rest.AuditTrailReader;
import io.faultline.dashboard.rest.FeedRecords;
import io.faultline.dashboard.rest.StubImpactService;
import io.faultline.dashboard.rest.TestUsers;
import io.faultline.devstack.browser.HeadlessChromium;
import io.faultline.devstack.quarkus.KafkaTestResource;
import io.faultline.schemas.ResolutionEvent;
import io.faultline.schemas.Vocabulary;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real headless Chromium: log in, watch an error produced to Kafka appear
 * without a reload, open its group, resolve it and see the audited action come back on the feed.
 * Skipped (not failed) where chromium or chromedriver is not installed; CI installs both.
 * Screenshots of each step land in {@code target/screenshots}.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(StubImpactService.class)
@QuarkusTestResource(TestUsers.class)
class DashboardBrowserTest {

    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    @TestHTTPResource("/")
    URL root;

    private HeadlessChromium chromium;
    private WebDriver browser;
    private WebDriverWait wait;

    @BeforeEach
    void openBrowser() throws IOException {
        Assumptions.assumeTrue(HeadlessChromium.installed(), HeadlessChromium.NOT_INSTALLED);
        // money is formatted in the browser's locale; the assertions are written for en-US
        chromium = HeadlessChromium.start("--window-size=1400,1100", "--lang=en-US");
        browser = chromium.driver();
        wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterEach
    void closeBrowser() {
        if (chromium != null) {
            chromium.close();
        }
    }

    private void screenshot(String name) throws IOException {
        Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    private String text(String css) {
        return browser.findElements(By.cssSelector(css)).stream()
                .map(WebElement::getText)
                .findFirst()
                .orElse("");
    }

    private void signIn(String user) {
        browser.get(root.toString());
        wait.until(ExpectedConditions.urlContains("/login.html"));
        browser.findElement(By.id("username")).sendKeys(user);
        browser.findElement(By.id("password")).sendKeys(TestUsers.PASSWORD);
        browser.findElement(By.id("sign-in")).click();
        // the sign-in's redirect lands before the test navigates: a page opened earlier was left
        // for the overview the redirect then loaded (the hostile-markup test found no event page)
        wait.until(ExpectedConditions.not(ExpectedConditions.urlContains("/login.html")));
    }

    /** What an SLA dial shows: its caption, its tooltip and its gauge's classes (the colour). */
    private record Dial(String caption, String title, String colour) {}

    private Dial dial(String name) {
        return browser
                .findElements(By.xpath("//section[@id='sla']//figure[.//strong[normalize-space()='" + name + "']]"))
                .stream()
                .map(figure -> new Dial(
                        figure.findElement(By.tagName("figcaption")).getText(),
                        String.valueOf(figure.getAttribute("title")),
                        figure.findElement(By.cssSelector("svg.gauge")).getAttribute("class")))
                .findFirst()
                .orElse(new Dial("no dial named " + name, "", ""));
    }

    /** The values of a select's options, in order. */
    private List<String> options(String id) {
        return browser.findElement(By.id(id)).findElements(By.tagName("option")).stream()
                .map(o -> o.getAttribute("value"))
                .toList();
    }

    /** What the page asked the server for, as paths. */
    @SuppressWarnings("unchecked")
    private List<String> requested() {
        return (List<String>) ((JavascriptExecutor) browser)
                .executeScript("return performance.getEntriesByType('resource').map(e => new URL(e.name).pathname)");
    }

    /** Form controls on the page that no <label> names (by wrapping them or by for=). */
    @SuppressWarnings("unchecked")
    private List<String> unlabelledControls() {
        return (List<String>) ((JavascriptExecutor) browser)
                .executeScript("return [...document.querySelectorAll('input, select, textarea')]"
                        + ".filter(c => c.type !== 'hidden' && c.labels.length === 0)"
                        + ".map(c => c.outerHTML.slice(0, 80))");
    }

    /** The elements that announce their changes: the live feed and the status lines only. */
    @SuppressWarnings("unchecked")
    private List<String> liveRegions() {
        return (List<String>) ((JavascriptExecutor) browser)
                .executeScript("return [...document.querySelectorAll('[aria-live], [role=status]')]"
                        + ".map(e => e.id || e.closest('[id]').id)");
    }

    @Test
    void theFiltersAndRelabelOfferTheServersVocabularyAndEveryControlHasALabel() {
        browser.get(root + "login.html");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("sign-in")));
        List<String> unlabelled = new ArrayList<>(unlabelledControls());
        signIn("otto");
        wait.until(ExpectedConditions.textToBe(By.id("who"), "otto (operator)"));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#sla .card-body > *")));
        assertThat(liveRegions()).containsExactlyInAnyOrder("live-status", "feed");

        browser.get(root + "#/groups");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("filter-severity")));
        List<String> anyThen = new ArrayList<>(List.of(""));
        anyThen.addAll(Vocabulary.SEVERITIES);
        assertThat(options("filter-severity")).isEqualTo(anyThen);
        anyThen = new ArrayList<>(List.of(""));
        anyThen.addAll(Vocabulary.GROUP_STATUSES);
        assertThat(options("filter-status")).isEqualTo(anyThen);
        // read from the server, not a copy in the script (AssetsTest finds none)
        assertThat(requested()).contains("/api/v1/vocabulary");
        unlabelled.addAll(unlabelledControls());

        browser.get(root + "#/group/group-browser");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("relabel-category")));
        anyThen = new ArrayList<>(List.of(""));
        anyThen.addAll(Vocabulary.CATEGORIES);
        assertThat(options("relabel-category")).isEqualTo(anyThen);
        // the group's own label is the one selected
        assertThat(browser.findElement(By.cssSelector("#relabel-severity option:checked"))
                        .getAttribute("value"))
                .isEqualTo("critical");
        unlabelled.addAll(unlabelledControls());

        browser.get(root + "#/alerts");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("alert-rule-form")));
        unlabelled.addAll(unlabelledControls());
        assertThat(unlabelled).isEmpty();
    }

    @Test
    void theLoginFormSaysWhyItWasShownAgain() {
        browser.get(root + "login.html?error=credentials");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-error")));
        assertThat(browser.findElement(By.id("login-throttled")).isDisplayed()).isFalse();

        browser.get(root + "login.html?error=throttled&retry=42");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-throttled")));
        assertThat(text("#login-throttled")).contains("try again in 42 seconds");
        assertThat(browser.findElement(By.id("login-error")).isDisplayed()).isFalse();

        // the page shows a number of seconds and nothing else from its address
        browser.get(root + "login.html?error=throttled&retry=%3Cb%3E7%3C%2Fb%3E");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-throttled")));
        assertThat(text("#login-throttled")).contains("try again in a few seconds");
        assertThat(browser.findElements(By.cssSelector("#login-throttled b"))).isEmpty();
    }

    @Test
    void anOperatorSeesALiveErrorOpensItsGroupAndResolvesIt() throws IOException {
        browser.get(root.toString());
        wait.until(ExpectedConditions.urlContains("/login.html"));
        screenshot("1-login");

        browser.findElement(By.id("username")).sendKeys("otto");
        browser.findElement(By.id("password")).sendKeys(TestUsers.PASSWORD);
        browser.findElement(By.id("sign-in")).click();
        wait.until(ExpectedConditions.textToBe(By.id("who"), "otto (operator)"));
        wait.until(ExpectedConditions.textToBe(By.id("live-status"), "live"));
        wait.until(
                ExpectedConditions.presenceOfElementLocated(By.cssSelector("#top-groups table, #top-groups .state")));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("workflow-impact"), "checkout"));
        assertThat(browser.findElements(By.cssSelector("#workflow-impact tbody tr")))
                .extracting(row -> row.findElements(By.tagName("td")).get(3).getText())
                .containsExactly("3.00%", "2.00%", "no traffic");
        wait.until(ExpectedConditions.textToBe(By.id("sla-compliant"), "SLA breached · revenue-blocking errors 3 / 0"));
        assertThat(browser.findElements(By.cssSelector("#sla .gauge"))).hasSize(5);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(
                By.id("incident-list"), "checkout burns its error budget 14x"));
        screenshot("2-overview");

        // the feed consumer starts at the latest offset once it has its partitions: keep
        // producing until one record lands after that, as a busy service would
        FeedRecords kafka = new FeedRecords();
        String title = "Connection is not available " + System.nanoTime();
        Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    kafka.send(FeedRecords.classified("group-browser", title));
                    return text("#feed").contains(title);
                });
        assertThat(browser.getCurrentUrl()).doesNotContain("login");
        assertThat(text("#live-status")).isEqualTo("live");
        screenshot("3-live-error");

        browser.findElement(By.linkText(title)).click();
        // the header shows the impact-service's stored group, the stack the live sample's
        wait.until(ExpectedConditions.textToBe(By.id("group-title"), "Connection is not available"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(
                By.id("stack-trace"), "at com.example.PaymentGateway.charge:42"));
        // the stored occurrences and hourly counts come next to the group in the payload
        assertSoftly(soft -> {
            soft.assertThat(text("#group-occurrences")).contains("5f0c2a9e4b7d41c3a8e6d2f1b0c9a7e3");
            soft.assertThat(browser.findElements(By.cssSelector("#occurrence-chart svg polyline")))
                    .hasSize(1);
            soft.assertThat(text("#occurrence-chart")).contains("3 events in 3 hours, up to the last one seen");
        });
        screenshot("4-group");

        browser.findElement(By.id("action-note")).sendKeys("pool resized");
        browser.findElement(By.id("action-resolve")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(
                By.id("action-result"), "Recorded: resolve by otto"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(
                By.id("group-history"), "otto marked the group resolved: pool resized"));
        screenshot("5-resolved");

        // or resolved for the releases after the one running now: the fix ships with the next deploy
        browser.findElement(By.id("resolve-release")).sendKeys("shop@2.4.1");
        browser.findElement(By.id("action-resolve-in-release")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(
                By.id("action-result"), "Recorded: resolved in the next release by otto"));
    }

    @Test
    void aMergedGroupLinksToTheGroupThatHoldsItsEventsNow() {
        signIn("otto");
        browser.get(root + "#/group/group-merged");
        wait.until(
                ExpectedConditions.textToBePresentInElementLocated(By.id("group-merged"), "Merged into group-browser"));
        browser.findElement(By.linkText("group-browser")).click();
        wait.until(ExpectedConditions.textToBe(By.id("group-title"), "Connection is not available"));
        assertThat(browser.findElements(By.id("group-merged"))).isEmpty();
    }

    @Test
    void aSourceMappedFrameShowsItsOriginalSourceAndKeepsTheMinifiedOne() throws IOException {
        signIn("vera");
        browser.get(root + "#/group/group-js");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("#stack-trace .frame.in-app"), "at BrokenWidget (src/App.tsx:5:22)"));
        assertSoftly(soft -> {
            soft.assertThat(text("#stack-trace .frame.in-app .source-mapped")).isEqualTo("source map");
            soft.assertThat(text("#stack-trace .frame.in-app .context-line .here"))
                    .isEqualTo("5    return <p>{booking.slot(id)}</p>;");
            soft.assertThat(text("#stack-trace .frame.in-app .context-line"))
                    .startsWith("3  export function BrokenWidget({ id }) {");
        });
        browser.findElement(By.cssSelector("#stack-trace .minified-frame summary"))
                .click();
        assertThat(text("#stack-trace .minified-frame code"))
                .isEqualTo("at a (https://shop.example/assets/index-abc.js:1:35)");
    }

    @Test
    void theGroupPageShowsTheStoredEventsStackTraceAndWalksTheGroupsEvents() throws IOException {
        signIn("vera");
        browser.get(root + "#/group/group-stack");
        // the recommended event comes from the API: no live occurrence was seen on this page
        wait.until(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("#stack-trace .frame.in-app"), "at com.example.PaymentGateway.charge:42"));
        assertSoftly(soft -> {
            soft.assertThat(text("#stack-trace h3")).contains("java.sql.SQLTransientConnectionException");
            soft.assertThat(text("#stack-trace .frame.in-app .context-line"))
                    .isEqualTo("42  Connection c = pool.getConnection(); // Connection is not available");
            // the crashing frames first; each run of system frames folded behind its toggle
            soft.assertThat(browser.findElements(By.cssSelector("#stack-trace .frame-run summary")))
                    .extracting(WebElement::getText)
                    .containsExactly("2 system frames", "3 system frames");
            soft.assertThat(browser.findElement(By.xpath("//*[@id='stack-trace']//code[.='at org.eclipse.jetty.server"
                                    + ".HttpChannel.handle:479']"))
                            .isDisplayed())
                    .isFalse();
            soft.assertThat(text("#event-request")).isEqualTo("POST https://shop.example/checkout");
            soft.assertThat(text("#event-tags")).contains("browser Chrome 131");
            soft.assertThat(text("#event-facts")).contains("SDK sentry.java 7.14.0", "release shop@2.4.1");
            soft.assertThat(text("#event-user")).contains("sha256:9f86d081884c7d65");
            // as text, one component a line, innermost first (in the contexts table it is one JSON line)
            soft.assertThat(text("#event-component-stack"))
                    .startsWith("at CheckoutForm (https://shop.example/assets/index.js:1:2)\nat ")
                    .endsWith("\nat ErrorBoundary");
        });
        browser.findElements(By.cssSelector("#stack-trace .frame-run summary"))
                .get(1)
                .click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.xpath("//*[@id='stack-trace']//code[.='at org.eclipse.jetty.server.HttpChannel.handle:479']")));
        screenshot("6-group-event");

        browser.findElement(By.id("event-older")).click();
        wait.until(ExpectedConditions.textToBe(By.id("event-id"), StubImpactService.OLDER_EVENT));
        assertThat(text("#stack-trace .frame.in-app")).contains("at com.example.PaymentGateway.charge:40");
        assertThat(browser.findElement(By.id("event-older")).isEnabled()).isFalse();
        browser.findElement(By.id("event-latest")).click();
        wait.until(ExpectedConditions.textToBe(By.id("event-id"), StubImpactService.NEWER_EVENT));
    }

    @Test
    void aSearchTypedInTheGroupsListFiltersItAndTheGroupPageShowsItsTagsAndUsers() throws IOException {
        signIn("vera");
        browser.get(root + "#/groups");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("group-search")));
        assertThat(browser.findElements(By.cssSelector("#group-list table"))).isEmpty();

        WebElement search = browser.findElement(By.id("group-search"));
        search.sendKeys("is:unresolved release:shop@1.4.2 \"not available\"");
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("group-sort"))).selectByValue("-users");
        search.sendKeys(org.openqa.selenium.Keys.ENTER);
        wait.until(
                ExpectedConditions.textToBePresentInElementLocated(By.id("group-list"), StubImpactService.SEARCH_HIT));
        assertThat(browser.getCurrentUrl()).contains("query=is%3Aunresolved").contains("sort=-users");
        // the search stays in the box, and the users column shows the group's distinct users
        assertThat(browser.findElement(By.id("group-search")).getAttribute("value"))
                .isEqualTo("is:unresolved release:shop@1.4.2 \"not available\"");
        assertThat(browser.findElements(By.cssSelector("#group-list tbody tr td")))
                .extracting(WebElement::getText)
                .contains("7");
        screenshot("7-group-search");

        browser.findElement(By.linkText(StubImpactService.SEARCH_HIT)).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("tag-distributions"), "shop@1.4.2"));
        assertThat(text("#group-users"))
                .contains("7 users affected", "first release shop@1.4.1", "last release shop@1.4.2");
        assertThat(text("#tag-distributions")).contains("release", "75% · 3", StubImpactService.HOSTILE);
        // one hour of data still draws: a single point is a bar, and the counts read as English
        assertThat(browser.findElements(By.cssSelector("#occurrence-chart svg rect.bar")))
                .hasSize(1);
        assertThat(text("#occurrence-chart")).contains("2 events in 1 hour, up to the last one seen");
        assertThat(text("#group-meta")).contains(" · 2 events · ");
        assertThat(browser.findElements(By.cssSelector("main img, main script")))
                .isEmpty();
        screenshot("8-group-tags");
    }

    @Test
    void anOperatorResolvesTheGroupsTickedInTheListInOneGo() {
        signIn("otto");
        browser.get(root + "#/groups?query=bulk");
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#group-list tbody tr"), 2));
        assertThat(browser.findElement(By.id("bulk-resolve")).isEnabled()).isFalse();

        browser.findElement(By.id("bulk-all")).click();
        wait.until(ExpectedConditions.textToBe(By.id("bulk-count"), "2 selected"));
        browser.findElement(By.id("bulk-resolve")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(
                By.id("bulk-result"), "resolve: 2 of 2 groups recorded"));
        for (String group : StubImpactService.BULK_GROUPS) {
            ResolutionEvent entry = AuditTrailReader.firstEntryOf(group);
            assertThat(entry.getAction()).isEqualTo("manual_resolve");
            assertThat(entry.getDetails()).containsEntry("actor", "otto");
        }
    }

    @Test
    void viewersGetNoBulkActions() {
        signIn("vera");
        browser.get(root + "#/groups?query=bulk");
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#group-list tbody tr"), 2));
        assertThat(browser.findElements(By.cssSelector("#bulk-actions, #group-list input[type=checkbox]")))
                .isEmpty();
    }

    @Test
    void anEventsMarkupIsShownAsTextAndNeverRuns() {
        signIn("vera");
        browser.get(root + "#/group/group-hostile");
        wait.until(ExpectedConditions.textToBe(By.id("event-message"), StubImpactService.HOSTILE));
        browser.findElement(By.cssSelector("#group-event details.raw summary")).click();
        assertSoftly(soft -> {
            soft.assertThat(text("#group-title")).isEqualTo(StubImpactService.HOSTILE);
            soft.assertThat(text("#stack-trace .exception-value")).isEqualTo(StubImpactService.HOSTILE);
            soft.assertThat(text("#event-tags")).contains("custom " + StubImpactService.HOSTILE);
            soft.assertThat(text("#event-request-headers")).contains(StubImpactService.HOSTILE);
            soft.assertThat(text("#event-breadcrumbs"))
                    .contains(StubImpactService.HOSTILE)
                    .contains("POST https://shop.example/api/pay → 502 note=" + StubImpactService.HOSTILE);
            soft.assertThat(text("#event-component-stack")).contains(StubImpactService.HOSTILE);
            soft.assertThat(text("#event-raw")).contains(StubImpactService.HOSTILE);
            soft.assertThat(browser.findElements(By.cssSelector("main img, main script")))
                    .isEmpty();
            soft.assertThat(((org.openqa.selenium.JavascriptExecutor) browser).executeScript("return window.__pwned"))
                    .isNull();
        });
    }

    @Test
    void theSlaCardShowsADashWhereTheServerHasNoRateAndEachVerdictWithTheReasonForNoData() {
        signIn("otto");
        wait.until(ExpectedConditions.textToBe(By.id("sla-compliant"), "SLA breached · revenue-blocking errors 3 / 0"));

        assertSoftly(soft -> {
            // 4 errors and no traffic: no rate, and not compliant (the server says so)
            Dial errorRate = dial("Error rate");
            soft.assertThat(errorRate.caption()).isEqualTo("Error rate\n— / 99.90%");
            soft.assertThat(errorRate.title()).contains("no traffic reported");
            soft.assertThat(errorRate.colour()).isEqualTo("gauge breach");
            // no critical error and no traffic: no rate, and no data (neither colour)
            Dial critical = dial("Critical error rate");
            soft.assertThat(critical.caption()).isEqualTo("Critical error rate\n— / 99.99%");
            soft.assertThat(critical.colour()).isEqualTo("gauge nodata");
            // nothing actionable: no rate, no data, and the server's reason
            Dial auto = dial("Auto-resolution");
            soft.assertThat(auto.caption()).isEqualTo("Auto-resolution\n— / 80.0%");
            soft.assertThat(auto.title()).contains("nothing actionable");
            soft.assertThat(auto.colour()).isEqualTo("gauge nodata");
            // every objective with its verdict; a no-data one says why on the card, not in a tooltip
            soft.assertThat(text("#sla-objectives tr[data-objective='time_to_resolve_low']"))
                    .contains("no data")
                    .contains("no low-priority group was resolved in the window");
            soft.assertThat(text("#sla-objectives tr[data-objective='error_rate'] .verdict"))
                    .isEqualTo("breached");
            soft.assertThat(text("#sla-objectives tr[data-objective='workflow_success_booking']"))
                    .contains("98.0%")
                    .contains("> 95.0%")
                    .contains("compliant");
            // an overspent budget reads as overspent, not as 0 % left
            soft.assertThat(dial("Budget left: error rate").caption()).isEqualTo("Budget left: error rate\n25.0%");
            Dial overspent = dial("Budget left: critical error rate");
            soft.assertThat(overspent.caption()).isEqualTo("Budget left: critical error rate\n-16.7%");
            soft.assertThat(overspent.colour()).isEqualTo("gauge breach");
        });
    }

    @Test
    void theSlaCardLinksAViewerToTheReportOfTheDaysChosen() {
        signIn("vera");
        wait.until(ExpectedConditions.textToBe(By.id("sla-compliant"), "SLA breached · revenue-blocking errors 3 / 0"));
        var js = (org.openqa.selenium.JavascriptExecutor) browser;
        String choose =
                "const [f, t] = arguments; for (const [id, v] of [['sla-report-from', f], ['sla-report-to', t]]) {"
                        + " const el = document.getElementById(id); el.value = v;"
                        + " el.dispatchEvent(new Event('change')); }";
        js.executeScript(choose, "2026-03-01", "2026-03-31");
        // both days included: the API's end is the day after, exclusive
        assertThat(browser.findElement(By.id("sla-report-html")).getAttribute("href"))
                .endsWith("/api/v1/sla/report?from=2026-03-01T00%3A00%3A00.000Z&to=2026-04-01T00%3A00%3A00.000Z"
                        + "&format=html");
        assertThat(browser.findElement(By.id("sla-report-csv")).getAttribute("href"))
                .endsWith("&format=csv");
        // a first day after the last: no link, and why
        js.executeScript(choose, "2026-04-02", "2026-03-31");
        assertThat(browser.findElement(By.id("sla-report-html")).getAttribute("href"))
                .isNull();
        assertThat(text("#sla-report-problem")).contains("on or before the last");
        js.executeScript(choose, "2026-03-01", "2026-03-31");
        // the page opens on the viewer's session (the stub's page stands for the impact-service's)
        browser.get(browser.findElement(By.id("sla-report-html")).getAttribute("href"));
        wait.until(ExpectedConditions.titleIs("SLA report"));
    }

    @Test
    void theImpactCardShowsCentsBelow100DollarsAndTheHealthScoreOutOf100() {
        signIn("otto");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("workflow-impact"), "onboarding"));

        assertSoftly(soft -> {
            soft.assertThat(browser.findElements(By.cssSelector("#workflow-impact tbody tr")))
                    .extracting(row -> row.findElements(By.tagName("td")).get(4).getText())
                    .containsExactly("$1,251", "$0.05", "$0.00");
            soft.assertThat(text("#workflow-impact .card-body > p"))
                    .isEqualTo("$1,251 revenue lost in the window · health 0.75/100");
        });
    }

    @Test
    void anOperatorAddsAnAlertRuleFromTheAlertsPage() throws IOException {
        signIn("otto");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("who")));
        browser.findElement(By.linkText("Alerts")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("alert-rule-form")));
        browser.findElement(By.name("name")).sendKeys("checkout pages");
        browser.findElement(By.name("filter-project")).sendKeys("shop");
        browser.findElement(By.name("target")).sendKeys("http://127.0.0.1:9/hooks/slack");
        browser.findElement(By.cssSelector("#alert-rule-form button[type=submit]"))
                .click();
        // the stub answers the impact-service's 201 with the rule it was sent and id 7
        wait.until(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("#alert-rule-form .form-message"), "Saved rule “checkout pages” (#7)."));
        screenshot("alert-rule-added");
    }
}
