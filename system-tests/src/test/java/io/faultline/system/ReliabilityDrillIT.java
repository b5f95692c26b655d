package io.faultline.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.faultline.devstack.FreePorts;
import io.faultline.devstack.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The launcher heals the local stack, and the drill proves it under load: kill -9 of the broker,
 * of PostgreSQL and of services, SIGTERM of ingest, and not one acknowledged event lost.
 */
class ReliabilityDrillIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void upStartsWhatDiedAndDownLeavesNothingBehindWhateverTheState() throws Exception {
        LocalStack stack = new LocalStack(Files.createTempDirectory("faultline-heal-"));
        stack.up();
        try {
            // the broker process dies, and the supervisor with it: up used to refuse here
            stack.kill9("supervisor");
            stack.kill9("devstack");
            stack.up();
            assertThat(stack.stackEnv()).containsKey("INGEST_URL");

            // a second broker death, left for down to find
            stack.kill9("devstack");
            List<Long> pids = new ArrayList<>();
            for (String c : List.of(
                    "supervisor",
                    "ingest-service",
                    "classifier-service",
                    "impact-service",
                    "resolver-service",
                    "dashboard-api")) {
                pids.add(stack.pid(c));
            }
            Optional<Long> postgres = postmaster(stack.home());

            long began = System.nanoTime();
            stack.down();
            long tookMillis = (System.nanoTime() - began) / 1_000_000;

            assertThat(tookMillis).as("./faultline down took %d ms", tookMillis).isLessThanOrEqualTo(15_000);
            for (long pid : pids) {
                assertThat(ProcessHandle.of(pid).map(Processes::running).orElse(false))
                        .as("pid %d outlived down", pid)
                        .isFalse();
            }
            postgres.ifPresent(pid -> assertThat(
                            ProcessHandle.of(pid).map(Processes::running).orElse(false))
                    .as("PostgreSQL (pid %d) outlived down", pid)
                    .isFalse());
            for (int port : stack.ports()) {
                assertThat(FreePorts.inUse(port))
                        .as("port %d still held after down", port)
                        .isFalse();
            }
        } finally {
            stack.down();
        }
    }

    @Test
    void aShortDrillLosesNoAcknowledgedEventAndRecoversFromEveryFault() throws Exception {
        LocalStack ports = new LocalStack(Files.createTempDirectory("faultline-drill-"));
        String last = ports.drill(
                List.of(
                        "--rate",
                        "300",
                        "--seconds-per-fault",
                        "5",
                        "--recovery-deadline",
                        "120",
                        "--faults",
                        "ingest-sigterm,impact-service,resolver-service,postgres,broker"),
                1200);

        JsonNode summary = JSON.readTree(last);
        // a failure shows the stack's logs: the throw-away stack is gone by then
        java.util.function.Supplier<String> why = () -> last + ports.drillDigest();
        assertThat(summary.path("acknowledged").asLong()).as(why).isPositive();
        assertThat(summary.path("lost").asLong()).as(why).isZero();
        assertThat(summary.path("senderFailures").asLong()).as(why).isZero();
        assertThat(summary.path("abandoned").asLong()).as(why).isZero();
        // the drill's runbook acted during the faults, and no action step ran twice
        assertThat(summary.path("actionCallsReceived").asLong()).as(why).isPositive();
        assertThat(summary.path("actionCallsRepeated").asLong()).as(why).isZero();
        assertThat(summary.path("allRecovered").asBoolean()).as(why).isTrue();
    }

    private static Optional<Long> postmaster(Path home) {
        return Processes.fromPidFile(home.resolve("postgres/data/postmaster.pid"))
                .map(ProcessHandle::pid);
    }
}
