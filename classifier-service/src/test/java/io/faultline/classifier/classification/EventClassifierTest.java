package io.faultline.classifier.classification;

import static org.assertj.core.api.Assertions.assertThat;

import io.faultline.classifier.classification.ClassificationInput.ExceptionInfo;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventClassifierTest {

    private static final String RULES =
            """
            workflows: [booking, payment_processing]
            defaults: {severity: medium, category: business_logic, businessImpact: operational}
            typeHierarchy:
              java.net.SocketTimeoutException: java.io.InterruptedIOException
              java.io.InterruptedIOException: java.io.IOException
              requests.exceptions.ConnectTimeout: [requests.exceptions.ConnectionError, requests.exceptions.Timeout]
            rules:
              - id: workflow-tag
                when: {tags: {workflow: ".+"}}
                set: {workflow: "$tag:workflow"}
              - id: checkout-route
                when: {transaction: "(?i)checkout"}
                set: {workflow: payment_processing}
              - id: declined-is-low
                when: {messageContains: [card_declined]}
                set: {severity: low}
              - id: io-failure
                when: {exception: [java.io.IOException]}
                set: {severity: high, category: external_api}
              - id: python-timeout
                when: {exception: [requests.exceptions.Timeout]}
                set: {category: performance}
              - id: payment-status
                when: {httpStatus: ["402", "500-599"], messageMatches: "(?i)stripe"}
                set: {severity: critical, category: payment}
              - id: revenue-impact
                when: {workflow: payment_processing, category: payment, severity: [critical, high]}
                set: {businessImpact: revenue_blocking}
              - id: quiet-unless-fatal
                when: {level: warning}
                unless: {platform: go}
                set: {severity: low}
            """;

    // the rules alone: these tests are about precedence and matching, not the learned fallback
    private final EventClassifier classifier =
            new EventClassifier(rules(RULES), new InMemoryGroupLabelOverrides(), null);

    @Test
    void aRuleOnASupertypeMatchesSubtypesThroughTheTable() {
        ClassificationResult result =
                classifier.classify(javaEvent("java.net.SocketTimeoutException", "Read timed out"));

        assertThat(result.category()).isEqualTo(Category.EXTERNAL_API);
        assertThat(result.ruleFor("category")).isEqualTo("io-failure");
    }

    @Test
    void aTypeWithSeveralParentsMatchesRulesOnEachOfThem() {
        ClassificationResult result = classifier.classify(event(
                List.of(new ExceptionInfo("requests.exceptions.ConnectTimeout", "timed out")),
                null,
                "error",
                Map.of(),
                null,
                null));

        assertThat(result.category()).isEqualTo(Category.PERFORMANCE);
        assertThat(result.ruleFor("category")).isEqualTo("python-timeout");
    }

    @Test
    void aTypeOutsideTheTableMatchesOnlyRulesNamingItExactly() {
        ClassificationResult result =
                classifier.classify(javaEvent("com.example.SocketTimeoutException", "Read timed out"));

        assertThat(result.category()).isEqualTo(Category.BUSINESS_LOGIC);
        assertThat(result.ruleFor("category")).isEqualTo("default");
    }

    @Test
    void theFirstMatchingRuleDecidesEachFieldSoRulesShareAnEvent() {
        ClassificationResult result =
                classifier.classify(javaEvent("java.io.IOException", "stripe error: card_declined"));

        assertThat(result.severity()).isEqualTo(Severity.LOW);
        assertThat(result.ruleFor("severity")).isEqualTo("declined-is-low");
        assertThat(result.category()).isEqualTo(Category.EXTERNAL_API);
        assertThat(result.ruleFor("category")).isEqualTo("io-failure");
    }

    @Test
    void aLaterRuleReadsTheFieldsDecidedBeforeIt() {
        ClassificationResult result = classifier.classify(event(
                List.of(new ExceptionInfo("com.stripe.exception.ApiException", "Stripe API error")),
                null,
                "error",
                Map.of(),
                "POST /api/checkout",
                502));

        assertThat(result.workflow()).isEqualTo("payment_processing");
        assertThat(result.category()).isEqualTo(Category.PAYMENT);
        assertThat(result.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(result.businessImpact()).isEqualTo(BusinessImpact.REVENUE_BLOCKING);
        assertThat(result.rules())
                .containsExactly(
                        "severity=payment-status",
                        "category=payment-status",
                        "businessImpact=revenue-impact",
                        "workflow=checkout-route");
    }

    @Test
    void unlessExcludesAnEventTheRuleWouldOtherwiseMatch() {
        ClassificationResult java = classifier.classify(event(List.of(), "slow", "warning", Map.of(), null, null));
        ClassificationResult go = classifier.classify(new ClassificationInput(
                List.of(), "slow", null, "warning", "go", null, Map.of(), null, null, null, "g", null, List.of(),
                List.of()));

        assertThat(java.ruleFor("severity")).isEqualTo("quiet-unless-fatal");
        assertThat(go.ruleFor("severity")).isEqualTo("default");
    }

    @Test
    void nothingMatchingGivesTheDefaultsAndSaysSo() {
        ClassificationResult result =
                classifier.classify(event(List.of(), "something odd", "error", Map.of(), null, null));

        assertThat(result.severity()).isEqualTo(Severity.MEDIUM);
        assertThat(result.category()).isEqualTo(Category.BUSINESS_LOGIC);
        assertThat(result.businessImpact()).isEqualTo(BusinessImpact.OPERATIONAL);
        assertThat(result.workflow()).isNull();
        assertThat(result.rules())
                .containsExactly("severity=default", "category=default", "businessImpact=default", "workflow=default");
    }

    @Test
    void theWorkflowTagIsTakenWhenItNamesAKnownWorkflow() {
        ClassificationResult known = classifier.classify(
                event(List.of(), "x", "error", Map.of("workflow", "Payment-Processing"), null, null));
        ClassificationResult unknown =
                classifier.classify(event(List.of(), "x", "error", Map.of("workflow", "marketing"), "/checkout", null));

        assertThat(known.workflow()).isEqualTo("payment_processing");
        assertThat(known.ruleFor("workflow")).isEqualTo("workflow-tag");
        assertThat(unknown.workflow()).isEqualTo("payment_processing");
        assertThat(unknown.ruleFor("workflow")).isEqualTo("checkout-route");
    }

    @Test
    void anOverrideWinsForTheGroupsNextEventAndIsReportedAsSuch() {
        ClassificationInput input = javaEvent("java.io.IOException", "boom");
        assertThat(classifier.classify(input).severity()).isEqualTo(Severity.HIGH);

        classifier.relabel(
                input.groupId(), new LabelOverride(Severity.LOW, null, BusinessImpact.MONITORING, "booking"));
        ClassificationResult relabelled = classifier.classify(input);

        assertThat(relabelled.severity()).isEqualTo(Severity.LOW);
        assertThat(relabelled.businessImpact()).isEqualTo(BusinessImpact.MONITORING);
        assertThat(relabelled.workflow()).isEqualTo("booking");
        assertThat(relabelled.category()).isEqualTo(Category.EXTERNAL_API);
        assertThat(relabelled.rules())
                .containsExactly(
                        "severity=override:g-1",
                        "category=io-failure",
                        "businessImpact=override:g-1",
                        "workflow=override:g-1");
    }

    @Test
    void anOverrideTouchesOnlyItsOwnGroupAndCanBeCleared() {
        ClassificationInput mine = javaEvent("java.io.IOException", "boom");
        ClassificationInput other = javaEvent("java.io.IOException", "boom", "g-2");
        classifier.relabel("g-1", new LabelOverride(null, Category.SECURITY, null, null));

        assertThat(classifier.classify(mine).category()).isEqualTo(Category.SECURITY);
        assertThat(classifier.classify(other).category()).isEqualTo(Category.EXTERNAL_API);

        classifier.clearRelabel("g-1");
        assertThat(classifier.classify(mine).category()).isEqualTo(Category.EXTERNAL_API);
    }

    @Test
    void theResultConvertsToTheAvroContract() {
        var avro = classifier.classify(javaEvent("java.io.IOException", "boom")).toAvro();

        assertThat(avro.getSeverity()).isEqualTo("high");
        assertThat(avro.getCategory()).isEqualTo("external_api");
        assertThat(avro.getBusinessImpact()).isEqualTo("operational");
        assertThat(avro.getWorkflow()).isNull();
        assertThat(avro.getRules()).contains("severity=io-failure");
    }

    @Test
    void theShippedRulesClassifyTheCanonicalExamples() {
        EventClassifier shipped = EventClassifier.withDefaultRules();

        ClassificationResult oom = shipped.classify(javaEvent("java.lang.OutOfMemoryError", "Java heap space"));
        ClassificationResult declined =
                shipped.classify(javaEvent("com.stripe.exception.CardException", "Your card was declined."));
        ClassificationResult goDeadline = shipped.classify(new ClassificationInput(
                List.of(new ExceptionInfo("*errors.errorString", "context deadline exceeded")),
                null,
                null,
                "error",
                "go",
                null,
                Map.of(),
                null,
                null,
                null,
                "g",
                null,
                List.of(),
                List.of()));

        assertThat(oom.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(oom.ruleFor("severity")).isEqualTo("out-of-memory");
        assertThat(declined.severity()).isEqualTo(Severity.LOW);
        assertThat(declined.category()).isEqualTo(Category.PAYMENT);
        // the guide: a timeout waiting on a dependency takes the dependency's category
        assertThat(goDeadline.category()).isEqualTo(Category.EXTERNAL_API);
    }

    /**
     * The booking rules read a type's words, not fragments of them: "hold" inside "Threshold",
     * "Overlap" at the head of java.nio's OverlappingFileLockException made both booking errors.
     */
    @Test
    void bookingTypeRulesReadWholeWordsOfTheTypeName() {
        EventClassifier shipped =
                new EventClassifier(ClassificationRules.loadDefault(), new InMemoryGroupLabelOverrides(), null);
        for (String notBooking : List.of(
                "java.nio.channels.OverlappingFileLockException",
                "ThresholdCheckFailed",
                "PlaceholderResolutionFailed")) {
            assertThat(shipped.classify(javaEvent(notBooking, "x")).category())
                    .as(notBooking)
                    .isNotEqualTo(Category.BOOKING);
        }
        for (String booking : List.of(
                "com.acme.booking.SlotUnavailableException",
                "App\\Exceptions\\AppointmentOverlapException",
                "DoubleBookingConflictError",
                "Bookings::SlotHoldFailed",
                "SlotTakenError")) {
            assertThat(shipped.classify(javaEvent(booking, "x")).category())
                    .as(booking)
                    .isEqualTo(Category.BOOKING);
        }
    }

    /**
     * The runtime's generic type does not say which dependency timed out; the library it was raised
     * in does. Without the frameModule condition, these were external_api (a Redis client's connect
     * timeout) and user_experience (a sign-in SDK's timeout in the browser).
     */
    @Test
    void theLibraryAFailureWasRaisedInNamesTheDependency() {
        EventClassifier shipped =
                new EventClassifier(ClassificationRules.loadDefault(), new InMemoryGroupLabelOverrides(), null);
        assertThat(shipped.classify(inLibrary(
                                "node", "Error", "connect ETIMEDOUT", "/srv/node_modules/ioredis/built/Redis.js"))
                        .category())
                .isEqualTo(Category.DATABASE);
        assertThat(shipped.classify(
                                inLibrary("node", "Error", "connect ETIMEDOUT", "/srv/node_modules/got/dist/core.js"))
                        .category())
                .isEqualTo(Category.EXTERNAL_API);
        ClassificationResult signIn = shipped.classify(inLibrary(
                "javascript",
                "TimeoutError",
                "Timeout",
                "webpack://web/./node_modules/@auth0/auth0-spa-js/dist/auth0-spa-js.production.esm.js"));
        assertThat(signIn.category()).isEqualTo(Category.AUTHENTICATION);
        assertThat(signIn.ruleFor("category")).isEqualTo("identity-sdk-in-the-stack");
    }

    /** Only frames that are not the application's name a library: our own module may say "redis". */
    @Test
    void aFrameModuleConditionIgnoresTheApplicationsOwnFrames() {
        EventClassifier classifier = new EventClassifier(
                rules(
                        """
                        workflows: [booking]
                        defaults: {severity: medium, category: business_logic, businessImpact: operational}
                        rules:
                          - id: in-a-redis-client
                            when: {frameModule: "(?i)redis"}
                            set: {category: database}
                        """),
                new InMemoryGroupLabelOverrides(),
                null);
        assertThat(classifier.classify(raisedIn("app.cache.redis", false)).category())
                .isEqualTo(Category.DATABASE);
        assertThat(classifier.classify(raisedIn("app.cache.redis", true)).category())
                .isEqualTo(Category.BUSINESS_LOGIC);
    }

    /**
     * The shipped library rules name clients, not every package that shares a word with one: the
     * review found Moshi (com.squareup) read as a payment, Pikaday and Spring Kafka's listener as a
     * datastore, and Passport's middleware, under every Express route, as sign-in.
     */
    @Test
    void theShippedLibraryRulesStayOffUnrelatedPackages() {
        EventClassifier shipped =
                new EventClassifier(ClassificationRules.loadDefault(), new InMemoryGroupLabelOverrides(), null);
        assertThat(shipped.classify(
                                inLibrary("java", "JsonDataException", "Expected BEGIN_OBJECT", "com.squareup.moshi"))
                        .category())
                .isNotEqualTo(Category.PAYMENT);
        assertThat(shipped.classify(
                                inLibrary("node", "TypeError", "Request timed out", "node_modules/pikaday/pikaday.js"))
                        .category())
                .isNotEqualTo(Category.DATABASE);
        assertThat(shipped.classify(inLibrary(
                                "java",
                                "java.net.SocketTimeoutException",
                                "Read timed out",
                                "org.springframework.kafka.listener.KafkaMessageListenerContainer$ListenerConsumer"))
                        .category())
                .isEqualTo(Category.EXTERNAL_API);
        assertThat(shipped.classify(inLibrary(
                                "node",
                                "TypeError",
                                "Cannot read properties of undefined (reading 'startsAt')",
                                "node_modules/passport/lib/middleware/initialize.js"))
                        .category())
                .isNotEqualTo(Category.AUTHENTICATION);
        assertThat(shipped.classify(inLibrary("java", "SquareException", "Bad Request", "com.squareup.square.http"))
                        .category())
                .isEqualTo(Category.PAYMENT);
    }

    private static ClassificationInput raisedIn(String module, boolean inApp) {
        io.faultline.schemas.ErrorEvent event = ClassificationInputTest.base()
                .setPlatform("node")
                .setExceptions(List.of(io.faultline.schemas.ExceptionValue.newBuilder()
                        .setType("Error")
                        .setValue("boom")
                        .setFrames(List.of(ClassificationInputTest.frame(module, inApp)))
                        .build()))
                .build();
        return ClassificationInput.from(event, "g-1", null);
    }

    static ClassificationInput inLibrary(String platform, String type, String value, String libraryModule) {
        return exceptionEvent(platform, type, value, "g-1", List.of(libraryModule));
    }

    private static ClassificationInput javaEvent(String type, String value) {
        return javaEvent(type, value, "g-1");
    }

    private static ClassificationInput javaEvent(String type, String value, String groupId) {
        return exceptionEvent("java", type, value, groupId, List.of());
    }

    private static ClassificationInput exceptionEvent(
            String platform, String type, String value, String groupId, List<String> libraryModules) {
        return new ClassificationInput(
                List.of(new ExceptionInfo(type, value)),
                null,
                null,
                "error",
                platform,
                null,
                Map.of(),
                null,
                null,
                null,
                groupId,
                null,
                List.of(),
                libraryModules);
    }

    private static ClassificationInput event(
            List<ExceptionInfo> chain,
            String message,
            String level,
            Map<String, String> tags,
            String transaction,
            Integer status) {
        return new ClassificationInput(
                chain,
                message,
                null,
                level,
                "java",
                null,
                tags,
                transaction,
                status,
                null,
                "g-1",
                null,
                List.of(),
                List.of());
    }

    static ClassificationRules rules(String yaml) {
        return ClassificationRules.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test.yaml");
    }
}
