package io.faultline.resolver.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuditRedactionTest {

    @Test
    void urlsKeepTheirHostAndPathButLoseUserInfoQueryAndFragment() {
        assertThat(AuditRedaction.text(
                        "POST https://ops:hunter2@payments.internal:8443/admin/reset?token=abc&x=1#frag answered 500"))
                .isEqualTo("POST https://payments.internal:8443/admin/reset?[Filtered] answered 500");
        assertThat(AuditRedaction.text("GET http://catalogue.internal/health answered 200"))
                .isEqualTo("GET http://catalogue.internal/health answered 200");
        assertThat(AuditRedaction.text("no url here")).isEqualTo("no url here");
    }

    @Test
    void webhookHostsWhoseSecretIsThePathLoseThePath() {
        assertThat(AuditRedaction.text("POST https://hooks.slack.com/services/T000/B000/XXXXSECRET answered 200"))
                .isEqualTo("POST https://hooks.slack.com/[Filtered] answered 200");
        assertThat(AuditRedaction.text("https://discord.com/api/webhooks/123/tok"))
                .isEqualTo("https://discord.com/[Filtered]");
        assertThat(AuditRedaction.text("https://acme.webhook.office.com/webhookb2/abc"))
                .isEqualTo("https://acme.webhook.office.com/[Filtered]");
    }

    @Test
    void detailsNamedLikeSecretsAreFilteredAndTheOthersRedacted() {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("header.X-Api-Key", "k-123");
        details.put("routingKey", "R0UT1NG");
        details.put("password", "p");
        details.put("url", "http://u:p@host/path?q=1");
        details.put("status", "200");
        details.put("dropped", null);

        assertThat(AuditRedaction.details(details))
                .containsExactly(
                        Map.entry("header.X-Api-Key", "[Filtered]"),
                        Map.entry("routingKey", "[Filtered]"),
                        Map.entry("password", "[Filtered]"),
                        Map.entry("url", "http://host/path?[Filtered]"),
                        Map.entry("status", "200"));
    }

    @Test
    void everyAuditEntryIsRedacted() {
        AuditEntry entry = new AuditEntry(
                "e",
                "a",
                "g",
                "p",
                null,
                java.time.Instant.EPOCH,
                Phase.ACTION_FAILED,
                "r",
                "act",
                "webhook",
                1,
                false,
                "high",
                "POST http://h/x?token=t answered 500",
                Map.of("header.Authorization", "Bearer t"));
        assertThat(entry.message()).isEqualTo("POST http://h/x?[Filtered] answered 500");
        assertThat(entry.details()).containsEntry("header.Authorization", "[Filtered]");
    }
}
