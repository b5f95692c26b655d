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

/** The booking demo's runbooks (examples/booking-demo/runbooks.yaml) load and act for real. */
class DemoRunbooksTest {

    private static final Path FILE = Path.of("../examples/booking-demo/runbooks.yaml");

    @Test
    void theDemoRunbooksParseActAndVerifyWithinSeconds() throws IOException {
        List<Runbook> runbooks = new RunbookParser(
                        Set.of("webhook", "redrive", "kubernetes", "notify"), Notifier.CHANNELS)
                .parse(Files.readString(FILE), FILE.toString());

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
}
