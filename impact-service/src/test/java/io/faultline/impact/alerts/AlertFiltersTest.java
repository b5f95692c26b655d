package io.faultline.impact.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.faultline.impact.service.ClassifiedBatch.Event;
import java.time.OffsetDateTime;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertFiltersTest {

    private final ObjectMapper json = new ObjectMapper();

    private AlertRule rule(String filters) throws Exception {
        return AlertRule.parse(
                json.readTree("{\"name\": \"r\", \"when\": {\"type\": \"new_issue\"}, \"filters\": " + filters
                        + ", \"channel\": {\"type\": \"slack\", \"url\": \"http://127.0.0.1:1/x\"}}"),
                1,
                null);
    }

    private static Event event(String environment, String severity) {
        OffsetDateTime at = OffsetDateTime.parse("2026-06-01T10:00:00Z");
        return new Event(
                "e1",
                "g1",
                "shop",
                at,
                at,
                "error",
                severity,
                "database",
                "revenue_blocking",
                "checkout",
                "shop@1.2",
                environment,
                "m",
                "t",
                "c",
                "s");
    }

    @Test
    void eachFilterNarrowsAndAnyOfItsValuesMatches() throws Exception {
        AlertRule r = rule("{\"environment\": \"production\", \"severity\": [\"critical\", \"high\"],"
                + " \"impact\": \"revenue_blocking\", \"tag\": [\"region=eu\", \"tier=gold\"]}");
        Map<String, String> eu = Map.of("region", "eu");
        assertThat(AlertEvaluator.matches(r, event("production", "high"), eu)).isTrue();
        assertThat(AlertEvaluator.matches(r, event("production", "low"), eu))
                .as("severity")
                .isFalse();
        assertThat(AlertEvaluator.matches(r, event("staging", "high"), eu))
                .as("environment")
                .isFalse();
        assertThat(AlertEvaluator.matches(r, event(null, "high"), eu))
                .as("no environment")
                .isFalse();
        assertThat(AlertEvaluator.matches(r, event("production", "high"), Map.of("region", "us")))
                .as("tag")
                .isFalse();
        assertThat(AlertEvaluator.matches(r, event("production", "high"), null))
                .as("no tags")
                .isFalse();
        assertThat(AlertEvaluator.matches(r, event("production", "high"), Map.of("tier", "gold")))
                .isTrue();
    }

    @Test
    void noFiltersMatchEverything() throws Exception {
        assertThat(AlertEvaluator.matches(rule("{}"), event(null, null), null)).isTrue();
    }
}
