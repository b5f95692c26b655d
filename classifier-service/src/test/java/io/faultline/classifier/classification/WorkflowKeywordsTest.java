package io.faultline.classifier.classification;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The guide's workflow procedure over the shipped keyword table. */
class WorkflowKeywordsTest {

    private static final EventClassifier SHIPPED = EventClassifier.withDefaultRules();

    @Test
    void theLastKeywordOfThePathDecides() {
        assertThat(workflow("/api/clients/7/bookings", null, List.of())).isEqualTo("booking");
        assertThat(workflow("/api/bookings/7/payment", null, List.of())).isEqualTo("payment_processing");
        assertThat(workflow("/api/tips", null, List.of())).isEqualTo("payment_processing");
        assertThat(workflow("/app/calendar", null, List.of())).isEqualTo("efficiency_optimization");
        assertThat(workflow("/account/booked", null, List.of())).isNull();
    }

    @Test
    void thePathComesBeforeTheTransactionAndTheTransactionBeforeInAppFrames() {
        assertThat(workflow("/api/reviews", "POST /api/bookings", List.of("shop.billing.charge")))
                .isEqualTo("brand_building");
        assertThat(workflow(null, "ReminderJob.sendSmsReminders", List.of("shop.billing.charge")))
                .isEqualTo("efficiency_optimization");
        assertThat(workflow(null, "worker", List.of("shop.util.retry", "shop.billing.chargeCard", "shop.crm.sync")))
                .isEqualTo("payment_processing");
        assertThat(workflow(null, "rails:boot", List.of())).isNull();
    }

    @Test
    void wordsSplitAtSeparatorsCamelCaseAndDigits() {
        assertThat(WorkflowKeywords.words("App\\Jobs\\SendAppointmentReminder.handle"))
                .containsExactly("app", "jobs", "send", "appointment", "reminder", "handle");
        assertThat(WorkflowKeywords.words("HTTPServer/v2invoices"))
                .containsExactly("http", "server", "v", "2", "invoices");
    }

    @Test
    void workWithoutARequestAndWebhooksAreBackground() {
        assertThat(input(null, "tasks.sync", List.of()).background()).isTrue();
        assertThat(input("/webhooks/stripe/", null, List.of()).background()).isTrue();
        assertThat(input("/api/bookings", null, List.of()).background()).isFalse();
    }

    @Test
    void theRequestPathComesFromTheUrlElseFromARouteLikeTransaction() throws Exception {
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        ClassificationInput url = ClassificationInput.from(
                SentryEventJson.read(json.readTree(
                        "{\"transaction\": \"/x\", \"request\": {\"url\": \"https://h.test/api/tips?a=1#f\"}}")),
                "g",
                null);
        ClassificationInput route = ClassificationInput.from(
                SentryEventJson.read(json.readTree("{\"transaction\": \"POST /api/bookings\"}")), "g", null);
        ClassificationInput job = ClassificationInput.from(
                SentryEventJson.read(json.readTree("{\"transaction\": \"tasks.send_reminders\"}")), "g", null);

        assertThat(url.requestPath()).isEqualTo("/api/tips");
        assertThat(route.requestPath()).isEqualTo("/api/bookings");
        assertThat(job.requestPath()).isNull();
    }

    private static String workflow(String path, String transaction, List<String> frames) {
        return SHIPPED.classify(input(path, transaction, frames)).workflow();
    }

    private static ClassificationInput input(String path, String transaction, List<String> frames) {
        return new ClassificationInput(
                List.of(),
                "x",
                null,
                "error",
                "python",
                null,
                Map.of(),
                transaction,
                null,
                null,
                "g",
                path,
                frames,
                List.of());
    }
}
