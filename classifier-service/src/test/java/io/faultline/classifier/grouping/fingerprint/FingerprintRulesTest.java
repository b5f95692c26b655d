package io.faultline.classifier.grouping.fingerprint;

import static io.faultline.classifier.grouping.fingerprint.TestEvents.SHOP;
import static io.faultline.classifier.grouping.fingerprint.TestEvents.app;
import static io.faultline.classifier.grouping.fingerprint.TestEvents.bookingStack;
import static io.faultline.classifier.grouping.fingerprint.TestEvents.event;
import static io.faultline.classifier.grouping.fingerprint.TestEvents.exception;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.faultline.schemas.ErrorEvent;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FingerprintRulesTest {

    private final Fingerprinter fingerprinter = new Fingerprinter(new DigitMaskingTemplates(), shopRules());

    private static FingerprintRules shopRules() {
        try (InputStream in = FingerprintRulesTest.class.getResourceAsStream("/fingerprint/rules.yaml")) {
            return FingerprintRules.load(in, "rules.yaml");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aMatchingRuleDecidesTheGroupEvenOverAClientFingerprint() {
        ErrorEvent booking = event(SHOP)
                .setTransaction("POST /bookings")
                .setExceptions(List.of(exception(
                        "org.postgresql.util.PSQLException", "Connection refused. Check host", bookingStack(88))))
                .setFingerprint(List.of("client-says-otherwise"))
                .build();
        ErrorEvent report = event(SHOP)
                .setExceptions(List.of(exception(
                        "com.example.db.DatabaseUnavailableException",
                        "connection refused",
                        app("com.example.report.ReportJob", "run", 12))))
                .build();

        GroupingResult first = fingerprinter.group(booking);
        GroupingResult second = fingerprinter.group(report);

        assertThat(second.groupId()).isEqualTo(first.groupId());
        assertThat(first.strategy()).isEqualTo("fingerprint-rule");
        assertThat(first.components()).containsExactly("rule=db-down", "fingerprint=system-down");
        assertThat(first.title()).isEqualTo("Database unavailable (POST /bookings)");
    }

    @Test
    void aRuleThatDoesNotMatchLeavesTheDefaultGrouping() {
        ErrorEvent duplicateKey = event(SHOP)
                .setExceptions(
                        List.of(exception("org.postgresql.util.PSQLException", "duplicate key", bookingStack(88))))
                .build();

        assertThat(fingerprinter.group(duplicateKey).strategy()).isEqualTo("exception-stack");
    }

    @Test
    void aRuleWithDefaultRefinesTheDefaultGroupAndHonoursTagsAndNegation() {
        GroupingResult prod = fingerprinter.group(paymentTimeout("production", "charge"));
        GroupingResult staging = fingerprinter.group(paymentTimeout("staging", "charge"));
        GroupingResult healthCheck = fingerprinter.group(paymentTimeout("production", "healthCheck"));

        assertThat(prod.strategy()).isEqualTo("fingerprint-rule");
        assertThat(prod.components().get(0)).isEqualTo("rule=payment-timeouts");
        assertThat(prod.components().get(1)).isEqualTo("fingerprint=payment-timeout");
        assertThat(prod.components().get(2)).startsWith("default=exception-stack:");
        assertThat(prod.components())
                .contains("default.frame=com.example.payment.StripeClient.charge", "fingerprint=payment-timeout");
        assertThat(staging.strategy()).isEqualTo("exception-stack");
        assertThat(healthCheck.strategy()).isEqualTo("exception-stack");
    }

    private static ErrorEvent paymentTimeout(String environment, String function) {
        return event(SHOP)
                .setTags(Map.of("environment", environment))
                .setExceptions(List.of(exception(
                        "java.net.SocketTimeoutException",
                        "Read timed out",
                        app("com.example.payment.StripeClient", function, 77))))
                .build();
    }

    @Test
    void rulesInSentrySyntaxWork() {
        ErrorEvent acme = quotaExceeded("acme");
        GroupingResult result = fingerprinter.group(acme);

        assertThat(result.components())
                .containsExactly(
                        "rule=error.type:QuotaExceeded error.value:\"*tenant*\"",
                        "fingerprint=quota",
                        "fingerprint=acme");
        assertThat(result.title()).isEqualTo("Quota exceeded");
        assertThat(fingerprinter.group(quotaExceeded("globex")).groupId()).isNotEqualTo(result.groupId());
    }

    private static ErrorEvent quotaExceeded(String tenant) {
        return event(SHOP)
                .setTags(Map.of("tenant", tenant))
                .setExceptions(
                        List.of(exception("com.example.billing.QuotaExceeded", "quota exceeded for TENANT " + tenant)))
                .build();
    }

    @Test
    void sentrySyntaxSupportsNegationQuotesAndCaseInsensitiveMessages() {
        FingerprintRules rules = FingerprintRules.parse(
                """
                rules:
                  - '!stack.module:"com.example.health.*" message:"*READ TIMED OUT*" -> timeout, "{{ default }}" id="timeouts"'
                """,
                "rules.yaml");
        Fingerprinter withRules = new Fingerprinter(new DigitMaskingTemplates(), rules);

        GroupingResult payment = withRules.group(paymentTimeout("production", "charge"));
        GroupingResult health = withRules.group(event(SHOP)
                .setExceptions(List.of(exception(
                        "java.net.SocketTimeoutException",
                        "Read timed out",
                        app("com.example.health.Probe", "ping", 9))))
                .build());

        assertThat(rules.rules()).singleElement().satisfies(rule -> assertThat(rule.origin())
                .isEqualTo("rules.yaml:2"));
        assertThat(payment.components()).first().isEqualTo("rule=timeouts");
        assertThat(payment.components()).contains("fingerprint=timeout");
        assertThat(health.strategy()).isEqualTo("exception-stack");
    }

    @Test
    void typeGlobsMatchTheSimpleOrTheQualifiedName() {
        FingerprintRules rules = FingerprintRules.parse(
                """
                - {match: {type: SocketTimeoutException}, fingerprint: [simple]}
                """,
                "rules.yaml");
        FingerprintRules qualified = FingerprintRules.parse(
                """
                - {match: {error.type: "java.net.*"}, fingerprint: [qualified]}
                """,
                "rules.yaml");

        GroupableEvent timeout = GroupableEvent.from(paymentTimeout("production", "charge"));

        assertThat(rules.firstMatch(timeout)).isPresent();
        assertThat(qualified.firstMatch(timeout)).isPresent();
        assertThat(FingerprintRules.parse("- {match: {type: Socket}, fingerprint: [x]}", "r")
                        .firstMatch(timeout))
                .isEmpty();
    }

    @Test
    void loadsFromAPath(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("rules.json");
        Files.writeString(
                file,
                """
                {"rules": [{"match": {"tags.feature": "checkout"}, "fingerprint": ["checkout", "{{ type }}"]}]}
                """);

        FingerprintRules rules = FingerprintRules.load(file);

        assertThat(rules.rules()).singleElement().satisfies(rule -> {
            assertThat(rule.id()).isEqualTo("tags.feature:checkout");
            assertThat(rule.fingerprint()).containsExactly("checkout", "{{ type }}");
        });
    }

    @Test
    void anEmptyFileHasNoRules() {
        assertThat(FingerprintRules.parse("# nothing yet\n", "empty.yaml").rules())
                .isEmpty();
        assertThat(FingerprintRules.parse("rules:\n", "empty.yaml").rules()).isEmpty();
    }

    @Test
    void anUnknownMatcherIsReportedWithLineRuleAndField() {
        String yaml =
                """
                rules:
                  - id: db-down
                    match:
                      tpye: DatabaseUnavailable
                    fingerprint: [system-down]
                """;

        assertThatThrownBy(() -> FingerprintRules.parse(yaml, "rules.yaml"))
                .isInstanceOfSatisfying(InvalidFingerprintRulesException.class, e -> {
                    assertThat(e.line()).isEqualTo(4);
                    assertThat(e.ruleNumber()).isEqualTo(1);
                    assertThat(e.field()).isEqualTo("match.tpye");
                })
                .hasMessageStartingWith(
                        "invalid fingerprint rules in rules.yaml, line 4, rule #1 'db-down', field 'match.tpye': unknown matcher")
                .hasMessageContaining("type (error.type)");
    }

    @Test
    void anUnquotedDefaultVariableIsExplained() {
        String yaml =
                """
                rules:
                  - match: {type: Foo}
                    fingerprint: [foo]
                  - match: {type: Bar}
                    fingerprint: [bar, {{ default }}]
                """;

        assertThatThrownBy(() -> FingerprintRules.parse(yaml, "rules.yaml"))
                .isInstanceOf(InvalidFingerprintRulesException.class)
                .hasMessageContaining("line 5")
                .hasMessageContaining("quote variables");
    }

    @Test
    void otherMistakesNameWhereTheyAre() {
        assertRejected(
                "rules:\n  - match: {type: Foo}\n", "line 2, rule #1, field 'fingerprint': a rule needs a fingerprint");
        assertRejected(
                "rules:\n  - fingerprint: [x]\n", "line 2, rule #1, field 'match': a rule needs at least one matcher");
        assertRejected(
                "rules:\n  - match: {type: Foo}\n    fingerprint: [\"{{ defualt }}\"]\n",
                "line 3, rule #1, field 'fingerprint': unknown variable {{ defualt }}");
        assertRejected(
                "rules:\n  - match: {type: Foo}\n    fingerprint: [x]\n    titel: Foo\n",
                "line 4, rule #1, field 'titel': unknown field");
        assertRejected(
                "rules:\n  - {id: a, match: {type: Foo}, fingerprint: [x]}\n  - {id: a, match: {type: Bar}, fingerprint: [y]}\n",
                "line 3, rule #2 'a', field 'id': another rule already has this id");
        assertRejected(
                "rules:\n  - 'error.type:Foo system-down'\n", "line 2, rule #1, field 'expression': missing '->'");
        assertRejected(
                "rules:\n  - 'stack.frame:Foo -> x'\n",
                "line 2, rule #1, field 'matcher 'stack.frame'': unknown matcher");
        assertRejected("rules:\n  - match: {type: Foo\n    fingerprint: [x]\n", "not valid YAML or JSON");
        assertRejected("rulez: []\n", "line 1, field 'rulez': unknown top-level key");
    }

    private static void assertRejected(String yaml, String expected) {
        assertThatThrownBy(() -> FingerprintRules.parse(yaml, "rules.yaml"))
                .isInstanceOf(InvalidFingerprintRulesException.class)
                .hasMessageContaining(expected);
    }
}
