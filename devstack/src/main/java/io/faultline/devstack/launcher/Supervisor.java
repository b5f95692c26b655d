package io.faultline.devstack.launcher;

import io.faultline.devstack.Processes;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Keeps the local stack running, as Compose's {@code restart: unless-stopped} and a Kubernetes
 * Deployment do: it starts each component of the plan the launcher wrote, restarts one that exits
 * when nobody asked it to (with backoff, counted in {@code run/NAME.restarts} and logged), and on
 * SIGTERM stops them all within {@link #STOP_DEADLINE}, however they are doing.
 *
 * <p>The plan ({@link StackPlan}) is the launcher's: what each component runs and how its
 * readiness shows. A component whose pid file names a live process when the supervisor starts
 * (the supervisor itself was killed, the stack kept running) is adopted, not started twice.
 *
 * <pre>
 * java -cp devstack.jar:lib/* io.faultline.devstack.launcher.Supervisor --home .faultline
 * </pre>
 */
public final class Supervisor {

    /** {@code ./faultline down} promises to finish within 15 s; the launcher's own work takes the rest. */
    static final Duration STOP_DEADLINE = Duration.ofSeconds(12);

    /** Liveness: checked this often; this many failed checks in a row restart the component. */
    static final Duration LIVENESS_PERIOD = Duration.ofSeconds(5);

    static final int LIVENESS_FAILURES = 3;
    /** How long services wait for the infrastructure (Kafka and PostgreSQL) before starting anyway. */
    private static final Duration INFRASTRUCTURE_WAIT = Duration.ofSeconds(120);

    private final StackPlan plan;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "supervisor");
        t.setDaemon(true);
        return t;
    });
    // read by the shutdown hook while start() may still be adding to it
    private final List<Supervised> components = new CopyOnWriteArrayList<>();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private volatile boolean stopping;

    private final Duration livenessPeriod;
    private final Supplier<RestartBackoff> backoffs;

    Supervisor(StackPlan plan) {
        this(plan, LIVENESS_PERIOD);
    }

    Supervisor(StackPlan plan, Duration livenessPeriod) {
        this(plan, livenessPeriod, RestartBackoff::new);
    }

    /** @param backoffs each component's restart delays (tests shorten them) */
    Supervisor(StackPlan plan, Duration livenessPeriod, Supplier<RestartBackoff> backoffs) {
        this.plan = plan;
        this.livenessPeriod = livenessPeriod;
        this.backoffs = backoffs;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2 || !args[0].equals("--home")) {
            System.err.println("usage: Supervisor --home DIR");
            System.exit(2);
        }
        Path home = Path.of(args[1]).toAbsolutePath();
        Supervisor supervisor = new Supervisor(StackPlan.read(home));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            supervisor.stop();
                            stopped.countDown();
                        },
                        "supervisor-stop"));
        Files.writeString(
                supervisor.plan.run().resolve("supervisor.pid"),
                Long.toString(ProcessHandle.current().pid()));
        supervisor.start();
        stopped.await();
    }

    /** Adopts what still runs, starts the rest: the infrastructure first, then the services. */
    void start() throws IOException, InterruptedException {
        boolean startedInfrastructure = false;
        for (StackPlan.Component component : plan.components()) {
            Supervised supervised = new Supervised(component);
            components.add(supervised);
            Optional<ProcessHandle> running = livePid(component);
            if (running.isPresent()) {
                log(component.name() + " runs (pid " + running.get().pid() + "): adopted");
                supervised.watch(running.get());
                continue;
            }
            if (component.infrastructure()) {
                startedInfrastructure = true;
            } else if (startedInfrastructure) {
                awaitInfrastructure();
                startedInfrastructure = false;
            }
            supervised.launch();
        }
        for (Supervised c : components) {
            c.component
                    .liveUrl()
                    .ifPresent(url -> scheduler.scheduleWithFixedDelay(
                            () -> c.checkLiveness(url),
                            livenessPeriod.toMillis(),
                            livenessPeriod.toMillis(),
                            TimeUnit.MILLISECONDS));
        }
    }

    /** Stops every component: services first, all at once, then the infrastructure. */
    void stop() {
        stopping = true;
        scheduler.shutdownNow();
        Instant deadline = Instant.now().plus(STOP_DEADLINE);
        List<Supervised> services =
                components.stream().filter(c -> !c.component.infrastructure()).toList();
        List<Supervised> infrastructure =
                components.stream().filter(c -> c.component.infrastructure()).toList();
        // the services get most of the time; the broker's and database's clean stop takes ~3 s
        terminate(services, deadline.minusSeconds(5));
        terminate(infrastructure, deadline);
        for (Supervised c : components) {
            c.forgetPid();
        }
        killOrphanedPostgres();
        log("stopped");
    }

    private void terminate(List<Supervised> group, Instant deadline) {
        List<ProcessHandle> alive = new ArrayList<>();
        for (Supervised c : group) {
            c.settled().filter(Processes::running).ifPresent(p -> {
                log("stopping " + c.component.name() + " (pid " + p.pid() + ")");
                p.destroy();
                alive.add(p);
            });
        }
        if (!awaitGone(alive, deadline)) {
            for (ProcessHandle p : alive) {
                if (Processes.running(p)) {
                    log("pid " + p.pid() + " did not stop in time; killing it");
                    p.destroyForcibly();
                }
            }
            awaitGone(alive, Instant.now().plusSeconds(2));
        }
    }

    /** Polls: an adopted process is not this JVM's child (see {@link StackProcesses#awaitExit}). */
    private static boolean awaitGone(List<ProcessHandle> processes, Instant deadline) {
        Duration left = Duration.between(Instant.now(), deadline);
        return StackProcesses.awaitExit(processes, left.isNegative() ? Duration.ZERO : left);
    }

    private void awaitInfrastructure() throws InterruptedException {
        Instant deadline = Instant.now().plus(INFRASTRUCTURE_WAIT);
        while (Instant.now().isBefore(deadline) && !stopping) {
            boolean ready = components.stream()
                    .filter(c -> c.component.infrastructure())
                    .allMatch(c -> c.component.readyFile().map(Files::exists).orElse(true));
            if (ready) {
                return;
            }
            Thread.sleep(100);
        }
    }

    void killOrphanedPostgres() {
        StackProcesses.stopOrphanedPostgres(plan.home(), Duration.ofSeconds(5), this::log);
    }

    /** The component's recorded process, if it runs and is one of this home's (pids are reused). */
    private Optional<ProcessHandle> livePid(StackPlan.Component component) {
        return Processes.fromPidFile(plan.run().resolve(component.name() + ".pid"))
                // an exact argument: a reused pid, or the stack of /tmp/ab for that of /tmp/a, is not adopted
                .filter(p -> StackProcesses.hasArgument(p, StackProcesses.homeMark(plan.home())));
    }

    private void log(String message) {
        System.out.println(DateTimeFormatter.ISO_INSTANT.format(Instant.now()) + " supervisor: " + message);
    }

    /** One component: its current process, its restart count and backoff. */
    private final class Supervised {
        private final StackPlan.Component component;
        private volatile ProcessHandle process;
        private volatile Instant startedAt = Instant.now();
        private final RestartBackoff backoff = backoffs.get();
        private int restarts;
        private int livenessFailures;

        Supervised(StackPlan.Component component) {
            this.component = component;
            this.restarts = readRestarts();
        }

        Optional<ProcessHandle> current() {
            return Optional.ofNullable(process);
        }

        /**
         * The current process once no launch is under way: a restart that began before stop() was
         * called finishes first (launch holds this monitor), and its process is stopped with the rest.
         */
        synchronized Optional<ProcessHandle> settled() {
            return current();
        }

        synchronized void launch() throws IOException {
            if (stopping) {
                return;
            }
            if (component.infrastructure()) {
                killOrphanedPostgres();
                for (Path ready : component.readyFile().stream().toList()) {
                    Files.deleteIfExists(ready);
                }
            }
            ProcessBuilder pb = new ProcessBuilder("bash", component.script().toString())
                    .redirectErrorStream(true)
                    .redirectOutput(
                            ProcessBuilder.Redirect.appendTo(component.log().toFile()))
                    .redirectInput(
                            ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            Process started = pb.start();
            if (stopping) {
                started.destroyForcibly(); // stop() began while this one was starting
                return;
            }
            log("started " + component.name() + " (pid " + started.pid() + ")");
            watch(started.toHandle());
        }

        void watch(ProcessHandle handle) throws IOException {
            process = handle;
            startedAt = Instant.now();
            writeAtomically(plan.run().resolve(component.name() + ".pid"), Long.toString(handle.pid()));
            if (handle.parent()
                    .map(p -> p.pid() == ProcessHandle.current().pid())
                    .orElse(false)) {
                handle.onExit().thenRun(() -> exited(handle));
            } else {
                // adopted: see awaitGone for why this polls
                scheduler.schedule(() -> pollAdopted(handle), 500, TimeUnit.MILLISECONDS);
            }
        }

        /**
         * A process can run and be dead inside (a Kafka Streams client in ERROR, a deadlock): it
         * says so on its liveness check, or stops answering it. Refused connections do not count:
         * the process is starting, or gone, which its exit tells.
         */
        void checkLiveness(URI url) {
            ProcessHandle watched = process;
            if (stopping || watched == null || !Processes.running(watched)) {
                return;
            }
            boolean failed;
            try {
                HttpResponse<Void> r = http.send(
                        HttpRequest.newBuilder(url)
                                .timeout(Duration.ofSeconds(3))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                failed = r.statusCode() >= 500;
            } catch (java.net.ConnectException starting) {
                failed = false;
            } catch (IOException noAnswer) {
                failed = true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            livenessFailures = failed ? livenessFailures + 1 : 0;
            if (livenessFailures >= LIVENESS_FAILURES) {
                livenessFailures = 0;
                log(component.name() + " (pid " + watched.pid() + ") failed " + LIVENESS_FAILURES
                        + " liveness checks in a row (" + url + "); killing it to restart it");
                watched.destroyForcibly();
            }
        }

        private void pollAdopted(ProcessHandle handle) {
            if (Processes.running(handle)) {
                scheduler.schedule(() -> pollAdopted(handle), 500, TimeUnit.MILLISECONDS);
            } else {
                exited(handle);
            }
        }

        private synchronized void exited(ProcessHandle handle) {
            if (stopping || handle != process) {
                return;
            }
            Duration wait = backoff.after(Duration.between(startedAt, Instant.now()));
            restarts++;
            try {
                writeAtomically(plan.run().resolve(component.name() + ".restarts"), Integer.toString(restarts));
            } catch (IOException e) {
                log("could not record the restart of " + component.name() + ": " + e);
            }
            log(component.name() + " (pid " + handle.pid() + ") exited unexpectedly; restart " + restarts + " in "
                    + wait.toMillis() + " ms (log: " + component.log() + ")");
            try {
                scheduler.schedule(this::relaunch, wait.toMillis(), TimeUnit.MILLISECONDS);
            } catch (RuntimeException rejected) {
                // the scheduler is shut down: the supervisor is stopping
            }
        }

        private void relaunch() {
            try {
                launch();
            } catch (IOException e) {
                log("could not restart " + component.name() + ": " + e + "; trying again");
                exited(process);
            }
        }

        void forgetPid() {
            try {
                Files.deleteIfExists(plan.run().resolve(component.name() + ".pid"));
            } catch (IOException ignored) {
                // the launcher treats a pid file of a dead process as absent
            }
        }

        private int readRestarts() {
            try {
                Path file = plan.run().resolve(component.name() + ".restarts");
                return Files.exists(file)
                        ? Integer.parseInt(Files.readString(file).trim())
                        : 0;
            } catch (IOException | NumberFormatException e) {
                return 0;
            }
        }
    }

    private static void writeAtomically(Path file, String content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
