package io.faultline.classifier.classification;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.faultline.schemas.ErrorEvent;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TokenFallbackTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path LABELLED = Path.of("src/test/resources/labelled-events.jsonl");

    /** Rules that know "boom" and one generic heuristic; everything else is left to the defaults. */
    private static final ClassificationRules FEW_RULES = ClassificationRules.load(
            new ByteArrayInputStream(
                    """
                    version: 1
                    workflows: [booking]
                    defaults: {severity: medium, category: business_logic, businessImpact: operational}
                    rules:
                      - id: boom-is-info
                        when: {messageContains: [boom]}
                        set: {severity: info}
                      - id: type-name-says-gone
                        generic: true
                        when: {exceptionTypeMatches: "Gone"}
                        set: {category: external_api}
                      - id: impact-quiet
                        when: {severity: [info, low]}
                        set: {businessImpact: monitoring}
                    """
                            .getBytes(StandardCharsets.UTF_8)),
            "test");

    private static List<ClassificationEvaluation.Labelled> training() throws Exception {
        List<ClassificationEvaluation.Labelled> training = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            training.add(labelled("q" + i, "QuotaGoneError", "quota exhausted for tenant " + i, "low", "security"));
            training.add(
                    labelled("d" + i, "DiskMissingError", "disk vanished on node " + i, "critical", "performance"));
        }
        return training;
    }

    @Test
    void anEventNoRuleKnowsTakesTheModelsLabelsAndNamesTheModel() throws Exception {
        EventClassifier classifier =
                new EventClassifier(FEW_RULES, new InMemoryGroupLabelOverrides(), TokenFallback.train(training()));

        ClassificationResult disk = classify(classifier, "DiskMissingError", "disk vanished on node 99");

        assertThat(disk.category()).isEqualTo(Category.PERFORMANCE);
        assertThat(disk.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(disk.ruleFor("category")).isEqualTo("model:nb");
        assertThat(disk.ruleFor("severity")).isEqualTo("model:nb");
        // impact stays the rules' procedure over what was decided
        assertThat(disk.ruleFor("businessImpact")).isEqualTo("default");
    }

    @Test
    void theModelOverrulesAGenericRuleButNeverAConfidentOne() throws Exception {
        EventClassifier classifier =
                new EventClassifier(FEW_RULES, new InMemoryGroupLabelOverrides(), TokenFallback.train(training()));

        ClassificationResult quota = classify(classifier, "QuotaGoneError", "quota exhausted for tenant 99");
        ClassificationResult boom = classify(classifier, "DiskMissingError", "boom: disk vanished on node 7");

        assertThat(quota.category()).isEqualTo(Category.SECURITY);
        assertThat(quota.ruleFor("category")).isEqualTo("model:nb");
        assertThat(quota.severity()).isEqualTo(Severity.LOW);
        assertThat(quota.businessImpact()).isEqualTo(BusinessImpact.MONITORING);
        assertThat(boom.severity()).isEqualTo(Severity.INFO);
        assertThat(boom.ruleFor("severity")).isEqualTo("boom-is-info");
        assertThat(boom.category()).isEqualTo(Category.PERFORMANCE);
    }

    @Test
    void anUnsureModelLeavesTheDefault() throws Exception {
        EventClassifier classifier =
                new EventClassifier(FEW_RULES, new InMemoryGroupLabelOverrides(), TokenFallback.train(training()));

        ClassificationResult unknown = classify(classifier, "WeirdThing", "nothing like the training");

        assertThat(unknown.ruleFor("category")).isEqualTo("default");
        assertThat(unknown.ruleFor("severity")).isEqualTo("default");
    }

    @Test
    void explainShowsTheModelsProbability() throws Exception {
        EventClassifier classifier =
                new EventClassifier(FEW_RULES, new InMemoryGroupLabelOverrides(), TokenFallback.train(training()));

        Map<String, Object> explained =
                classifier.explain(ClassificationInput.from(event("DiskMissingError", "disk vanished"), "g", null));

        @SuppressWarnings("unchecked")
        Map<String, Object> category = (Map<String, Object>) explained.get("category");
        assertThat(category.get("decidedBy")).isEqualTo("model:nb");
        @SuppressWarnings("unchecked")
        Map<String, Object> model = (Map<String, Object>) category.get("model");
        assertThat(model.get("value")).isEqualTo("performance");
        assertThat((Double) model.get("probability")).isGreaterThanOrEqualTo(TokenFallback.MIN_PROBABILITY);
    }

    @Test
    void trainingIsDeterministicAndTheFileRoundTrips() throws Exception {
        List<ClassificationEvaluation.Labelled> events = ClassificationEvaluation.load(LABELLED);

        String first = TokenFallback.train(events).write();
        String again = TokenFallback.train(events).write();
        String reread = TokenFallback.read(new ByteArrayInputStream(first.getBytes(StandardCharsets.UTF_8)))
                .write();

        assertThat(again).isEqualTo(first);
        assertThat(reread).isEqualTo(first);
    }

    /**
     * The shipped model is the one the labelled set trains: change the set (or the tokens) and this
     * fails until the file is regenerated with {@code TokenFallback.main}.
     */
    @Test
    void theShippedModelIsTrainedOnTheCurrentLabelledSet() throws Exception {
        String trained =
                TokenFallback.train(ClassificationEvaluation.load(LABELLED)).write();
        String shipped;
        try (InputStream in = TokenFallback.class.getClassLoader().getResourceAsStream(TokenFallback.RESOURCE)) {
            assertThat(in).as("classification-model.tsv on the classpath").isNotNull();
            shipped = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }

        assertThat(shipped)
                .as("src/main/resources/classification-model.tsv is stale: regenerate it with"
                        + " ./faultline classify --train-model")
                .isEqualTo(trained);
    }

    @Test
    void aBadModelFileIsRefusedWithItsLine() {
        var bad = new ByteArrayInputStream("class\tseverity\thigh\tmany\n".getBytes(StandardCharsets.UTF_8));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TokenFallback.read(bad))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(":1: bad count");
    }

    private static ClassificationResult classify(EventClassifier classifier, String type, String value)
            throws Exception {
        return classifier.classify(ClassificationInput.from(event(type, value), "g", null));
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
