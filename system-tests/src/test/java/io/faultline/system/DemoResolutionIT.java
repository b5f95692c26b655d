package io.faultline.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.faultline.devstack.FreePorts;
import io.faultline.loadgen.BookingDemoClient;
import io.faultline.loadgen.ResolutionTrail;
import io.faultline.schemas.ResolutionEvent;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The booking demo failing for real and Faultline fixing it, through {@code ./faultline demo}: the
 * app reports with the Sentry Java SDK to ingest, the classifier labels and groups, the resolver
 * matches the demo runbooks, acts on the app, verifies from the classified stream and escalates
 * what it cannot fix. Each test drives its own requests (the demo's traffic generator is off) and
 * asserts what the remediation did to the app, not only what the audit trail says.
 */
class DemoResolutionIT {

    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static LocalStack stack;
    private static BookingDemoClient demo;
    private static ResolutionTrail trail;

    @BeforeAll
    static void up() throws Exception {
        stack = new LocalStack(Files.createTempDirectory("faultline-demo-"));
        stack.demo();
        Map<String, String> env = stack.stackEnv();
        demo = new BookingDemoClient(env.get("BOOKING_DEMO_URL"));
        trail = new ResolutionTrail(env.get("KAFKA_BOOTSTRAP_SERVERS"));
    }

    @AfterAll
    static void down() throws Exception {
        if (trail != null) {
            trail.close();
        }
        if (stack != null) {
            stack.down();
            for (int port : stack.ports()) {
                assertThat(FreePorts.inUse(port))
                        .as("port %d still held after down (the demo app included)", port)
                        .isFalse();
            }
        }
    }

    @BeforeEach
    void healthy() {
        demo.healAll();
    }

    @Test
    void aStuckPaymentBreakerIsResetThroughTheWebhookAndTheFixIsVerified() {
        String booking = demo.book("cl_it_pay").json().get("id").asText();
        Instant brokenAt = Instant.now();
        demo.breakIt("payment-circuit-stuck-open", null);
        assertThat(demo.pay(booking).status()).isEqualTo(502);

        List<ResolutionEvent> attempt = driveUntilDone("payment-breaker-reset", brokenAt, () -> demo.pay(booking));

        assertThat(phases(attempt))
                .containsExactly("matched", "action_started", "action_succeeded", "verification_passed");
        assertThat(attempt.get(0).getSeverity()).as("classified critical").isEqualTo("critical");
        assertThat(attempt.get(1).getStrategy()).isEqualTo("webhook");
        assertThat(attempt.get(3).getMessage()).isEqualTo("0 new occurrence(s) in the 3s after the action");
        JsonNode stats = demo.stats();
        assertThat(stats.get("paymentBreakerResets").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(stats.get("paymentBreakerState").asText()).isEqualTo("CLOSED");
        assertThat(demo.pay(booking).status()).as("payments go through again").isEqualTo(201);
    }

    @Test
    void aBookingLostToADatabaseDropIsReDrivenFromTheRetryTopic() {
        Instant brokenAt = Instant.now();
        demo.breakIt("database-connection-drop", null);
        BookingDemoClient.Answer failed = demo.book("cl_it_db");
        assertThat(failed.status()).as(failed.body()).isEqualTo(503);
        String reference = failed.json().get("reference").asText();
        demo.switchOff("database-connection-drop"); // the failover is over; the booking is still lost

        List<ResolutionEvent> attempt =
                driveUntilDone("booking-db-redrive", brokenAt, () -> demo.book("cl_it_db_after"));

        assertThat(phases(attempt))
                .containsExactly("matched", "action_started", "action_succeeded", "verification_passed");
        assertThat(attempt.get(0).getSeverity()).isEqualTo("critical");
        assertThat(attempt.get(1).getStrategy()).isEqualTo("redrive");
        assertThat(attempt.get(2).getDetails().get("topic")).isEqualTo("booking.retries.v1");
        String attemptId = attempt.get(0).getAttemptId();
        Awaitility.await().atMost(DEADLINE).untilAsserted(() -> {
            BookingDemoClient.Answer b = demo.booking(reference);
            assertThat(b.status())
                    .as("the lost booking was written by the re-drive")
                    .isEqualTo(200);
            assertThat(b.json().get("redrivenBy").asText()).isEqualTo(attemptId);
        });
        assertThat(demo.stats().get("bookingsParked").asInt()).isZero();
    }

    @Test
    void aSlowDependencyIsSwitchedToTheCacheFallback() {
        Instant brokenAt = Instant.now();
        demo.breakIt("slow-availability", null);
        assertThat(demo.availability().status()).isEqualTo(504);

        List<ResolutionEvent> attempt =
                driveUntilDone("availability-cache-fallback", brokenAt, () -> demo.availability());

        assertThat(phases(attempt))
                .containsExactly("matched", "action_started", "action_succeeded", "verification_passed");
        BookingDemoClient.Answer now = demo.availability();
        assertThat(now.status()).isEqualTo(200);
        assertThat(now.json().get("source").asText()).isEqualTo("CACHE");
        assertThat(demo.stats().get("availabilityFallbackSwitches").asLong()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aBugNoRunbookCanFixIsEscalatedWithANotificationToTheLocalReceiver() {
        Instant brokenAt = Instant.now();
        demo.breakIt("client-profile-bug", null);
        try {
            List<ResolutionEvent> attempt =
                    driveUntilDone("client-profile-escalation", brokenAt, () -> demo.clientProfile("cl_it_bug"));

            assertThat(phases(attempt))
                    .containsExactly(
                            "matched", "action_started", "action_succeeded", "verification_failed", "escalated");
            assertThat(attempt.get(3).getMessage()).doesNotStartWith("0 new occurrence(s)");
            ResolutionEvent escalated = attempt.get(4);
            assertThat(escalated.getDetails().get("notify.slack")).startsWith("delivered");
            String attemptId = escalated.getAttemptId();
            JsonNode notifications = demo.notifications();
            assertThat(notifications.findValuesAsText("body"))
                    .anyMatch(body -> body.contains(attemptId) && body.contains("client management"));
            assertThat(demo.stats().get("clientCacheClears").asLong()).isGreaterThanOrEqualTo(1);
        } finally {
            demo.switchOff("client-profile-bug");
        }
    }

    /**
     * Sends the failing request every 100 ms (the errors whose rate verification judges) until the
     * runbook's attempt begun after {@code since} has ended; returns that attempt's entries.
     */
    private static List<ResolutionEvent> driveUntilDone(
            String runbookId, Instant since, Supplier<BookingDemoClient.Answer> request) {
        AtomicReference<String> attemptId = new AtomicReference<>();
        Awaitility.await().atMost(DEADLINE).pollInterval(Duration.ofMillis(100)).until(() -> {
            request.get();
            if (attemptId.get() == null) {
                trail.attemptSince(runbookId, since).ifPresent(attemptId::set);
            }
            Optional<ResolutionEvent> end = attemptId.get() == null ? Optional.empty() : trail.outcome(attemptId.get());
            return end.isPresent();
        });
        return trail.attempt(attemptId.get());
    }

    private static List<String> phases(List<ResolutionEvent> attempt) {
        return attempt.stream().map(ResolutionEvent::getPhase).toList();
    }
}
