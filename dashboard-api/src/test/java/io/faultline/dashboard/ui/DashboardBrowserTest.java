package io.faultline.dashboard.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.faultline.dashboard.rest.FeedRecords;
import io.faultline.dashboard.rest.StubImpactService;
import io.faultline.dashboard.rest.TestUsers;
import io.faultline.devstack.browser.HeadlessChromium;
import io.faultline.devstack.quarkus.KafkaTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
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
        chromium = HeadlessChromium.start("--window-size=1400,1100");
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
                .containsExactly("3.00%", "no traffic");
        wait.until(ExpectedConditions.textToBe(By.id("sla-compliant"), "SLA breached · revenue-blocking errors 3 / 0"));
        assertThat(browser.findElements(By.cssSelector("#sla .gauge"))).hasSize(3);
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
        wait.until(ExpectedConditions.textToBe(By.id("group-title"), title));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(
                By.id("stack-trace"), "at com.example.PaymentGateway.charge:42"));
        screenshot("4-group");

        browser.findElement(By.id("action-note")).sendKeys("pool resized");
        browser.findElement(By.id("action-resolve")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(
                By.id("action-result"), "Recorded: resolve by otto"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(
                By.id("group-history"), "otto marked the group resolved: pool resized"));
        screenshot("5-resolved");
    }
}
