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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TokenFallbackTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path LABELLED = Path.of("src/test/resources/labelled-events.jsonl");

    @Test
    void aLibraryFrameReadsAsItsPackage() {
        assertThat(packageTokens("django.db.backends.utils")).containsExactly("fw:django", "fw:django.db");
        assertThat(packageTokens("/usr/lib/python3.12/site-packages/sqlalchemy/engine/base.py"))
                .containsExactly("fw:sqlalchemy");
        assertThat(packageTokens("webpack:///./node_modules/@stripe/stripe-js/dist/stripe.js"))
                .containsExactly("fw:@stripe/stripe-js");
        assertThat(packageTokens("/app/vendor/bundle/ruby/3.3.0/gems/activerecord-7.1.2/lib/active_record/base.rb"))
                .containsExactly("fw:activerecord");
        assertThat(packageTokens("Npgsql")).containsExactly("fw:npgsql");
    }

    private static Set<String> packageTokens(String module) {
        Set<String> tokens = new LinkedHashSet<>();
        TokenFallback.packageTokens(module, tokens);
        return tokens;
    }

    /**
     * Rules that know "boom", one generic heuristic and a tag the model cannot see; everything else
     * is left to the defaults.
     */
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
                      - id: team-a-is-security
                        when: {tags: {team: "^a$"}}
                        set: {category: security}
                      - id: team-b-is-database
                        when: {tags: {team: "^b$"}}
                        set: {category: database}
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
        assertThat(disk.ruleFor("category")).isEqualTo(TokenFallback.MODEL_RULE_ID);
        assertThat(disk.ruleFor("severity")).isEqualTo(TokenFallback.MODEL_RULE_ID);
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
        assertThat(quota.ruleFor("category")).isEqualTo(TokenFallback.MODEL_RULE_ID);
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
        assertThat(category.get("decidedBy")).isEqualTo(TokenFallback.MODEL_RULE_ID);
        @SuppressWarnings("unchecked")
        Map<String, Object> model = (Map<String, Object>) category.get("model");
        assertThat(model.get("value")).isEqualTo("performance");
        assertThat((Double) model.get("probability")).isGreaterThanOrEqualTo(TokenFallback.DEFAULT.minProbability());
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
     * The shipped model is the one the labelled set and the training sets beside it train: change a
     * set, add one (or change the tokens) and this fails until the file is regenerated with {@code
     * TokenFallback.main}.
     */
    @Test
    void theShippedModelIsTrainedOnTheCurrentTrainingFiles() throws Exception {
        String trained = TokenFallback.train(
                        ClassificationEvaluation.loadAll(ClassificationEvaluation.trainingFiles(LABELLED)))
                .write();
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
                .hasMessageContaining(":1: not a model line");
        var badWeight = new ByteArrayInputStream(
                "classes\tseverity\thigh,low\nbias\tseverity\t1,x\n".getBytes(StandardCharsets.UTF_8));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TokenFallback.read(badWeight))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(":2: bad bias");
        var tooFew = new ByteArrayInputStream(
                "classes\tseverity\thigh,low\nweight\tseverity\tw:x\t1\n".getBytes(StandardCharsets.UTF_8));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TokenFallback.read(tooFew))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(":2: bad weight: 1 values for 2 classes");
    }

    @Test
    void typeNamesReadAsWordsWhateverTheEcosystemsSeparator() {
        assertThat(typeTokens("Stripe::CardError"))
                .contains("tw:stripe", "tw:card", "ts:carderror", "pk:stripe", "type:Stripe::CardError");
        assertThat(typeTokens("Stripe\\Exception\\CardException"))
                .contains("tw:stripe", "tw:card", "ts:cardexception", "pk:stripe", "pk:stripe.exception");
        assertThat(typeTokens("org.postgresql.util.PSQLException"))
                .contains("pk:org.postgresql", "ts:psqlexception", "tw:postgresql", "tw:psql");
        assertThat(typeTokens("ActiveRecord::ConnectionNotEstablished"))
                .contains("tw:active", "tw:record", "tw:connection", "tw:established", "pk:activerecord");
    }

    @Test
    void messagesReadWithoutHostsUrlsOrNumbers() {
        Set<String> tokens = new LinkedHashSet<>();
        TokenFallback.text(
                "Connection to db-7.internal:5432 refused after 3000ms; GET https://api.stripe.com/v1/charges"
                        + " from 10.0.3.7 at /var/lib/app/data for 'jane.doe@example.org' booking"
                        + " 3f2a9c1e-7b4d-4e8a-9c2f-abcdef012345 trace deadbeef01 (redis.cache.svc)"
                        + " caused by java.net.ConnectException in django.db.utils",
                "w:",
                tokens);

        assertThat(tokens)
                .contains("w:connection", "w:refused", "w:after", "w:#host", "w:#url", "w:#path", "w:get")
                .contains("w:#email", "w:#id", "w:booking", "w:trace")
                .contains("w:java", "w:net", "w:connect", "w:exception", "w:django", "w:utils")
                .doesNotContain("w:redis", "w:cache")
                .doesNotContain("w:internal", "w:stripe", "w:charges", "w:var", "w:ms")
                .doesNotContain("w:jane", "w:doe", "w:example", "w:abcdef", "w:deadbeef")
                .noneMatch(t -> t.chars().anyMatch(Character::isDigit));
    }

    @Test
    void tokensNeverTellDigitsApartSoTheCacheKeepsTheModelsAnswer() throws Exception {
        ErrorEvent one = sentry(
                "{\"exception\": {\"values\": [{\"type\": \"HTTPError\", \"value\": \"503 from 10.1.2.3:8080 req-42\"}]},"
                        + " \"request\": {\"url\": \"https://x.test/api/bookings/4711/confirm\"}}");
        ErrorEvent other = sentry(
                "{\"exception\": {\"values\": [{\"type\": \"HTTPError\", \"value\": \"500 from 10.9.8.7:9090 req-77\"}]},"
                        + " \"request\": {\"url\": \"https://x.test/api/bookings/815/confirm\"}}");

        assertThat(TokenFallback.tokens(ClassificationInput.from(other, "g", null), "booking"))
                .isEqualTo(TokenFallback.tokens(ClassificationInput.from(one, "g", null), "booking"));
    }

    @Test
    void theRequestPathAndTheFramesAreTokensAndKeyTheCache() throws Exception {
        String frames = "\"stacktrace\": {\"frames\": ["
                + "{\"module\": \"sqlalchemy.engine.base\", \"function\": \"execute\", \"in_app\": false},"
                + "{\"module\": \"app.billing.invoices\", \"function\": \"issueInvoice\", \"in_app\": true}]}";
        String route = "\"transaction\": \"GET /api/reports/{id}/export\", ";
        ErrorEvent withFrames =
                sentry("{" + route + "\"exception\": {\"values\": [{\"type\": \"WeirdThing\"," + " \"value\": \"odd\", "
                        + frames + "}]}, \"request\": {\"url\": \"https://x.test/api/reports/77/export?x=1\"}}");
        ErrorEvent otherPath =
                sentry("{" + route + "\"exception\": {\"values\": [{\"type\": \"WeirdThing\"," + " \"value\": \"odd\", "
                        + frames + "}]}, \"request\": {\"url\": \"https://x.test/api/reports/78/export\"}}");
        ErrorEvent noFrames = sentry("{" + route + "\"exception\": {\"values\": [{\"type\": \"WeirdThing\","
                + " \"value\": \"odd\"}]}, \"request\": {\"url\": \"https://x.test/api/reports/77/export\"}}");

        List<String> tokens = TokenFallback.tokens(ClassificationInput.from(withFrames, "g", null), null);
        assertThat(tokens)
                .contains("u:reports", "u:export", "inapp", "fa:billing", "fa:invoices", "fa:issue", "fw:sqlalchemy")
                .doesNotContain("fw:billing", "fa:sqlalchemy");

        EventClassifier classifier = EventClassifier.withDefaultRules();
        classifier.classify(ClassificationInput.from(withFrames, "g", null));
        classifier.classify(ClassificationInput.from(otherPath, "g", null));
        assertThat(classifier.cachedAnswers())
                .as("an id in the path shares the answer")
                .isEqualTo(1);
        classifier.classify(ClassificationInput.from(noFrames, "g", null));
        assertThat(classifier.cachedAnswers())
                .as("the model reads frames, so they key the answer")
                .isEqualTo(2);
    }

    @Test
    void severityReadsTheCategoryTheEventEndedWith() throws Exception {
        List<ClassificationEvaluation.Labelled> training = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            training.add(labelled("s" + i, "WidgetFault", "widget fault " + i, "low", "security"));
            training.add(labelled("d" + i, "WidgetFault", "widget fault " + i, "critical", "database"));
        }
        EventClassifier classifier =
                new EventClassifier(FEW_RULES, new InMemoryGroupLabelOverrides(), TokenFallback.train(training));

        ClassificationResult a = classifier.classify(ClassificationInput.from(tagged("a"), "g", null));
        ClassificationResult b = classifier.classify(ClassificationInput.from(tagged("b"), "g", null));

        assertThat(a.category()).isEqualTo(Category.SECURITY);
        assertThat(a.severity()).isEqualTo(Severity.LOW);
        assertThat(a.ruleFor("severity")).isEqualTo(TokenFallback.MODEL_RULE_ID);
        assertThat(b.category()).isEqualTo(Category.DATABASE);
        assertThat(b.severity()).isEqualTo(Severity.CRITICAL);
    }

    @Test
    void naiveBayesStillTrainsForComparison() throws Exception {
        TokenFallback.Config bayes =
                new TokenFallback.Config(TokenFallback.Kind.NAIVE_BAYES, 0, 0, 0, 1.0, 0.95, false, false);
        EventClassifier classifier = new EventClassifier(
                FEW_RULES, new InMemoryGroupLabelOverrides(), TokenFallback.train(training(), bayes));

        ClassificationResult disk = classify(classifier, "DiskMissingError", "disk vanished on node 99");

        assertThat(disk.category()).isEqualTo(Category.PERFORMANCE);
        assertThat(disk.ruleFor("category")).isEqualTo(TokenFallback.MODEL_RULE_ID);
    }

    private static ErrorEvent tagged(String team) throws Exception {
        return sentry("{\"tags\": {\"team\": \"" + team
                + "\"}, \"exception\": {\"values\": [{\"type\": \"WidgetFault\", \"value\": \"widget fault 99\"}]}}");
    }

    private static ErrorEvent sentry(String json) throws Exception {
        return SentryEventJson.read(JSON.readTree(json));
    }

    private static Set<String> typeTokens(String type) {
        Set<String> tokens = new LinkedHashSet<>();
        TokenFallback.typeTokens(type, tokens);
        return tokens;
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
