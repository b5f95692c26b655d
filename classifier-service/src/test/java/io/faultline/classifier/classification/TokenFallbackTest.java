package io.faultline.classifier.classification;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.faultline.schemas.ErrorEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenFallbackTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Rules that decide nothing but the workflow: every other field is left to the model. */
    private static final ClassificationRules NO_RULES = ClassificationRules.load(
            new java.io.ByteArrayInputStream(
                    """
                    version: 1
                    workflows: [booking]
                    defaults: {severity: medium, category: business_logic, businessImpact: operational}
                    rules:
                      - id: boom-is-info
                        when: {messageContains: [boom]}
                        set: {severity: info}
                    """
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8)),
            "test");

    @Test
    void theModelDecidesOnlyWhatTheRulesLeftToTheDefaultsAndSaysSo() throws Exception {
        List<ClassificationEvaluation.Labelled> training = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            training.add(labelled("q" + i, "QuotaGoneError", "quota exhausted for tenant " + i, "low", "security"));
            training.add(labelled("d" + i, "DiskGoneError", "disk vanished on node " + i, "critical", "performance"));
        }

        var classify = TokenFallback.over(NO_RULES).train(training);
        ClassificationResult quota = classify.apply(event("QuotaGoneError", "quota exhausted for tenant 99"));
        ClassificationResult boom = classify.apply(event("DiskGoneError", "boom: disk vanished on node 7"));

        assertThat(quota.category()).isEqualTo(Category.SECURITY);
        assertThat(quota.ruleFor("category")).isEqualTo(TokenFallback.MODEL_RULE_ID);
        assertThat(boom.category()).isEqualTo(Category.PERFORMANCE);
        assertThat(boom.severity()).isEqualTo(Severity.INFO);
        assertThat(boom.ruleFor("severity")).isEqualTo("boom-is-info");
    }

    private static ClassificationEvaluation.Labelled labelled(
            String id, String type, String value, String severity, String category) throws Exception {
        ErrorEvent event = event(type, value);
        return new ClassificationEvaluation.Labelled(id, event, new String[] {severity, category, "monitoring", null});
    }

    private static ErrorEvent event(String type, String value) throws Exception {
        return SentryEventJson.read(JSON.readTree(
                "{\"exception\": {\"values\": [{\"type\": \"" + type + "\", \"value\": \"" + value + "\"}]}}"));
    }
}
