package io.faultline.devstack.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.faultline.devstack.Processes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./faultline down} on stand-in processes: real ones, some of which will not go quietly. */
class StackProcessesTest {

    /** SIG_IGN survives exec and fork: only SIGKILL ends these. */
    private static final String IGNORES_TERM = "trap '' TERM; while sleep 1; do :; done";

    // no exec: the process keeps bash's command line, where the home's mark is
    private static final String OBEYS_TERM = "while sleep 1; do :; done";

    @TempDir
    Path home;

    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final List<ProcessHandle> started = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        started.forEach(p -> p.descendants().forEach(ProcessHandle::destroyForcibly));
        started.forEach(ProcessHandle::destroyForcibly);
    }

    @Test
    void withoutASupervisorEveryComponentIsStoppedAndTheStubbornOnesKilled() throws Exception {
        ProcessHandle devstack = component("devstack", OBEYS_TERM);
        ProcessHandle ingest = component("ingest-service", IGNORES_TERM);
        ProcessHandle impact = component("impact-service", OBEYS_TERM);

        stack(Duration.ofSeconds(14)).stop();

        assertThat(List.of(devstack, ingest, impact)).noneMatch(Processes::running);
        assertThat(said())
                .contains("faultline: stopping ingest-service (" + ingest.pid() + ")")
                .contains("faultline: stopping Kafka and PostgreSQL (" + devstack.pid() + ")")
                .contains("faultline: ingest-service (" + ingest.pid() + ") did not stop in time; killing it");
        assertThat(home.resolve("run")).isDirectoryNotContaining("glob:**.pid");
    }

    /**
     * A supervisor killed hard leaves its components running with nobody's pid file naming them:
     * they carry the home's mark, and down finds them by it. Another home's processes are left alone.
     */
    @Test
    void whatACrashedSupervisorLeftBehindIsFoundByTheHomesMark() throws Exception {
        ProcessHandle stuckSupervisor = component("supervisor", IGNORES_TERM);
        ProcessHandle orphan = marked(home, IGNORES_TERM);
        Path neighbour = Path.of(home + "-neighbour");
        ProcessHandle neighbours = marked(neighbour, OBEYS_TERM);

        stack(Duration.ofMillis(500)).stop();

        assertThat(List.of(stuckSupervisor, orphan)).noneMatch(Processes::running);
        assertThat(said())
                .contains("faultline: stopping the stack (supervisor " + stuckSupervisor.pid() + ")")
                .contains("faultline: a process of this stack (" + orphan.pid() + ") did not stop in time");
        assertThat(Processes.running(neighbours)).as("another home's process").isTrue();
    }

    @Test
    void aPidFileOfSomeoneElsesProcessIsNotKilledByDown() throws Exception {
        Process stranger = new ProcessBuilder("sleep", "600").start();
        started.add(stranger.toHandle());
        Files.createDirectories(home.resolve("postgres/data"));
        // after a reboot, a stale postmaster.pid names an unrelated process
        Files.writeString(home.resolve("postgres/data/postmaster.pid"), stranger.pid() + "\n");

        stack(Duration.ofSeconds(1)).stop();

        assertThat(stranger.isAlive()).isTrue();
    }

    @Test
    void aStalePidFileNamingAReusedPidIsNeitherReportedNorKilled() throws Exception {
        Process stranger = new ProcessBuilder("sleep", "600").start();
        started.add(stranger.toHandle());
        Files.createDirectories(home.resolve("run"));
        // after a reboot or a kill -9 of the supervisor, the kernel gave a component's pid to another program
        Files.writeString(home.resolve("run/ingest-service.pid"), Long.toString(stranger.pid()));
        Files.writeString(home.resolve("run/supervisor.pid"), Long.toString(stranger.pid()));

        StackProcesses stack = stack(Duration.ofSeconds(1));
        assertThat(stack.running()).isEmpty();
        stack.stop();

        assertThat(stranger.isAlive()).isTrue();
        assertThat(said()).doesNotContain(Long.toString(stranger.pid()));
    }

    @Test
    void anOrphanedPostgresIsStoppedByThePidItRecorded() throws Exception {
        // PostgreSQL's command line names its data directory
        Process postgres = new ProcessBuilder(
                        "bash",
                        "-c",
                        "while sleep 1; do :; done",
                        home.resolve("postgres/data").toString())
                .start();
        started.add(postgres.toHandle());
        Files.createDirectories(home.resolve("postgres/data"));
        Files.writeString(home.resolve("postgres/data/postmaster.pid"), postgres.pid() + "\n");

        stack(Duration.ofSeconds(1)).stop();

        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !postgres.isAlive());
        assertThat(said()).contains("stopping orphaned PostgreSQL (pid " + postgres.pid() + ")");
    }

    private StackProcesses stack(Duration supervisorGrace) {
        return new StackProcesses(home, new PrintStream(output, true, StandardCharsets.UTF_8), supervisorGrace);
    }

    private String said() {
        return output.toString(StandardCharsets.UTF_8);
    }

    /** A process recorded in {@code run/NAME.pid}, marked as the launcher marks what it starts. */
    private ProcessHandle component(String name, String script) throws IOException {
        ProcessHandle process = marked(home, script);
        Files.createDirectories(home.resolve("run"));
        Files.writeString(home.resolve("run/" + name + ".pid"), Long.toString(process.pid()));
        return process;
    }

    private ProcessHandle marked(Path stackHome, String script) throws IOException {
        // the mark is bash's $0: one whole argument of the command line, as -D options are
        Process process = new ProcessBuilder("bash", "-c", script, StackProcesses.homeMark(stackHome)).start();
        started.add(process.toHandle());
        return process.toHandle();
    }
}
