package io.faultline.resolver.strategy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NotifierTest {

    private final ObjectMapper json = new ObjectMapper();
    private final Notification n = new Notification(
            "att_1", "payments", "g1", "7", "high", "timeout", "Faultline could not resolve it", Map.of("title", "T"));

    @Test
    void pagerDutyGetsAnEventsV2TriggerDeduplicatedOnTheAttempt() throws Exception {
        JsonNode body = json.readTree(Notifier.pagerDutyPayload(n, "key-1"));
        assertThat(body.get("routing_key").asText()).isEqualTo("key-1");
        assertThat(body.get("event_action").asText()).isEqualTo("trigger");
        assertThat(body.get("dedup_key").asText()).isEqualTo("att_1");
        JsonNode payload = body.get("payload");
        assertThat(payload.get("summary").asText()).isEqualTo("Faultline could not resolve it");
        assertThat(payload.get("severity").asText()).isEqualTo("error");
        assertThat(payload.get("source").asText()).isEqualTo("faultline/project-7");
        assertThat(payload.get("component").asText()).isEqualTo("g1");
        assertThat(payload.get("custom_details").get("title").asText()).isEqualTo("T");
    }

    @Test
    void slackGetsTextAndAMarkdownBlock() throws Exception {
        JsonNode body = json.readTree(Notifier.slackPayload(n));
        assertThat(body.get("text").asText())
                .contains("Faultline could not resolve it")
                .contains("`g1`");
        assertThat(body.get("blocks").get(0).get("text").get("type").asText()).isEqualTo("mrkdwn");
    }

    @Test
    void severitiesMapOntoPagerDutys() {
        assertThat(Notifier.pagerDutySeverity("critical")).isEqualTo("critical");
        assertThat(Notifier.pagerDutySeverity("medium")).isEqualTo("warning");
        assertThat(Notifier.pagerDutySeverity("low")).isEqualTo("info");
    }
}
