package io.faultline.resolver.runbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RunbookParserTest {

    private final RunbookParser parser =
            new RunbookParser(Set.of("webhook", "redrive", "kubernetes", "notify"), Set.of("slack", "pagerduty"));

    @Test
    void theShippedExampleParsesAndIsAllDryRun() throws IOException {
        String yaml;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("runbooks.yaml")) {
            yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<Runbook> runbooks = parser.parse(yaml, "runbooks.yaml");

        assertThat(runbooks)
                .extracting(Runbook::id)
                .containsExactly(
                        "payments-gateway-timeouts",
                        "catalogue-cache-fallback",
                        "order-events-redrive",
                        "checkout-spike");
        assertThat(runbooks).allMatch(Runbook::dryRun);
        Runbook payments = runbooks.get(0);
        assertThat(payments.actions()).extracting(ActionSpec::strategy).containsExactly("webhook", "kubernetes");
        assertThat(payments.actions().get(0).backoff())
                .isEqualTo(new BackoffPolicy(Duration.ofSeconds(2), Duration.ofSeconds(30), 2, 0.2));
        assertThat(payments.actions().get(0).parameters().get("body")).contains("\"group\":\"${group.id}\"");
        assertThat(payments.verification()).contains(new VerificationSpec.RateBelow(1, Duration.ofMinutes(2)));
        assertThat(payments.escalation().channels()).containsExactly("slack", "pagerduty");
        assertThat(runbooks.get(2).actions().get(0).maxAttempts()).isEqualTo(3);
    }

    @Test
    void defaultsApplyWhenFieldsAreLeftOut() {
        Runbook r = parser.parse(
                        """
                        runbooks:
                          - id: minimal
                            actions:
                              - {name: poke, strategy: webhook, parameters: {url: "http://x"}}
                              - {name: again, strategy: redrive}
                        """,
                        "f.yaml")
                .get(0);

        assertThat(r.enabled()).isTrue();
        assertThat(r.dryRun()).isFalse();
        assertThat(r.window()).isEqualTo(Duration.ofMinutes(10));
        assertThat(r.maxActionsPerHour()).isEqualTo(10);
        assertThat(r.actions().get(0).maxAttempts()).isEqualTo(1);
        assertThat(r.actions().get(0).target()).isEqualTo("poke");
        assertThat(r.actions().get(0).timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(r.actions().get(1).maxAttempts())
                .as("redrive retries by default")
                .isEqualTo(3);
        assertThat(r.verification()).isEmpty();
        assertThat(r.escalation()).isEqualTo(EscalationSpec.NONE);
    }

    @Test
    void anUnknownStrategyNamesTheRunbookAndTheField() {
        assertThatThrownBy(() -> parser.parse(
                        """
                        runbooks:
                          - id: restart-it
                            actions:
                              - {name: a, strategy: webhook, parameters: {url: "http://x"}}
                              - {name: b, strategy: reboot}
                        """,
                        "ops.yaml"))
                .isInstanceOf(RunbookFileException.class)
                .hasMessage("ops.yaml: runbook 'restart-it': actions[1].strategy: unknown strategy 'reboot'"
                        + " (known: kubernetes, notify, redrive, webhook)");
    }

    @Test
    void quietForMayWaitForItsQuietStretchWithinALongerAllowance() {
        Runbook r = parser.parse(
                        """
                        runbooks:
                          - id: db
                            actions: [{name: a, strategy: redrive}]
                            verification: {quietFor: 3s, within: 10s}
                        """,
                        "ops.yaml")
                .get(0);
        assertThat(r.verification())
                .contains(new VerificationSpec.QuietFor(Duration.ofSeconds(3), Duration.ofSeconds(10)));
        assertThatThrownBy(() -> parser.parse(
                        """
                        runbooks:
                          - id: db
                            actions: [{name: a, strategy: redrive}]
                            verification: {quietFor: 3s, within: 2s}
                        """,
                        "ops.yaml"))
                .hasMessageContaining("verification.within: must be at least 'quietFor'");
    }

    @Test
    void aCategorySeverityOrImpactOutsideTheClassifiersVocabularyIsAnError() {
        assertThatThrownBy(() -> parser.parse(
                        """
                        runbooks:
                          - id: gateway
                            match: {categories: [payment, timeout]}
                            actions: [{name: a, strategy: redrive}]
                        """,
                        "ops.yaml"))
                .hasMessage("ops.yaml: runbook 'gateway': match.categories: unknown category 'timeout' (allowed:"
                        + " authentication, payment, booking, database, external_api, validation, performance,"
                        + " security, user_experience, business_logic)");
        assertThatThrownBy(() -> parser.parse(
                        """
                        runbooks:
                          - id: sev
                            match: {severities: [urgent]}
                            actions: [{name: a, strategy: redrive}]
                        """,
                        "ops.yaml"))
                .hasMessage("ops.yaml: runbook 'sev': match.severities: unknown severity 'urgent' (allowed:"
                        + " critical, high, medium, low, info)");
        assertThatThrownBy(() -> parser.parse(
                        """
                        runbooks:
                          - id: money
                            match: {businessImpacts: revenue}
                            actions: [{name: a, strategy: redrive}]
                        """,
                        "ops.yaml"))
                .hasMessageContaining("runbook 'money': match.businessImpacts: unknown business impact 'revenue'")
                .hasMessageContaining("revenue_blocking, user_blocking, experience_degrading, operational, monitoring");
    }

    @Test
    void aMisspelledFieldIsAnErrorNotASilentlyIgnoredCriterion() {
        assertThatThrownBy(() -> parser.parse(
                        """
                        runbooks:
                          - id: typo
                            match: {categorys: [database]}
                            actions: [{name: a, strategy: redrive}]
                        """,
                        "ops.yaml"))
                .hasMessageStartingWith("ops.yaml: runbook 'typo': match.categorys: unknown field");
    }

    @Test
    void badValuesAreReportedWithTheirField() {
        assertThatThrownBy(() -> parse("actions: [{name: a, strategy: redrive, timeout: 10x}]"))
                .hasMessage(
                        "f.yaml: runbook 'r': actions[0].timeout: '10x' is not a duration (e.g. 500ms, 10s, 5m, 1h)");
        assertThatThrownBy(
                        () -> parse("match: {messageRegex: '(unclosed'}\n    actions: [{name: a, strategy: redrive}]"))
                .hasMessageStartingWith("f.yaml: runbook 'r': match.messageRegex: invalid regular expression");
        assertThatThrownBy(() -> parse("actions: [{name: a, strategy: redrive, backoff: {jitter: 2}}]"))
                .hasMessage("f.yaml: runbook 'r': actions[0].backoff.jitter: must be between 0 and 1");
        assertThatThrownBy(
                        () -> parse(
                                "actions: [{name: a, strategy: redrive}]\n    verification: {quietFor: 5s, rateBelowPerMinute: 2}"))
                .hasMessageContaining("runbook 'r': verification: give exactly one of");
        assertThatThrownBy(() -> parse("actions: [{name: a, strategy: redrive}]\n    escalation: {notify: [email]}"))
                .hasMessage(
                        "f.yaml: runbook 'r': escalation.notify: unknown channel 'email' (known: pagerduty, slack)");
        assertThatThrownBy(() -> parse("actions: []"))
                .hasMessage("f.yaml: runbook 'r': actions: at least one action is required");
        // a negative window would judge an empty stretch after the action and always pass
        assertThatThrownBy(() -> parse("actions: [{name: a, strategy: redrive}]\n    verification: {quietFor: -5}"))
                .hasMessage("f.yaml: runbook 'r': verification.quietFor: must not be negative");
        assertThatThrownBy(
                        () -> parse(
                                "actions: [{name: a, strategy: redrive}]\n    verification: {rateBelowPerMinute: 1, within: -60}"))
                .hasMessage("f.yaml: runbook 'r': verification.within: must not be negative");
        assertThatThrownBy(() -> parse("actions: [{name: a, strategy: redrive, timeout: -1}]"))
                .hasMessage("f.yaml: runbook 'r': actions[0].timeout: must not be negative");
    }

    @Test
    void keysBesideRunbooksAreRefusedRatherThanIgnored() {
        assertThatThrownBy(() -> parser.parse(
                        """
                        version: 1
                        defaults: {cooldown: PT15M}
                        runbooks:
                          - {id: r, actions: [{name: a, strategy: redrive}]}
                        """,
                        "f.yaml"))
                .hasMessage(
                        "f.yaml: unknown top-level key(s) [version, defaults]; a runbook file holds only 'runbooks:'");
    }

    @Test
    void duplicateIdsAndBrokenYamlAreRejected() {
        assertThatThrownBy(() -> parser.parse(
                        """
                        runbooks:
                          - {id: r, actions: [{name: a, strategy: redrive}]}
                          - {id: r, actions: [{name: a, strategy: redrive}]}
                        """,
                        "f.yaml"))
                .hasMessage("f.yaml: runbook 'r': id: duplicate runbook id 'r'");
        assertThatThrownBy(() -> parser.parse("runbooks: [ {id: r", "f.yaml"))
                .hasMessageStartingWith("f.yaml: not valid YAML");
        assertThatThrownBy(() -> parser.parse("- id: r", "f.yaml"))
                .hasMessage("f.yaml: expected a top-level 'runbooks:' list");
    }

    @Test
    void aKeyWrittenTwiceIsRefusedRatherThanTheLastOneWinning() {
        // the first 'match' would be dropped in silence, and the runbook act on far more errors
        assertThatThrownBy(() -> parser.parse(
                        """
                        runbooks:
                          - id: r
                            match: {categories: [database]}
                            actions: [{name: a, strategy: redrive}]
                            match: {}
                        """,
                        "f.yaml"))
                .isInstanceOf(RunbookFileException.class)
                .hasMessage("f.yaml: runbooks[0].match: the key appears twice in the same mapping");
    }

    @Test
    void anEmptyFileMeansNoRunbooks() {
        assertThat(parser.parse("", "f.yaml")).isEmpty();
        assertThat(parser.parse("runbooks:", "f.yaml")).isEmpty();
    }

    private List<Runbook> parse(String body) {
        return parser.parse("runbooks:\n  - id: r\n    " + body + "\n", "f.yaml");
    }
}
