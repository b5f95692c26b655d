package io.faultline.resolver.runbook;

import static org.assertj.core.api.Assertions.assertThat;

import io.faultline.resolver.strategy.Notifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The runbook files the project ships outside the resolver load. The resolver refuses to start on
 * a file it cannot parse, so a file in another format would keep every resolver using it down.
 */
class ShippedRunbooksTest {

    private static List<Runbook> load(String file) throws IOException {
        Path path = Path.of("..", file);
        return new RunbookParser(Set.of("webhook", "redrive", "kubernetes", "notify"), Notifier.CHANNELS)
                .parse(Files.readString(path), path.toString());
    }

    /** The booking demo's runbooks act for real and verify within seconds. */
    @Test
    void theDemoRunbooksParseActAndVerifyWithinSeconds() throws IOException {
        List<Runbook> runbooks = load("examples/booking-demo/runbooks.yaml");

        assertThat(runbooks)
                .extracting(Runbook::id)
                .containsExactly(
                        "booking-db-redrive",
                        "payment-breaker-reset",
                        "availability-cache-fallback",
                        "client-profile-escalation");
        assertThat(runbooks).noneMatch(Runbook::dryRun).noneMatch(Runbook::requireApproval);
        assertThat(runbooks)
                .allSatisfy(r -> assertThat(r.verification())
                        .hasValueSatisfying(v -> assertThat(v.window()).isLessThanOrEqualTo(Duration.ofSeconds(3))))
                .allSatisfy(r -> assertThat(r.escalation().channels()).containsExactly("slack"));
        assertThat(runbooks.get(0).actions()).extracting(ActionSpec::strategy).containsExactly("redrive", "redrive");
        assertThat(runbooks.get(1).actions().get(0).parameters().get("url"))
                .isEqualTo("http://127.0.0.1:8090/admin/circuit-breakers/payment-gateway/reset");
    }

    /** The runbooks that the Kubernetes manifests select (classpath:kubernetes-runbooks.yaml). */
    @Test
    void theDeployedRunbooksParseAndAreAllDryRunsUntilAnOperatorAdaptsThem() throws IOException {
        List<Runbook> runbooks = load("resolver-service/src/main/resources/kubernetes-runbooks.yaml");

        assertThat(runbooks)
                .extracting(Runbook::id)
                .containsExactly(
                        "database-connection-pool-exhausted",
                        "external-api-timeouts",
                        "payment-provider-outage",
                        "memory-pressure",
                        "new-issue-after-release");
        assertThat(runbooks).allMatch(Runbook::dryRun);
        assertThat(runbooks.get(0).actions())
                .extracting(ActionSpec::strategy)
                .containsExactly("kubernetes", "kubernetes");
    }
}
