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
import java.util.function.Supplier;
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
        Drilled drilled = drill(
                "faultline-drill-",
                1200,
                "--disk-size",
                "1g",
                "--faults",
                "ingest-sigterm,impact-service,resolver-service,postgres,broker,disk-full");
        JsonNode summary = drilled.summary();
        Supplier<String> why = drilled.why();
        assertThat(summary.path("acknowledged").asLong()).as(why).isPositive();
        assertThat(summary.path("lost").asLong()).as(why).isZero();
        assertThat(summary.path("senderFailures").asLong()).as(why).isZero();
        assertThat(summary.path("abandoned").asLong()).as(why).isZero();
        assertActedOnceEach(summary, why);
        assertThat(summary.path("allRecovered").asBoolean()).as(why).isTrue();
        // the disk filled and the intake acknowledged nothing meanwhile; or the drill says why not
        if (summary.path("skipped").has("disk-full")) {
            assertThat(summary.path("skipped").path("disk-full").asText())
                    .as(why)
                    .contains("mount");
        } else {
            assertThat(summary.path("diskFull").path("writeError").asText())
                    .as(why)
                    .contains("No space left");
            JsonNode answers = summary.path("diskFull").path("intakeAnswersWhileFull");
            answers.fieldNames()
                    .forEachRemaining(status -> assertThat(status).as(why).doesNotStartWith("2"));
            // refused with a 503 the client can retry on, not a timeout
            assertThat(answers.has("503")).as(why).isTrue();
        }
    }

    /**
     * Two instances of every service on one broker and database, as a scaled-out deployment runs
     * them, the load spread over both ingests and the second classifier killed under it: every
     * acknowledged event is stored once, as with one instance, and either classifier answers a
     * rate query alike (a key the other holds is asked of it).
     */
    @Test
    void twoInstancesOfEveryServiceCountAsOne() throws Exception {
        Drilled drilled = drill("faultline-replicas-", 900, "--replicas", "2", "--faults", "classifier-service-2");
        JsonNode summary = drilled.summary();
        Supplier<String> why = drilled.why();
        assertThat(summary.path("replicas").asInt()).as(why).isEqualTo(2);
        assertThat(summary.path("acknowledged").asLong()).as(why).isPositive();
        assertThat(summary.path("lost").asLong()).as(why).isZero();
        assertThat(summary.path("stored").asLong())
                .as(why)
                .isEqualTo(summary.path("acknowledged").asLong()
                        + summary.path("storedNotAcknowledged").asLong());
        assertThat(summary.path("senderFailures").asLong()).as(why).isZero();
        assertActedOnceEach(summary, why);
        assertThat(summary.path("allRecovered").asBoolean()).as(why).isTrue();
        assertThat(summary.path("rateAnswers").path("same").asBoolean()).as(why).isTrue();
    }

    /**
     * The drill's runbook acted during the faults, and no action step ran twice. The counts must be
     * there: a summary without them (no action receiver) would read as zero repeats.
     */
    private static void assertActedOnceEach(JsonNode summary, Supplier<String> why) {
        assertThat(summary.has("actionCallsReceived") && summary.has("actionCallsRepeated"))
                .as(why)
                .isTrue();
        assertThat(summary.path("actionCallsReceived").asLong()).as(why).isPositive();
        assertThat(summary.path("actionCallsRepeated").asLong()).as(why).isZero();
    }

    /** A drill's summary, and what explains a failure: the summary and the throw-away stack's logs. */
    private record Drilled(JsonNode summary, Supplier<String> why) {}

    /** A short drill at 300 events/s, 5 s between faults, each given 120 s to recover. */
    private static Drilled drill(String homePrefix, int timeoutSeconds, String... args) throws Exception {
        LocalStack ports = new LocalStack(Files.createTempDirectory(homePrefix));
        List<String> all =
                new ArrayList<>(List.of("--rate", "300", "--seconds-per-fault", "5", "--recovery-deadline", "120"));
        all.addAll(List.of(args));
        String last = ports.drill(all, timeoutSeconds);
        // a failure shows the stack's logs: the throw-away stack is gone by then
        return new Drilled(JSON.readTree(last), () -> last + ports.drillDigest());
    }

    private static Optional<Long> postmaster(Path home) {
        return Processes.fromPidFile(home.resolve("postgres/data/postmaster.pid"))
                .map(ProcessHandle::pid);
    }
}
