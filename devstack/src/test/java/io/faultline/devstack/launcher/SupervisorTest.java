package io.faultline.devstack.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.faultline.devstack.Processes;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The supervisor on stand-in components: real processes, killed and stopped for real. */
class SupervisorTest {

    @TempDir
    Path home;

    private final List<Supervisor> supervisors = new ArrayList<>();
    private final List<ProcessHandle> strays = new ArrayList<>();

    @AfterEach
    void stopEverything() {
        supervisors.forEach(Supervisor::stop);
        strays.forEach(ProcessHandle::destroyForcibly);
    }

    @Test
    void aComponentKilledHardIsRestartedAndTheRestartIsCounted() throws Exception {
        plan("infra infrastructure ready=" + home.resolve("run/infra.ready"), "infra", readyThenSleep("infra"));
        plan("svc service", "svc", "exec sleep 600\n");
        start();
        long first = pid("svc");

        kill9(first);

        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> alive("svc") && pid("svc") != first);
        assertThat(Files.readString(home.resolve("run/svc.restarts")).trim()).isEqualTo("1");
        assertThat(Files.exists(home.resolve("run/infra.restarts"))).isFalse();
    }

    /** A component that cannot start is tried again and again, each restart counted, with backoff. */
    @Test
    void aCrashLoopIsRestartedWithGrowingDelaysAndEveryRestartCounted() throws Exception {
        plan("svc service", "svc", "echo starting; exit 3\n");
        List<Duration> delays = new java.util.concurrent.CopyOnWriteArrayList<>();
        Supervisor supervisor = new Supervisor(
                StackPlan.read(home),
                Supervisor.LIVENESS_PERIOD,
                () -> new RestartBackoff(Duration.ofMillis(20), Duration.ofMillis(80), Duration.ofMinutes(1)) {
                    @Override
                    synchronized Duration after(Duration ranFor) {
                        Duration wait = super.after(ranFor);
                        delays.add(wait);
                        return wait;
                    }
                });
        supervisors.add(supervisor);
        supervisor.start();

        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> restarts("svc") >= 5);
        supervisor.stop();

        assertThat(delays.subList(0, 5))
                .containsExactly(
                        Duration.ofMillis(20),
                        Duration.ofMillis(40),
                        Duration.ofMillis(80),
                        Duration.ofMillis(80),
                        Duration.ofMillis(80));
        assertThat(Files.readAllLines(home.resolve("logs/svc.log")))
                .filteredOn("starting"::equals)
                .hasSizeGreaterThanOrEqualTo(5);
        assertThat(new StackProcesses(home, System.out).restarts("svc")).isGreaterThanOrEqualTo(5);
    }

    private int restarts(String name) {
        try {
            return Integer.parseInt(
                    Files.readString(home.resolve("run/" + name + ".restarts")).trim());
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    @Test
    void aComponentThatRunsButIsNotLiveIsRestarted() throws Exception {
        AtomicInteger checks = new AtomicInteger();
        HttpServer health = liveness(503, checks);
        try {
            Supervisor supervisor = supervisedWithLiveness(health, Duration.ofMillis(200));
            long first = pid("svc");

            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> alive("svc") && pid("svc") != first);
            assertThat(Files.readString(home.resolve("run/svc.restarts")).trim())
                    .isEqualTo("1");
            assertThat(checks.get()).isGreaterThanOrEqualTo(Supervisor.LIVENESS_FAILURES);
            supervisor.stop();
        } finally {
            health.stop(0);
        }
    }

    @Test
    void aComponentThatAnswersLiveIsLeftAlone() throws Exception {
        AtomicInteger checks = new AtomicInteger();
        HttpServer health = liveness(200, checks);
        try {
            supervisedWithLiveness(health, Duration.ofMillis(100));
            long first = pid("svc");

            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> checks.get() >= 10);
            assertThat(pid("svc")).isEqualTo(first);
            assertThat(home.resolve("run/svc.restarts")).doesNotExist();
        } finally {
            health.stop(0);
        }
    }

    /** A stand-in liveness endpoint answering {@code status}, counting the checks. */
    private static HttpServer liveness(int status, AtomicInteger checks) throws IOException {
        HttpServer health = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        health.createContext("/q/health/live", exchange -> {
            checks.incrementAndGet();
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        health.start();
        return health;
    }

    private Supervisor supervisedWithLiveness(HttpServer health, Duration period) throws Exception {
        plan(
                "svc service live=http://127.0.0.1:" + health.getAddress().getPort() + "/q/health/live",
                "svc",
                "exec sleep 600\n");
        Supervisor supervisor = new Supervisor(StackPlan.read(home), period);
        supervisors.add(supervisor);
        supervisor.start();
        return supervisor;
    }

    @Test
    void theInfrastructureIsRestartedToo() throws Exception {
        plan("infra infrastructure ready=" + home.resolve("run/infra.ready"), "infra", readyThenSleep("infra"));
        start();
        long first = pid("infra");

        kill9(first);

        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> alive("infra") && pid("infra") != first);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(home.resolve("run/infra.ready")));
    }

    @Test
    void stopEndsEveryComponentWithinTheDeadlineEvenOneThatIgnoresSigterm() throws Exception {
        plan("infra infrastructure", "infra", "exec sleep 600\n");
        // SIG_IGN survives exec: this one only goes with SIGKILL
        plan("stubborn service", "stubborn", "trap '' TERM\nexec sleep 600\n");
        plan("svc service", "svc", "exec sleep 600\n");
        Supervisor supervisor = start();
        List<ProcessHandle> processes = List.of(handle(pid("infra")), handle(pid("stubborn")), handle(pid("svc")));

        long began = System.nanoTime();
        supervisor.stop();
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);

        // a killed child is a zombie until the JVM's reaper thread collects it, which a loaded
        // machine delays: stopped means not running, as the supervisor itself counts it
        assertThat(processes).noneMatch(Processes::running);
        assertThat(tookMillis).isLessThanOrEqualTo(Supervisor.STOP_DEADLINE.toMillis() + 3_000);
        assertThat(home.resolve("run/svc.pid")).doesNotExist();
    }

    @Test
    void aStoppedSupervisorDoesNotRestartWhatItStopped() throws Exception {
        plan("svc service", "svc", "exec sleep 600\n");
        Supervisor supervisor = start();
        ProcessHandle svc = handle(pid("svc"));

        supervisor.stop();

        assertThat(Processes.running(svc)).isFalse();
        assertThat(home.resolve("run/svc.restarts")).doesNotExist();
    }

    @Test
    void aComponentThatStillRunsIsAdoptedNotStartedTwice() throws Exception {
        plan("svc service", "svc", "exec sleep 600\n");
        // a process of this home's stack: its command line names the home, as the launcher's do
        Process running =
                new ProcessBuilder("bash", "-c", "while sleep 1; do :; done", StackProcesses.homeMark(home)).start();
        strays.add(running.toHandle());
        Files.createDirectories(home.resolve("run"));
        Files.writeString(home.resolve("run/svc.pid"), Long.toString(running.pid()));

        Supervisor supervisor = start();

        assertThat(pid("svc")).isEqualTo(running.pid());
        running.destroyForcibly().waitFor();
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> alive("svc") && pid("svc") != running.pid());
        supervisor.stop();
    }

    @Test
    void aPidFileNamingSomeoneElsesProcessIsNeitherAdoptedNorKilled() throws Exception {
        plan("infra infrastructure", "infra", "exec sleep 600\n");
        plan("svc service", "svc", "exec sleep 600\n");
        Process stranger = new ProcessBuilder("sleep", "600").start();
        strays.add(stranger.toHandle());
        Files.createDirectories(home.resolve("postgres/data"));
        // after a crash and a reboot of pids, stale files name an unrelated process
        Files.writeString(home.resolve("run/svc.pid"), Long.toString(stranger.pid()));
        Files.writeString(home.resolve("postgres/data/postmaster.pid"), stranger.pid() + "\n");

        start();

        assertThat(pid("svc")).as("started anew, not adopted").isNotEqualTo(stranger.pid());
        assertThat(stranger.isAlive()).as("the stranger was left alone").isTrue();
    }

    @Test
    void anOrphanedPostgresIsStoppedBeforeTheInfrastructureStarts() throws Exception {
        Process orphan = new ProcessBuilder(
                        "bash",
                        "-c",
                        "while sleep 1; do :; done",
                        home.resolve("postgres/data").toString())
                .start();
        strays.add(orphan.toHandle());
        Files.createDirectories(home.resolve("postgres/data"));
        Files.writeString(home.resolve("postgres/data/postmaster.pid"), orphan.pid() + "\n/data\n");
        plan("infra infrastructure", "infra", "exec sleep 600\n");

        start();

        assertThat(orphan.waitFor(10, TimeUnit.SECONDS))
                .as("the orphan was stopped")
                .isTrue();
        assertThat(alive("infra")).isTrue();
    }

    private Supervisor start() throws Exception {
        Supervisor supervisor = new Supervisor(StackPlan.read(home));
        supervisors.add(supervisor);
        supervisor.start();
        return supervisor;
    }

    private void plan(String line, String name, String script) throws IOException {
        Path planDir = home.resolve("run/plan");
        Files.createDirectories(planDir);
        Files.createDirectories(home.resolve("logs"));
        Files.writeString(
                planDir.resolve("components"),
                line + "\n",
                java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
        Files.writeString(planDir.resolve(name + ".sh"), script);
    }

    private String readyThenSleep(String name) {
        return "touch '" + home.resolve("run/" + name + ".ready") + "'\nexec sleep 600\n";
    }

    private long pid(String name) throws IOException {
        return Long.parseLong(
                Files.readString(home.resolve("run/" + name + ".pid")).trim());
    }

    private boolean alive(String name) {
        try {
            return ProcessHandle.of(pid(name)).map(ProcessHandle::isAlive).orElse(false);
        } catch (IOException | NumberFormatException e) {
            return false;
        }
    }

    private static ProcessHandle handle(long pid) {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        assertThat(handle).as("pid " + pid + " runs").isPresent();
        return handle.get();
    }

    private static void kill9(long pid) throws Exception {
        assertThat(new ProcessBuilder("kill", "-9", Long.toString(pid)).start().waitFor())
                .isZero();
        ProcessHandle.of(pid).ifPresent(p -> p.onExit().join());
    }
}
