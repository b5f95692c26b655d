package io.faultline.devstack.launcher;

import io.faultline.devstack.Processes;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The processes of the stack under one home, as its {@code run/NAME.pid} files record them, and how
 * they are stopped: within 15 s whatever state the stack is in, leaving no process behind.
 */
final class StackProcesses {

    static final String SUPERVISOR = "supervisor";
    static final String DEVSTACK = "devstack";
    static final String BOOKING_DEMO = "booking-demo";

    /**
     * Every process the launcher starts carries this argument (the supervisor, and through the plan
     * every component), so the ones a crashed supervisor left behind are found by it.
     */
    static String homeMark(Path home) {
        return "-Dlauncher.home=" + home;
    }

    private final Path home;
    private final PrintStream out;
    private final Duration supervisorGrace;

    StackProcesses(Path home, PrintStream out) {
        this(home, out, Duration.ofSeconds(14));
    }

    /** @param supervisorGrace how long the supervisor is given to stop its components */
    StackProcesses(Path home, PrintStream out, Duration supervisorGrace) {
        this.home = home;
        this.out = out;
        this.supervisorGrace = supervisorGrace;
    }

    /**
     * Every component a pid file may name, in the order the stack stops and reports them: each
     * service's further instances too, however many the stack was started with.
     */
    static List<String> components() {
        List<String> all = new ArrayList<>(List.of(SUPERVISOR, DEVSTACK));
        for (ServiceWiring service : ServiceWiring.values()) {
            for (int instance = 1; instance <= ServiceWiring.MAX_INSTANCES; instance++) {
                all.add(service.instanceName(instance));
            }
        }
        all.add(BOOKING_DEMO);
        return all;
    }

    /**
     * The component's process, if its pid file names one that runs (a zombie does not) and carries
     * this home's {@link #homeMark}: after a reboot or a supervisor killed hard, a stale pid file may
     * name a pid the kernel gave to an unrelated program, which down must not signal.
     */
    Optional<ProcessHandle> process(String component) {
        String mark = homeMark(home);
        return Processes.fromPidFile(home.resolve("run/" + component + ".pid")).filter(p -> hasArgument(p, mark));
    }

    List<String> running() {
        return components().stream().filter(c -> process(c).isPresent()).toList();
    }

    /** How often the supervisor restarted the component. */
    int restarts(String component) {
        Path file = home.resolve("run/" + component + ".restarts");
        try {
            return Files.exists(file) ? Integer.parseInt(Files.readString(file).trim()) : 0;
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    /**
     * Stops whatever runs from the home in at most ~15 s: the supervisor stops its components
     * (services at once, then Kafka and PostgreSQL) within 12 s; without one each component is
     * stopped here. Whatever still runs after that is killed: a component, a process a crashed
     * supervisor left behind (found by {@link #homeMark}), and a PostgreSQL orphaned by a killed
     * devstack (found by the pid it recorded).
     */
    void stop() {
        Optional<ProcessHandle> supervisor = process(SUPERVISOR);
        Optional<ProcessHandle> demo = process(BOOKING_DEMO);
        demo.ifPresent(p -> say("stopping booking-demo (" + p.pid() + ")"));
        if (supervisor.isPresent()) {
            say("stopping the stack (supervisor " + supervisor.get().pid() + ")");
            List<ProcessHandle> stopping = new ArrayList<>(List.of(supervisor.get()));
            demo.ifPresent(stopping::add);
            stopping.forEach(ProcessHandle::destroy);
            awaitExit(stopping, supervisorGrace);
        } else {
            List<ProcessHandle> services = new ArrayList<>();
            for (String c : components()) {
                if (c.equals(SUPERVISOR) || c.equals(DEVSTACK)) {
                    continue;
                }
                process(c).ifPresent(p -> {
                    say("stopping " + c + " (" + p.pid() + ")");
                    services.add(p);
                });
            }
            services.forEach(ProcessHandle::destroy);
            awaitExit(services, Duration.ofSeconds(8));
            process(DEVSTACK).ifPresent(p -> {
                say("stopping Kafka and PostgreSQL (" + p.pid() + ")");
                p.destroy();
                awaitExit(List.of(p), Duration.ofSeconds(5));
            });
        }
        Map<Long, String> late = new LinkedHashMap<>();
        for (String c : components()) {
            process(c).ifPresent(p -> late.put(p.pid(), c));
        }
        for (ProcessHandle p : marked()) {
            late.putIfAbsent(p.pid(), "a process of this stack");
        }
        List<ProcessHandle> killed = new ArrayList<>();
        late.forEach((pid, name) -> ProcessHandle.of(pid).ifPresent(p -> {
            say(name + " (" + pid + ") did not stop in time; killing it");
            p.destroyForcibly();
            killed.add(p);
        }));
        // SIGKILL is delivered, not awaited: down returns once the ports are free
        awaitExit(killed, Duration.ofSeconds(2));
        stopOrphanedPostgres(home, Duration.ofSeconds(2), this::say);
        for (String c : components()) {
            deleteQuietly(home.resolve("run/" + c + ".pid"));
        }
        deleteQuietly(home.resolve("run/devstack.ready"));
    }

    /** Running processes that carry this home's {@link #homeMark}, this JVM excepted. */
    List<ProcessHandle> marked() {
        String mark = homeMark(home);
        long self = ProcessHandle.current().pid();
        return ProcessHandle.allProcesses()
                .filter(p -> p.pid() != self)
                .filter(p -> hasArgument(p, mark))
                .filter(Processes::running)
                .toList();
    }

    /** An exact argument, so that the stack of {@code /tmp/a} never touches that of {@code /tmp/ab}. */
    static boolean hasArgument(ProcessHandle process, String argument) {
        try {
            byte[] cmdline = Files.readAllBytes(Path.of("/proc/" + process.pid() + "/cmdline"));
            for (String arg : new String(cmdline, StandardCharsets.UTF_8).split("\0")) {
                if (arg.equals(argument)) {
                    return true;
                }
            }
            return false;
        } catch (IOException | RuntimeException gone) {
            return false;
        }
    }

    /**
     * A devstack JVM killed hard leaves its PostgreSQL running on the data directory, and a new
     * devstack cannot start another on it: the orphan is stopped by the pid it recorded.
     *
     * @param grace how long its fast shutdown may take before it is killed
     */
    static void stopOrphanedPostgres(Path home, Duration grace, Consumer<String> log) {
        Path data = home.resolve("postgres/data");
        // a stale postmaster.pid may name a pid the kernel has given to another process since
        Optional<ProcessHandle> orphan = Processes.fromPidFile(data.resolve("postmaster.pid"))
                .filter(p -> Processes.commandLineMentions(p, data.toString()));
        if (orphan.isEmpty()) {
            return;
        }
        log.accept("stopping orphaned PostgreSQL (pid " + orphan.get().pid() + ")");
        try {
            // SIGINT is PostgreSQL's fast shutdown; destroy() would send SIGTERM, its smart one
            new ProcessBuilder("kill", "-INT", Long.toString(orphan.get().pid()))
                    .start()
                    .waitFor(2, TimeUnit.SECONDS);
        } catch (IOException e) {
            log.accept("could not signal the orphaned PostgreSQL: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!awaitExit(List.of(orphan.get()), grace)) {
            orphan.get().destroyForcibly();
            awaitExit(List.of(orphan.get()), Duration.ofSeconds(2));
        }
    }

    /**
     * Polls rather than waiting on {@link ProcessHandle#onExit()}: these processes are not this
     * JVM's children, and one that exits stays a zombie until init reaps it.
     */
    static boolean awaitExit(List<ProcessHandle> processes, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (processes.stream().anyMatch(Processes::running)) {
            if (!Instant.now().isBefore(deadline)) {
                return false;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a pid file of a dead process counts as absent
        }
    }

    private void say(String message) {
        out.println("faultline: " + message);
    }
}
