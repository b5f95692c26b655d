package io.faultline.impact.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.faultline.impact.repository.AlertOutbox;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AlertTextTest {

    /** The link in a Slack or e-mail alert opens the group's page: the dashboard routes {@code #/group/<id>}. */
    @Test
    void theAlertLinksToTheGroupsPageOfTheDashboard() {
        ObjectMapper json = new ObjectMapper();
        AlertDispatcher dispatcher = new AlertDispatcher(
                null,
                json,
                8,
                Duration.ofSeconds(2),
                "http://127.0.0.1:1/pd",
                Optional.of("http://dash.example:8080"),
                Optional.empty(),
                25,
                "faultline@localhost",
                false);
        AlertOutbox.Claimed alert = new AlertOutbox.Claimed(
                1,
                1,
                "trigger",
                "new_issue",
                "shop",
                "9f2c0a",
                "checkout",
                "high",
                "New issue: card declined",
                OffsetDateTime.parse("2026-06-01T10:00:00Z"),
                "9f2c0a",
                7,
                "on-call",
                json.createObjectNode());

        assertThat(dispatcher.text(alert)).endsWith("group 9f2c0a: http://dash.example:8080/#/group/9f2c0a");
    }
}
