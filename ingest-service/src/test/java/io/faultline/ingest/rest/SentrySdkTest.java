package io.faultline.ingest.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.faultline.devstack.quarkus.KafkaTestResource;
import io.faultline.schemas.ErrorEvent;
import io.faultline.schemas.ExceptionValue;
import io.faultline.schemas.StackFrame;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sentry.Breadcrumb;
import io.sentry.DataCategory;
import io.sentry.Sentry;
import io.sentry.SentryLevel;
import io.sentry.protocol.SentryId;
import io.sentry.protocol.User;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The official Sentry Java SDK, configured with nothing but a Faultline DSN, reports to the
 * ingest: what it sends arrives on the raw topic intact and scrubbed, and it honours Faultline's
 * 429 the way it honours Sentry's.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
class SentrySdkTest {

    static final String LIMITED_PROJECT = "78"; // one request a minute in the test profile

    @TestHTTPResource("/")
    URL base;

    @Inject
    ArrivingRequests arriving;

    @AfterEach
    void closeSdk() {
        Sentry.close();
    }

    @Test
    void nestedExceptionAndMessageArriveIntactAndScrubbed() {
        initSdk("test-project-key", "1");
        Sentry.configureScope(scope -> {
            scope.setTag("workflow", "checkout");
            scope.setTag("region", "eu-west");
            User user = new User();
            user.setId("customer-42");
            user.setUsername("alice");
            scope.setUser(user);
            scope.setExtra("password", "hunter2");
            scope.setExtra("order", "7");
            // what the SDK's integrations record: the content of these is in their data alone
            scope.addBreadcrumb(Breadcrumb.http("https://pay.example/charge?token=sk_live_abc123", "POST", 502));
            scope.addBreadcrumb(Breadcrumb.userInteraction("click", "pay-button", "android.widget.Button"));
            scope.addBreadcrumb(Breadcrumb.navigation("cart", "checkout"));
        });

        SentryId exceptionId;
        try {
            new Checkout().pay("12,50");
            throw new AssertionError("pay must fail");
        } catch (IllegalStateException e) {
            exceptionId = Sentry.captureException(e);
        }
        SentryId messageId =
                Sentry.captureMessage("card 4111 1111 1111 1111 declined; token=sk_live_abc123", SentryLevel.WARNING);
        Sentry.flush(10_000);

        ErrorEvent error = RawTopic.event(exceptionId.toString());
        // Sentry's order: the innermost cause first, the exception that was caught last
        assertThat(error.getExceptions())
                .extracting(ExceptionValue::getType)
                .containsExactly("NumberFormatException", "IllegalArgumentException", "IllegalStateException");
        assertThat(error.getExceptions())
                .extracting(ExceptionValue::getModule)
                .containsExactly("java.lang", "java.lang", "java.lang");
        assertThat(error.getExceptions().get(0).getValue()).contains("12,50");
        assertThat(error.getExceptions().get(1).getValue()).isEqualTo("amount 12,50 is not a number");
        // the secret in the caught exception's message is gone, the rest of the message is not
        assertThat(error.getExceptions().get(2).getValue())
                .startsWith("payment of order 7 failed")
                .doesNotContain("s3cr3t-pass");

        List<StackFrame> frames = error.getExceptions().get(2).getFrames();
        StackFrame pay = frames.stream()
                .filter(f -> "pay".equals(f.getFunction()))
                .findFirst()
                .orElseThrow();
        assertThat(pay.getModule()).isEqualTo(Checkout.class.getName());
        assertThat(pay.getInApp()).isTrue();
        assertThat(pay.getLineno()).isPositive();
        assertThat(pay.getFilename()).isEqualTo("SentrySdkTest.java");
        // Sentry frames run from the outermost call to the throwing one: the throwing frame is last
        assertThat(frames.get(frames.size() - 1).getFunction()).isEqualTo("pay");
        List<StackFrame> causeFrames = error.getExceptions().get(1).getFrames();
        assertThat(causeFrames.get(causeFrames.size() - 1).getFunction()).isEqualTo("parseAmount");
        assertThat(frames)
                .filteredOn(f -> f.getModule() != null && f.getModule().startsWith("java."))
                .allSatisfy(f -> assertThat(f.getInApp()).isNotEqualTo(Boolean.TRUE));

        assertThat(error.getTags()).containsEntry("workflow", "checkout").containsEntry("region", "eu-west");
        // the test profile hashes user ids and names with a key: still countable, no longer readable
        assertThat(error.getUser().getUsername()).isEqualTo(hmac("test-hmac-key", "alice"));
        assertThat(error.getUser().getId()).isEqualTo(hmac("test-hmac-key", "customer-42"));
        assertThat(error.getExtra()).containsKey("order").containsKey("password");
        assertThat(error.getExtra().get("password")).doesNotContain("hunter2");
        assertThat(error.getLevel()).isEqualTo("error");
        assertThat(error.getRelease()).isEqualTo("checkout@1.4.2");
        assertThat(error.getEnvironment()).isEqualTo("sdk-test");
        assertThat(error.getSdk().getName()).isEqualTo("sentry.java");
        assertThat(error.getSource()).isEqualTo("sentry-envelope");
        assertThat(error.toString()).doesNotContain("hunter2").doesNotContain("s3cr3t-pass");
        assertThat(error.getBreadcrumbs()).hasSize(3);
        Map<String, String> http = error.getBreadcrumbs().get(0).getData();
        assertThat(http)
                .containsEntry("url", "https://pay.example/charge")
                .containsEntry("method", "POST")
                .containsEntry("status_code", "502");
        assertThat(http.toString()).doesNotContain("sk_live_abc123");
        assertThat(error.getBreadcrumbs().get(1).getCategory()).isEqualTo("ui.click");
        assertThat(error.getBreadcrumbs().get(1).getData())
                .containsEntry("view.id", "pay-button")
                .containsEntry("view.class", "android.widget.Button");
        assertThat(error.getBreadcrumbs().get(2).getData())
                .containsEntry("from", "cart")
                .containsEntry("to", "checkout");

        ErrorEvent message = RawTopic.event(messageId.toString());
        String text = message.getLogentry() != null ? message.getLogentry().getMessage() : message.getMessage();
        assertThat(text).startsWith("card ").contains("declined").doesNotContain("4111");
        assertThat(message.toString()).doesNotContain("4111 1111").doesNotContain("sk_live_abc123");
        assertThat(message.getLevel()).isEqualTo("warning");
        assertThat(message.getExceptions()).isEmpty();
        assertThat(message.getTags()).containsEntry("workflow", "checkout");
    }

    @Test
    void sdkStopsSendingForTheTimeA429Announces() {
        String key = AdminProjectResourceTest.createProject(LIMITED_PROJECT, "sdk-rate-limited");
        String envelopePath = "/api/" + LIMITED_PROJECT + "/envelope/";
        initSdk(key, LIMITED_PROJECT);

        SentryId first = Sentry.captureMessage("first, within the limit");
        Sentry.flush(10_000);
        assertThat(arriving.to(envelopePath)).isEqualTo(1);
        RawTopic.event(first.toString());
        assertThat(Sentry.getCurrentScopes().getRateLimiter().isAnyRateLimitActive())
                .isFalse();

        // the second request of the minute: Faultline answers 429, X-Sentry-Rate-Limits "60::project"
        Sentry.captureMessage("second, over the limit");
        Sentry.flush(10_000);
        assertThat(arriving.to(envelopePath)).isEqualTo(2);
        assertThat(Sentry.getCurrentScopes().getRateLimiter().isActiveForCategory(DataCategory.Error))
                .isTrue();

        // within the announced minute the SDK drops events itself: none reaches the server
        for (int i = 0; i < 5; i++) {
            Sentry.captureMessage("held back " + i);
            try {
                throw new IllegalStateException("held back too");
            } catch (IllegalStateException e) {
                Sentry.captureException(e);
            }
            Sentry.flush(10_000);
        }
        Sentry.close(); // flushes whatever the SDK still holds
        assertThat(arriving.to(envelopePath)).isEqualTo(2);
        String metrics = given().get("/q/metrics").asString();
        assertThat(metrics)
                .containsPattern("faultline_ingest_requests_refused_total\\{.*project=\"" + LIMITED_PROJECT
                        + "\".*reason=\"rate-limited\".*status=\"429\".*} 1.0");
    }

    private void initSdk(String publicKey, String projectId) {
        String dsn = "http://" + publicKey + "@localhost:" + base.getPort() + "/" + projectId;
        Sentry.init(options -> {
            options.setDsn(dsn);
            options.setRelease("checkout@1.4.2");
            options.setEnvironment("sdk-test");
            options.addInAppInclude("io.faultline.ingest.rest");
            // the test JVM is Quarkus's: the SDK must not take over its uncaught exceptions
            options.setEnableUncaughtExceptionHandler(false);
            options.setEnableShutdownHook(false);
        });
    }

    private static String hmac(String key, String value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "hmac:" + HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)), 0, 16);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A small real call chain, so the SDK reports real frames and a real cause chain. */
    static final class Checkout {

        void pay(String amount) {
            try {
                parseAmount(amount);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("payment of order 7 failed; password=s3cr3t-pass", e);
            }
        }

        private static long parseAmount(String amount) {
            try {
                return Long.parseLong(amount);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("amount " + amount + " is not a number", e);
            }
        }
    }
}
