package io.faultline.classifier.classification;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClassifyCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String REFUSED_DATABASE =
            """
            {"event_id": "a1", "platform": "java", "request": {"url": "https://x.test/api/bookings"},
             "exception": {"values": [{"type": "PSQLException", "module": "org.postgresql.util",
               "value": "Connection to db:5432 refused."}]}}"""
                    .replace("\n", " ");

    @Test
    void printsOneLinePerEventWithTheRuleThatDecidedEachLabel() throws Exception {
        List<JsonNode> out = run(rules(), false, REFUSED_DATABASE, "not json", "");

        assertThat(out).hasSize(2);
        JsonNode first = out.get(0);
        assertThat(first.path("id").asText()).isEqualTo("a1");
        assertThat(first.path("severity").asText()).isEqualTo("critical");
        assertThat(first.path("category").asText()).isEqualTo("database");
        assertThat(first.path("workflow").asText()).isEqualTo("booking");
        for (String field : ClassificationEvaluation.LABELS) {
            assertThat(first.path("decidedBy").path(field).asText()).as(field).isNotBlank();
        }
        assertThat(out.get(1).path("line").asInt()).isEqualTo(2);
        assertThat(out.get(1).path("error").asText()).isNotBlank();
    }

    @Test
    void explainListsWhatTheRulesSawAndEveryRuleThatMatched() throws Exception {
        JsonNode explain = run(rules(), true, REFUSED_DATABASE).get(0).path("explain");

        assertThat(explain.path("input").path("exceptions").get(0).asText())
                .startsWith("org.postgresql.util.PSQLException");
        JsonNode category = explain.path("category");
        assertThat(category.path("matchingRules").get(0).asText())
                .isEqualTo(category.path("decidedBy").asText());
    }

    @Test
    void anOperatorsRuleFileDecidesInsteadOfTheShippedOne() throws Exception {
        ClassificationRules own = ClassificationRules.load(
                new ByteArrayInputStream(
                        """
                        version: 1
                        workflows: [booking]
                        typeHierarchy: {}
                        defaults: {severity: low, category: business_logic, businessImpact: monitoring}
                        rules:
                          - id: refused-is-info
                            when: {messageContains: [refused]}
                            set: {severity: info}
                        """
                                .getBytes(StandardCharsets.UTF_8)),
                "test");

        JsonNode out = run(own, false, REFUSED_DATABASE).get(0);

        assertThat(out.path("severity").asText()).isEqualTo("info");
        assertThat(out.path("decidedBy").path("severity").asText()).isEqualTo("refused-is-info");
        // what the operator's rules leave to the defaults, the shipped learned fallback decides
        assertThat(out.path("decidedBy").path("category").asText()).isEqualTo(TokenFallback.MODEL_RULE_ID);
        assertThat(out.path("category").asText()).isEqualTo("database");
    }

    private static ClassificationRules rules() {
        return ClassificationRules.loadDefault();
    }

    private static List<JsonNode> run(ClassificationRules rules, boolean explain, String... lines) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(
                new ByteArrayInputStream(String.join("\n", lines).getBytes(StandardCharsets.UTF_8)),
                StandardCharsets.UTF_8));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ClassifyCommand.run(
                in,
                new PrintStream(bytes, true, StandardCharsets.UTF_8),
                new EventClassifier(rules, new InMemoryGroupLabelOverrides()),
                explain);
        return bytes.toString(StandardCharsets.UTF_8)
                .lines()
                .map(l -> {
                    try {
                        return JSON.readTree(l);
                    } catch (Exception e) {
                        throw new AssertionError(l, e);
                    }
                })
                .toList();
    }
}
