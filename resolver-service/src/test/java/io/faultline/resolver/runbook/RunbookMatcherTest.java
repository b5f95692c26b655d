package io.faultline.resolver.runbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RunbookMatcherTest {

    private final RunbookParser parser = new RunbookParser(Set.of("webhook"), Set.of("slack"));

    private static Trigger error(String category, String severity) {
        return new Trigger(
                Trigger.Source.CLASSIFIED_ERROR,
                "g1",
                "7",
                "e1",
                Instant.parse("2026-11-30T10:00:00Z"),
                List.of("exception.type=PaymentGatewayTimeoutException", "transaction=/api/pay"),
                category,
                severity,
                "revenue_blocking",
                "checkout",
                "payments@2.4.1",
                "production",
                List.of("java.net.SocketTimeoutException", "com.shop.PaymentGatewayTimeoutException"),
                "gateway %s timed out after %sms",
                "gateway stripe timed out after 3000ms",
                "PaymentGatewayTimeoutException: gateway timed out",
                Map.of("service", "payments", "region", "eu-west-1"),
                Map.of(),
                null,
                null);
    }

    private Runbook only(String match) {
        return parser.parse(
                        "runbooks:\n  - id: r\n    match: " + match + "\n    actions: [{name: a, strategy: webhook}]\n",
                        "t")
                .get(0);
    }

    private boolean matches(String match, Trigger t) {
        return RunbookMatcher.matches(only(match).match(), t);
    }

    @Test
    void anEmptyMatchTakesEveryClassifiedErrorButNoSignal() {
        assertThat(matches("{}", error("performance", "high"))).isTrue();
        Trigger signal = new Trigger(
                Trigger.Source.SIGNAL,
                "g1",
                "7",
                "s1",
                Instant.EPOCH,
                null,
                null,
                "high",
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
                "spike",
                null);
        assertThat(matches("{}", signal)).isFalse();
        assertThat(matches("{signalTypes: [spike]}", signal)).isTrue();
        assertThat(matches("{signalTypes: [regression]}", signal)).isFalse();
        assertThat(matches("{signalTypes: [spike]}", error("performance", "high")))
                .isFalse();
    }

    @Test
    void everyCriterionMustHoldAndAnyListedValueWillDo() {
        Trigger t = error("performance", "high");
        assertThat(matches("{categories: [database, performance], severities: [critical, high]}", t))
                .isTrue();
        assertThat(matches("{categories: [database], severities: [high]}", t)).isFalse();
        assertThat(matches("{businessImpacts: revenue_blocking, workflows: [checkout], projects: ['7']}", t))
                .isTrue();
        assertThat(matches("{groupIds: [g2]}", t)).isFalse();
        assertThat(matches("{groupIds: [g1, g2]}", t)).isTrue();
    }

    @Test
    void releasesEnvironmentsAndExceptionTypesAreGlobs() {
        Trigger t = error("performance", "high");
        assertThat(matches("{releases: ['payments@2.*'], environments: [prod*]}", t))
                .isTrue();
        assertThat(matches("{releases: ['payments@3.*']}", t)).isFalse();
        assertThat(matches("{exceptionTypes: ['*.PaymentGateway*']}", t))
                .as("any exception of the chain")
                .isTrue();
        assertThat(matches("{exceptionTypes: ['*SQLException']}", t)).isFalse();
    }

    @Test
    void messagesMatchTheTemplateByGlobOrRegex() {
        Trigger t = error("performance", "high");
        assertThat(matches("{message: 'gateway * timed out*'}", t)).isTrue();
        assertThat(matches("{message: 'gateway stripe*'}", t))
                .as("the template wins over the formatted message")
                .isFalse();
        assertThat(matches("{messageRegex: '(?i)GATEWAY %s timed out after %sms'}", t))
                .isTrue();
        assertThat(matches("{messageRegex: 'timed out'}", t))
                .as("regexes are anchored")
                .isFalse();
    }

    /**
     * Messages, tags and releases come from clients. A glob turned into a regular expression
     * ({@code .*a.*a.*b}) backtracks polynomially in its stars on a value that nearly matches; the
     * runbook globs must be decided in linear time, like the classifier's. The deadline is not a
     * speed assertion: the regex form needs hours here, the glob form microseconds.
     */
    @Test
    void globsOnClientValuesAreDecidedWithoutBacktracking() {
        String nearMiss = "a".repeat(5_000);
        Trigger t = withClientValues(error("performance", "high"), nearMiss);
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            assertThat(matches("{message: '*a*a*a*a*a*a*b'}", t)).isFalse();
            assertThat(matches("{tags: {service: '*a*a*a*a*a*a*b'}}", t)).isFalse();
            assertThat(matches("{releases: ['*a*a*a*a*a*a*b']}", t)).isFalse();
            assertThat(matches("{message: '*a*a*a*a*a*a*'}", t)).isTrue();
        });
    }

    private static Trigger withClientValues(Trigger t, String value) {
        return new Trigger(
                t.source(),
                t.groupId(),
                t.projectId(),
                t.eventId(),
                t.occurredAt(),
                t.fingerprint(),
                t.category(),
                t.severity(),
                t.businessImpact(),
                t.workflow(),
                value,
                t.environment(),
                t.exceptionTypes(),
                value,
                value,
                t.title(),
                Map.of("service", value),
                t.extra(),
                t.signalType(),
                t.raisedAt());
    }

    @Test
    void fingerprintPatternsMustEachFindAComponentAndTagsMustAllMatch() {
        Trigger t = error("performance", "high");
        assertThat(matches("{fingerprint: ['exception.type=*Timeout*', 'transaction=/api/*']}", t))
                .isTrue();
        assertThat(matches("{fingerprint: ['exception.type=*Timeout*', 'transaction=/admin/*']}", t))
                .isFalse();
        assertThat(matches("{tags: {service: payments, region: 'eu-*'}}", t)).isTrue();
        assertThat(matches("{tags: {service: payments, team: core}}", t))
                .as("a missing tag fails")
                .isFalse();
    }

    @Test
    void theFirstEnabledMatchingRunbookInFileOrderWins() {
        List<Runbook> runbooks = parser.parse(
                """
                runbooks:
                  - {id: disabled, enabled: false, actions: [{name: a, strategy: webhook}]}
                  - {id: database, match: {categories: [database]}, actions: [{name: a, strategy: webhook}]}
                  - {id: payments, match: {tags: {service: payments}}, actions: [{name: a, strategy: webhook}]}
                  - {id: catch-all, actions: [{name: a, strategy: webhook}]}
                """,
                "t");

        assertThat(RunbookMatcher.firstMatch(runbooks, error("performance", "high")))
                .map(Runbook::id)
                .contains("payments");
        assertThat(RunbookMatcher.firstMatch(runbooks, error("database", "high")))
                .map(Runbook::id)
                .contains("database");
        assertThat(RunbookMatcher.firstMatch(runbooks.subList(0, 2), error("performance", "high")))
                .isEmpty();
    }
}
