package io.faultline.classifier.classification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassificationRulesTest {

    private static final String HEAD =
            """
            workflows: [booking]
            defaults: {severity: medium, category: business_logic, businessImpact: operational}
            """;

    @Test
    void theShippedFileLoadsWithItsDefaultsAndManyRules() {
        ClassificationRules rules = ClassificationRules.loadDefault();

        assertThat(rules.rules()).hasSizeGreaterThan(100);
        assertThat(rules.workflows()).contains("booking", "payment_processing", "professional_growth");
        assertThat(rules.hierarchy().isA("java.net.SocketTimeoutException", "java.io.IOException"))
                .isTrue();
        assertThat(rules.hierarchy().isA("org.postgresql.util.PSQLException", "java.sql.SQLException"))
                .isTrue();
        assertThat(rules.hierarchy().isA("requests.exceptions.ReadTimeout", "OSError"))
                .isTrue();
    }

    @Test
    void anOperatorFileLoadsFromAPath(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("rules.json");
        Files.writeString(
                file,
                """
                {"workflows": [], "defaults": {"severity": "low", "category": "database", "businessImpact": "monitoring"},
                 "rules": [{"id": "all-critical", "set": {"severity": "critical"}}]}
                """);

        ClassificationRules rules = ClassificationRules.load(file);

        assertThat(rules.rules()).extracting(ClassificationRule::id).containsExactly("all-critical");
        assertThat(rules.defaultCategory()).isEqualTo(Category.DATABASE);
    }

    /** Seven shipped PHP types were written so and never matched (Symfony's TooManyRequestsHttpException among them). */
    @Test
    void aPhpTypeWithDoubledBackslashesIsRejectedNotNeverMatched() {
        assertFault(
                """
                rules:
                  - id: throttled
                    when: {exception: [Symfony\\\\Component\\\\HttpKernel\\\\Exception\\\\TooManyRequestsHttpException]}
                    set: {category: security}
                """,
                "throttled",
                "when.exception",
                "doubled backslash");
    }

    @Test
    void anUnknownSeverityNamesTheRuleAndTheField() {
        assertFault(
                """
                rules:
                  - id: oom
                    when: {exception: [java.lang.OutOfMemoryError]}
                    set: {severity: catastrophic}
                """,
                "oom",
                "set.severity",
                "unknown value 'catastrophic'");
    }

    @Test
    void aBrokenRegexNamesTheRuleAndTheField() {
        assertFault(
                """
                rules:
                  - id: timeouts
                    when: {messageMatches: "(timed out"}
                    set: {category: performance}
                """,
                "timeouts",
                "when.messageMatches",
                "invalid regular expression");
    }

    @Test
    void aBadStatusRangeNamesTheRuleAndTheField() {
        assertFault(
                """
                rules:
                  - id: server-errors
                    when: {httpStatus: ["5xx"]}
                    set: {severity: high}
                """,
                "server-errors",
                "when.httpStatus",
                "'5xx' is not a status or a range");
    }

    @Test
    void aMisspelledConditionIsRejectedNotIgnored() {
        assertFault(
                """
                rules:
                  - id: typo
                    when: {exeption: [java.io.IOException]}
                    set: {severity: high}
                """,
                "typo",
                "when.exeption",
                "unknown field");
    }

    @Test
    void aRuleMayNotReadAFieldDecidedAfterTheOneItSets() {
        assertFault(
                """
                rules:
                  - id: circular
                    when: {category: [payment]}
                    set: {category: booking}
                """,
                "circular",
                "when.category",
                "cannot condition on category");
    }

    @Test
    void aWorkflowOutsideTheListIsRejected() {
        assertFault(
                """
                rules:
                  - id: wf
                    when: {transaction: "shop"}
                    set: {workflow: shopping}
                """,
                "wf",
                "set.workflow",
                "'shopping' is not in 'workflows'");
    }

    @Test
    void duplicateRuleIdsAreRejected() {
        assertFault(
                """
                rules:
                  - id: same
                    set: {severity: high}
                  - id: same
                    set: {severity: low}
                """,
                "same",
                "id",
                "duplicate rule id");
    }

    @Test
    void aRuleWithoutIdIsNamedByItsPosition() {
        assertFault(
                """
                rules:
                  - id: first
                    set: {severity: high}
                  - when: {level: fatal}
                    set: {severity: critical}
                """,
                "#2",
                "id",
                "required");
    }

    @Test
    void aRuleThatSetsNothingIsRejected() {
        assertFault(
                """
                rules:
                  - id: empty
                    when: {level: fatal}
                """,
                "empty",
                "set",
                "required");
    }

    @Test
    void aCycleInTheTypeTableIsRejected() {
        assertThatThrownBy(
                        () -> EventClassifierTest.rules(
                                HEAD
                                        + """
                        typeHierarchy:
                          a.A: b.B
                          b.B: a.A
                        """))
                .isInstanceOf(RuleFileException.class)
                .hasMessageContaining("cycle")
                .satisfies(e -> assertThat(((RuleFileException) e).field()).startsWith("typeHierarchy."));
    }

    @Test
    void aKeyWrittenTwiceIsRejected() {
        assertThatThrownBy(
                        () -> EventClassifierTest.rules(
                                HEAD
                                        + """
                        typeHierarchy:
                          a.A: b.B
                          a.A: c.C
                        """))
                .isInstanceOf(RuleFileException.class)
                .hasMessageContaining("a.A");
    }

    @Test
    void missingDefaultsAreRejected() {
        assertThatThrownBy(() -> EventClassifierTest.rules("rules: []"))
                .isInstanceOf(RuleFileException.class)
                .hasMessageContaining("defaults");
    }

    @Test
    void textThatIsNotYamlSaysWhere() {
        assertThatThrownBy(() -> EventClassifierTest.rules("rules: [ {id: x"))
                .isInstanceOf(RuleFileException.class)
                .hasMessageStartingWith("test.yaml: not valid YAML or JSON");
    }

    private static void assertFault(String rules, String ruleId, String field, String problem) {
        assertThatThrownBy(() -> EventClassifierTest.rules(HEAD + rules))
                .isInstanceOf(RuleFileException.class)
                .hasMessageContaining("rule '" + ruleId + "'")
                .hasMessageContaining("field '" + field + "'")
                .hasMessageContaining(problem)
                .satisfies(e -> {
                    RuleFileException fault = (RuleFileException) e;
                    assertThat(fault.ruleId()).isEqualTo(ruleId);
                    assertThat(fault.field()).isEqualTo(field);
                });
    }
}
