package io.faultline.classifier.classification;

import static org.assertj.core.api.Assertions.assertThat;

import io.faultline.classifier.classification.ClassificationInput.ExceptionInfo;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The cache must never change an answer: every classification equals the rules' own. */
class ClassificationCacheTest {

    private final ClassificationRules rules = ClassificationRules.loadDefault();

    private static ClassificationInput event(String type, String value, Map<String, String> tags) {
        return new ClassificationInput(
                List.of(new ExceptionInfo(type, value)),
                null,
                null,
                "error",
                "java",
                null,
                tags,
                null,
                null,
                null,
                "g-1",
                null,
                List.of(),
                List.of());
    }

    /** What the rules say with nothing remembered: a fresh classifier per event. */
    private ClassificationResult uncached(ClassificationInput input) {
        return new EventClassifier(rules, new InMemoryGroupLabelOverrides()).classify(input);
    }

    @Test
    void everyLabelledEventGetsTheRulesOwnAnswerWhenClassifiedAfterAllTheOthers() {
        EventClassifier shared = new EventClassifier(rules, new InMemoryGroupLabelOverrides());
        List<LabelledEvents.Labelled> events = LabelledEvents.load();
        for (int pass = 0; pass < 2; pass++) {
            for (LabelledEvents.Labelled labelled : events) {
                assertThat(shared.classify(labelled.input())).as(labelled.id()).isEqualTo(uncached(labelled.input()));
            }
        }
    }

    /** The rules read the library frames (frameModule), so two events differing only there must not share an entry. */
    @Test
    void eventsRaisedInDifferentLibrariesDoNotShareAnEntry() {
        // no learned fallback: its context would key the frames anyway and hide a key without them
        EventClassifier shared = new EventClassifier(rules, new InMemoryGroupLabelOverrides(), null);
        ClassificationInput redis = EventClassifierTest.inLibrary(
                "node", "Error", "connect ETIMEDOUT", "node_modules/ioredis/built/Redis.js");
        ClassificationInput http =
                EventClassifierTest.inLibrary("node", "Error", "connect ETIMEDOUT", "node_modules/got/dist/core.js");
        assertThat(shared.classify(redis).category()).isEqualTo(Category.DATABASE);
        assertThat(shared.classify(http).category()).isEqualTo(Category.EXTERNAL_API);
    }

    private static ClassificationInput request(String path) {
        return new ClassificationInput(
                List.of(new ExceptionInfo("java.lang.IllegalStateException", "state refused")),
                null,
                null,
                "error",
                "java",
                null,
                Map.of(),
                null,
                null,
                null,
                "g-1",
                path,
                List.of("com.example.web.Controller.handle"),
                List.of());
    }

    /**
     * The rules read a request path only for the workflow its words name and whether it is a
     * background job: requests to /api/bookings/4711 and /api/bookings/4712 share one answer,
     * where the path in the cache's key made every request with an id a miss (review). The learned
     * fallback reads the path's words (never its digits), so /api/bookings/1, without "confirm", is
     * an answer of its own.
     */
    @Test
    void requestsThatDifferOnlyInTheIdsOfTheirPathShareTheAnswerAndAnotherWorkflowDoesNot() {
        EventClassifier shared = new EventClassifier(rules, new InMemoryGroupLabelOverrides());
        for (int id = 4700; id < 4900; id++) {
            ClassificationInput input = request("/api/bookings/" + id + "/confirm");
            assertThat(shared.classify(input)).isEqualTo(uncached(input));
        }
        assertThat(shared.cachedAnswers()).isEqualTo(1);
        for (String path : List.of("/api/payments/77/capture", "/webhooks/stripe", "/api/bookings/1")) {
            ClassificationInput input = request(path);
            assertThat(shared.classify(input)).as(path).isEqualTo(uncached(input));
        }
        assertThat(shared.cachedAnswers()).isEqualTo(4);
    }

    /**
     * The fallback's part of the key was every word of the path, so the letters inside a UUID
     * ("/api/bookings/3f2a9c1e-.../confirm" gave "u:abcdef") or a user's slug made one key per
     * request, each a miss that ran every rule (review: 3,058 keys for 10,000 UUID paths). Only
     * the words the model has weights for can change its answer, so only those are keyed.
     */
    @Test
    void requestsThatDifferOnlyInAUuidOrSlugOfTheirPathShareTheAnswer() {
        EventClassifier shared = new EventClassifier(rules, new InMemoryGroupLabelOverrides());
        java.util.Random random = new java.util.Random(25);
        for (int i = 0; i < 200; i++) {
            ClassificationInput uuid =
                    request("/api/bookings/" + new java.util.UUID(random.nextLong(), random.nextLong()) + "/confirm");
            assertThat(shared.classify(uuid)).isEqualTo(uncached(uuid));
            // six random letters: a name no vocabulary holds ("slice" was one when it was "?lice?")
            StringBuilder name = new StringBuilder("u");
            for (int c = 0; c < 6; c++) {
                name.append((char) ('a' + random.nextInt(26)));
            }
            ClassificationInput slug = request("/u/" + name + "Smith/bookings/confirm");
            assertThat(shared.classify(slug)).isEqualTo(uncached(slug));
        }
        // one key per request would be 400; a UUID's hex may spell a word the model knows ("add",
        // "fade") and key apart, a few times in 200
        assertThat(shared.cachedAnswers()).isLessThanOrEqualTo(10);
    }

    @Test
    void eventsThatDifferOnlyInDigitsARuleReadsAreNotAnsweredFromTheCache() {
        EventClassifier shared = new EventClassifier(rules, new InMemoryGroupLabelOverrides());
        ClassificationInput serverError =
                event("org.springframework.web.client.HttpServerErrorException", "503 Service Unavailable", Map.of());
        ClassificationInput sameShape =
                event("org.springframework.web.client.HttpServerErrorException", "403 Service Unavailable", Map.of());

        ClassificationResult first = shared.classify(serverError);
        ClassificationResult second = shared.classify(sameShape);

        assertThat(first).isEqualTo(uncached(serverError));
        assertThat(second).isEqualTo(uncached(sameShape));
    }

    @Test
    void eventsThatDifferOnlyInDigitsNoRuleReadsShareTheAnswer() {
        EventClassifier shared = new EventClassifier(rules, new InMemoryGroupLabelOverrides());
        for (int ms = 1; ms < 2000; ms += 97) {
            ClassificationInput input = event(
                    "java.sql.SQLTransientConnectionException",
                    "HikariPool-1 - Connection is not available, request timed out after " + ms + "ms.",
                    Map.of("workflow", "booking"));
            assertThat(shared.classify(input)).isEqualTo(uncached(input));
        }
    }

    @Test
    void aRelabelAppliesToTheGroupsNextEventEvenWhenItsShapeWasSeen() {
        EventClassifier shared = new EventClassifier(rules, new InMemoryGroupLabelOverrides());
        ClassificationInput input = event("java.net.SocketTimeoutException", "Read timed out after 30000 ms", Map.of());
        shared.classify(input);

        shared.relabel("g-1", new LabelOverride(Severity.LOW, null, null, null));

        ClassificationResult relabelled = shared.classify(input);
        assertThat(relabelled.severity()).isEqualTo(Severity.LOW);
        assertThat(relabelled.ruleFor("severity")).isEqualTo("override:g-1");
    }

    @Test
    void aDigitWidenedPatternAcceptsEveryDigitTheOriginalDoes() {
        RuleCondition widened = new RuleCondition(
                        null,
                        null,
                        null,
                        java.util.regex.Pattern.compile("(?i)(\\b40[13]\\b|HV\\d{6}|SQLSTATE 53\\d\\d\\d)"),
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null)
                .digitBlindSuperset();

        assertThat(widened.messagePattern().pattern())
                .isEqualTo("(?i)(\\b\\d\\d\\d\\b|HV\\d{6}|SQLSTATE \\d\\d\\d\\d\\d)");
        assertThat(widened.matchesText(event("X", "status 000", Map.of()))).isTrue();
        assertThat(widened.matchesText(event("X", "SQLSTATE 00000", Map.of()))).isTrue();
    }
}
