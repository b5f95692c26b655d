package io.faultline.devstack.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code ./faultline}'s commands that run the local stack: {@code up}, {@code down},
 * {@code status}, {@code demo}, {@code bench} and {@code drill}. The script finds Java, builds
 * what is missing and runs this; each service's wiring is {@link ServiceWiring}'s, and the
 * {@link Supervisor} keeps the components running.
 *
 * <pre>
 * java -Dfaultline.root=REPO -cp devstack.jar:lib/* io.faultline.devstack.launcher.Launcher up -d
 * </pre>
 */
public final class Launcher {

    /**
     * How long a part may take to become ready. Generous: a loaded machine starts slowly (Flyway's
     * migrations alone took two minutes at a load of 45 on two cores), while a part that crashes
     * or a supervisor that dies is reported at once.
     */
    static final Duration START_DEADLINE = Duration.ofSeconds(240);

    private final LauncherSettings settings;
    private final StackProcesses processes;
    private final PrintStream out;
    private final PrintStream err;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    Launcher(LauncherSettings settings, PrintStream out, PrintStream err) {
        this.settings = settings;
        this.processes = new StackProcesses(settings.home(), out);
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        int status;
        try {
            Path root = Path.of(System.getProperty("faultline.root", ".")).toAbsolutePath();
            Path cwd = Path.of(System.getProperty("faultline.pwd", System.getProperty("user.dir")));
            LauncherCommand command = LauncherCommand.parse(args);
            LauncherSettings settings = LauncherSettings.from(root, cwd, System.getenv());
            status = new Launcher(settings, System.out, System.err).run(command);
        } catch (LauncherException e) {
            if (Interrupts.handling()) {
                awaitInterruptsExit();
            }
            System.err.println("faultline: " + e.getMessage());
            status = e.exitStatus();
        } catch (IOException | UncheckedIOException e) {
            System.err.println("faultline: " + e);
            status = 1;
        } catch (InterruptedException e) {
            status = 130;
        }
        System.out.flush();
        System.exit(status);
    }

    /** A Ctrl-C's action stops the stack and exits; the start-up it interrupted has nothing to add. */
    private static void awaitInterruptsExit() {
        try {
            Thread.sleep(Long.MAX_VALUE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    int run(LauncherCommand command) throws IOException, InterruptedException {
        if (command instanceof LauncherCommand.Up up) {
            if (up.replicas() > 0 && up.replicas() != settings.replicas()) {
                return new Launcher(settings.withReplicas(up.replicas()), out, err).up(up.detach(), Map.of());
            }
            return up(up.detach(), Map.of());
        } else if (command instanceof LauncherCommand.Down) {
            return down();
        } else if (command instanceof LauncherCommand.Status) {
            return status();
        } else if (command instanceof LauncherCommand.Demo demo) {
            return new BookingDemo(this).run(demo.detach(), demo.traffic());
        } else if (command instanceof LauncherCommand.Bench bench) {
            return new Benchmarks(this).bench(bench.kind(), bench.args());
        } else if (command instanceof LauncherCommand.Drill drill) {
            return new Benchmarks(this).drill(drill.args());
        }
        throw new IllegalArgumentException(command.toString());
    }

    // ------------------------------------------------------------------------------------------ up

    /**
     * Starts whatever is missing and waits until every part is ready. A stack whose supervisor runs
     * is only waited for (the supervisor restarts what died); without one, what still runs is
     * adopted and the rest started on the same data, Kafka and PostgreSQL included.
     *
     * @param extraEnvironment variables the services get besides the launcher's environment
     */
    int up(boolean detach, Map<String, String> extraEnvironment) throws IOException, InterruptedException {
        Files.createDirectories(settings.run());
        Files.createDirectories(settings.logs());
        if (processes.process(StackProcesses.SUPERVISOR).isPresent()) {
            Secrets secrets = Secrets.ensure(settings.secretsFile());
            awaitStack(processes.restarts(StackProcesses.DEVSTACK));
            writeStackEnv(secrets);
            say("the stack already runs from " + settings.home() + "; every component is ready");
            return 0;
        }
        boolean fresh = processes.running().isEmpty();
        checkPorts();
        ensureBuilt();
        Secrets secrets = Secrets.ensure(settings.secretsFile());
        if (fresh) {
            for (String c : StackProcesses.components()) {
                Files.deleteIfExists(settings.run().resolve(c + ".restarts"));
            }
        }
        int devstackRestarts = processes.restarts(StackProcesses.DEVSTACK);
        StackPlan.write(settings, settings.stack(secrets));
        Interrupts interrupts = Interrupts.onInterrupt(() -> {
            say("start-up interrupted; stopping");
            processes.stop();
            return 130;
        });
        if (fresh) {
            say("starting Kafka (:" + settings.kafkaPort() + "), PostgreSQL (:" + settings.postgresPort() + ") and "
                    + String.join(
                            " ",
                            settings.services().stream()
                                    .map(ServiceWiring::serviceName)
                                    .toList())
                    + (settings.replicas() > 1
                            ? ", " + settings.replicas() + " instances of each (ports +100 each)"
                            : ""));
        } else {
            say("adopting " + String.join(" ", processes.running()) + " and starting the rest");
        }
        startSupervisor(extraEnvironment);
        awaitStack(devstackRestarts);
        writeStackEnv(secrets);
        out.print(banner(secrets));
        if (detach) {
            interrupts.close();
            say("detached; './faultline down' stops it");
            return 0;
        }
        return runInForeground(
                interrupts, "running; Ctrl-C stops everything (the supervisor restarts a component that dies)");
    }

    /** Until Ctrl-C, or until the supervisor is gone; either way the stack is stopped. */
    int runInForeground(Interrupts startUp, String message) throws InterruptedException {
        startUp.close();
        try (Interrupts ignored = Interrupts.onInterrupt(() -> {
            out.println();
            processes.stop();
            say("stopped");
            return 0;
        })) {
            say(message);
            while (processes.process(StackProcesses.SUPERVISOR).isPresent()) {
                Thread.sleep(1000);
            }
            say("the supervisor has exited; see " + settings.logs());
            processes.stop();
        }
        return 0;
    }

    private void checkPorts() {
        if (processes.process(StackProcesses.DEVSTACK).isEmpty()) {
            portFree(settings.kafkaPort(), "FAULTLINE_KAFKA_PORT");
            portFree(settings.kafkaControllerPort(), "FAULTLINE_KAFKA_CONTROLLER_PORT");
            // an orphaned PostgreSQL of this home holds its port: the supervisor stops it first
            if (portInUse(settings.postgresPort()) && !Files.exists(settings.postmasterPid())) {
                throw new LauncherException(
                        "port " + settings.postgresPort() + " is taken; set FAULTLINE_POSTGRES_PORT to a free port");
            }
        }
        for (ServiceWiring s : settings.services()) {
            for (int instance = 1; instance <= settings.replicas(); instance++) {
                String name = s.instanceName(instance);
                int port = settings.port(s, instance);
                if (processes.process(name).isEmpty() && portInUse(port)) {
                    throw new LauncherException("port " + port + " (" + name + ") is taken; set " + s.portVariable()
                            + " to a free port"
                            + (instance > 1
                                    ? " (instance " + instance + " listens on it + " + (instance - 1) * 100 + ")"
                                    : ""));
                }
            }
        }
    }

    private void portFree(int port, String variable) {
        if (portInUse(port)) {
            throw new LauncherException("port " + port + " is taken; set " + variable + " to a free port");
        }
    }

    /** Builds the jars the stack runs when one is missing (a fresh clone, a {@code mvn clean}). */
    void ensureBuilt() throws IOException, InterruptedException {
        boolean missing = java.util.Arrays.stream(ServiceWiring.values())
                        .anyMatch(s -> !Files.isRegularFile(s.jar(settings.root())))
                || !Files.isRegularFile(settings.root().resolve("devstack/target/devstack.jar"))
                || !Files.isDirectory(settings.root().resolve("devstack/target/lib"));
        if (missing) {
            say("building (first run: Maven downloads the dependencies, a few minutes) ...");
            if (maven(List.of("-DskipTests", "-Dspotless.check.skip=true", "package"), false) != 0) {
                throw new LauncherException("build failed; run ./mvnw -DskipTests package to see why");
            }
        }
    }

    /** Builds one module, and what it needs, when its artifact is missing; Maven's output goes to stderr. */
    void ensureModule(Path artifact, String module, String failure) throws IOException, InterruptedException {
        if (!Files.exists(artifact)
                && maven(List.of("-pl", module, "-am", "-DskipTests", "-Dspotless.check.skip=true", "package"), true)
                        != 0) {
            throw new LauncherException(failure);
        }
    }

    /** {@code ./mvnw -B -q ARGS} in the repository, its output on this command's stderr or stdout. */
    int maven(List<String> args, boolean outputToStderr) throws IOException, InterruptedException {
        List<String> command =
                new ArrayList<>(List.of(settings.root().resolve("mvnw").toString(), "-B", "-q"));
        command.addAll(args);
        ProcessBuilder pb =
                new ProcessBuilder(command).directory(settings.root().toFile());
        pb.redirectInput(ProcessBuilder.Redirect.INHERIT).redirectError(ProcessBuilder.Redirect.INHERIT);
        // appended: stderr may be a log file, which opening it to write would otherwise truncate
        pb.redirectOutput(
                outputToStderr
                        ? ProcessBuilder.Redirect.appendTo(new java.io.File("/dev/stderr"))
                        : ProcessBuilder.Redirect.INHERIT);
        return pb.start().waitFor();
    }

    /**
     * The supervisor runs in a session of its own: a Ctrl-C in the terminal or its closing reaches
     * the launcher, which stops the stack in order, not every component at once.
     */
    private void startSupervisor(Map<String, String> extraEnvironment) throws IOException {
        List<String> command = new ArrayList<>();
        setsid().ifPresent(command::add);
        command.addAll(List.of(
                javaExecutable(),
                "-Xmx64m",
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                StackProcesses.homeMark(settings.home()),
                "-cp",
                StackPlan.devstackClasspath(settings.root()),
                Supervisor.class.getName(),
                "--home",
                settings.home().toString()));
        Process supervisor =
                startDetached(command, extraEnvironment, settings.logs().resolve("supervisor.log"), true);
        Files.writeString(settings.run().resolve("supervisor.pid"), Long.toString(supervisor.pid()));
    }

    /** A process that outlives this one: output appended to {@code log}, no input. */
    Process startDetached(List<String> command, Map<String, String> extraEnvironment, Path log, boolean append)
            throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(
                        append
                                ? ProcessBuilder.Redirect.appendTo(log.toFile())
                                : ProcessBuilder.Redirect.to(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().clear();
        pb.environment().putAll(settings.environment());
        pb.environment().putAll(extraEnvironment);
        return pb.start();
    }

    static Optional<String> setsid() {
        return java.util.stream.Stream.of("/usr/bin/setsid", "/bin/setsid")
                .filter(p -> Files.isExecutable(Path.of(p)))
                .findFirst();
    }

    static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Kafka and PostgreSQL first, then each service's readiness; gives up on a crash loop. */
    private void awaitStack(int devstackRestartsBefore) throws InterruptedException {
        Path ready = settings.run().resolve("devstack.ready");
        Instant deadline = Instant.now().plus(START_DEADLINE);
        while (true) {
            if (Files.exists(ready)) {
                break;
            }
            checkSupervisor();
            if (processes.restarts(StackProcesses.DEVSTACK) > devstackRestartsBefore + 2) {
                tail(settings.logs().resolve("devstack.log"), 20);
                throw new LauncherException("Kafka/PostgreSQL keep failing to start (log: "
                        + settings.logs().resolve("devstack.log") + ")");
            }
            if (Instant.now().isAfter(deadline)) {
                // what it waits on, e.g. room on a full disk, is in its log
                tail(settings.logs().resolve("devstack.log"), 20);
                throw new LauncherException("Kafka/PostgreSQL not ready after " + START_DEADLINE.toSeconds()
                        + " s (log: " + settings.logs().resolve("devstack.log") + ")");
            }
            Thread.sleep(100);
        }
        for (ServiceWiring s : settings.services()) {
            for (int instance = 1; instance <= settings.replicas(); instance++) {
                awaitReady(s.instanceName(instance), settings.port(s, instance));
            }
        }
    }

    private void awaitReady(String name, int port) throws InterruptedException {
        String url = "http://127.0.0.1:" + port + "/q/health/ready";
        Path log = settings.logs().resolve(name + ".log");
        int before = processes.restarts(name);
        Instant deadline = Instant.now().plus(START_DEADLINE);
        while (Instant.now().isBefore(deadline)) {
            if (httpStatus(url).equals("200")) {
                return;
            }
            checkSupervisor();
            if (processes.restarts(name) > before + 2) {
                tail(log, 30);
                throw new LauncherException(name + " keeps exiting during start-up (log: " + log + ")");
            }
            Thread.sleep(500);
        }
        tail(log, 30);
        throw new LauncherException(name + " not ready after " + START_DEADLINE.toSeconds() + " s (log: " + log + ")");
    }

    private void checkSupervisor() {
        if (processes.process(StackProcesses.SUPERVISOR).isEmpty()) {
            Path log = settings.logs().resolve("supervisor.log");
            tail(log, 20);
            throw new LauncherException("the supervisor exited (log: " + log + ")");
        }
    }

    /** {@code HOME/stack.env}: source it to talk to the local stack (the tests and benchmarks read it). */
    private void writeStackEnv(Secrets secrets) throws IOException {
        String ingest = settings.url(ServiceWiring.INGEST);
        String text = "# Written by ./faultline up; source it to talk to the local stack.\n"
                + "FAULTLINE_HOME=" + settings.home() + "\n"
                + "INGEST_URL=" + ingest + "\n"
                + "DASHBOARD_URL=" + settings.url(ServiceWiring.DASHBOARD) + "\n"
                + "IMPACT_URL=" + settings.url(ServiceWiring.IMPACT) + "\n"
                + "CLASSIFIER_URL=" + settings.url(ServiceWiring.CLASSIFIER) + "\n"
                + "RESOLVER_URL=" + settings.url(ServiceWiring.RESOLVER) + "\n"
                + instanceUrls()
                + "KAFKA_BOOTSTRAP_SERVERS=" + settings.kafkaBootstrap() + "\n"
                + "POSTGRES_JDBC_URL=jdbc:postgresql://127.0.0.1:" + settings.postgresPort() + "/faultline\n"
                + "PROJECT_ID=" + secrets.projectId() + "\n"
                + "PROJECT_KEY=" + secrets.projectKey() + "\n"
                + "SENTRY_DSN=" + secrets.dsn(settings.bind(), settings.port(ServiceWiring.INGEST)) + "\n"
                + "ADMIN_TOKEN=" + secrets.adminToken() + "\n"
                + "ADMIN_USER=" + secrets.adminUser() + "\n"
                + "ADMIN_PASSWORD=" + secrets.adminPassword() + "\n";
        writePrivate(settings.home().resolve("stack.env"), text);
    }

    /**
     * {@code REPLICAS=N}, and each further instance's URL ({@code INGEST_URL_2}, ...): the drill
     * spreads its load over the ingest instances and kills the second instance of each service.
     */
    private String instanceUrls() {
        StringBuilder text = new StringBuilder("REPLICAS=" + settings.replicas() + "\n");
        for (int instance = 2; instance <= settings.replicas(); instance++) {
            for (ServiceWiring s : settings.services()) {
                text.append(urlVariable(s))
                        .append('_')
                        .append(instance)
                        .append('=')
                        .append(settings.url(s, instance))
                        .append('\n');
            }
        }
        return text.toString();
    }

    static String urlVariable(ServiceWiring s) {
        return switch (s) {
            case INGEST -> "INGEST_URL";
            case DASHBOARD -> "DASHBOARD_URL";
            case IMPACT -> "IMPACT_URL";
            case CLASSIFIER -> "CLASSIFIER_URL";
            case RESOLVER -> "RESOLVER_URL";
        };
    }

    void appendToStackEnv(String line) throws IOException {
        Files.writeString(
                settings.home().resolve("stack.env"), line + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    /** Written readable by its owner only: it holds credentials. */
    static void writePrivate(Path file, String text) throws IOException {
        if (!Files.exists(file)) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
    }

    private String banner(Secrets secrets) {
        String dashboard = settings.url(ServiceWiring.DASHBOARD);
        String ingest = settings.url(ServiceWiring.INGEST);
        return "\nFaultline is up (data in " + settings.home() + ", logs in " + settings.logs() + ").\n"
                + "  Dashboard   " + dashboard + "        log in as " + secrets.adminUser() + " / "
                + secrets.adminPassword() + "\n"
                + "              scripts: Authorization: Bearer " + secrets.adminToken() + "\n"
                + "  Ingest      " + ingest + "        project " + secrets.projectId() + ", key: "
                + secrets.projectKey() + "\n"
                + "  Sentry DSN  " + secrets.dsn(settings.bind(), settings.port(ServiceWiring.INGEST)) + "\n"
                + "  Impact      " + settings.url(ServiceWiring.IMPACT) + "\n"
                + "  Variables   source " + settings.home().resolve("stack.env") + "\n\n";
    }

    // ------------------------------------------------------------------------------- down, status

    int down() {
        if (processes.running().isEmpty() && processes.marked().isEmpty() && !Files.exists(settings.postmasterPid())) {
            say("nothing runs from " + settings.home());
            return 0;
        }
        processes.stop();
        say("stopped");
        return 0;
    }

    /** One line a component; exit status 3 when nothing runs, as an init script's status does. */
    int status() {
        boolean any = false;
        Optional<ProcessHandle> supervisor = processes.process(StackProcesses.SUPERVISOR);
        out.println(supervisor
                .map(p -> String.format("%-20s running  pid %s", StackProcesses.SUPERVISOR, p.pid()))
                .orElse(String.format("%-20s stopped", StackProcesses.SUPERVISOR)));
        List<String> components = new ArrayList<>(List.of(StackProcesses.DEVSTACK));
        components.addAll(plannedServices());
        for (String c : components) {
            Optional<ProcessHandle> p = processes.process(c);
            int restarts = processes.restarts(c);
            if (p.isEmpty()) {
                out.printf("%-20s stopped                         restarts=%s%n", c, restarts);
                continue;
            }
            any = true;
            if (c.equals(StackProcesses.DEVSTACK)) {
                out.printf(
                        "%-20s running  pid %-7s kafka :%s  postgres :%s  restarts=%s%n",
                        c, p.get().pid(), settings.kafkaPort(), settings.postgresPort(), restarts);
            } else {
                int port = port(c);
                out.printf(
                        "%-20s running  pid %-7s :%-6s ready=%s  restarts=%s%n",
                        c, p.get().pid(), port, httpStatus("http://127.0.0.1:" + port + "/q/health/ready"), restarts);
            }
        }
        return any ? 0 : 3;
    }

    /**
     * The service instances the running stack's plan names (an {@code up --replicas 2} stack's
     * second instances included); without a plan, those the settings describe.
     */
    private List<String> plannedServices() {
        try {
            return StackPlan.read(settings.home()).components().stream()
                    .filter(c -> !c.infrastructure())
                    .map(StackPlan.Component::name)
                    .toList();
        } catch (IOException | RuntimeException noPlan) {
            List<String> names = new ArrayList<>();
            for (ServiceWiring s : settings.services()) {
                for (int instance = 1; instance <= settings.replicas(); instance++) {
                    names.add(s.instanceName(instance));
                }
            }
            return names;
        }
    }

    /** The port of a service instance by its component name ({@code ingest-service-2}). */
    int port(String component) {
        for (ServiceWiring s : ServiceWiring.values()) {
            for (int instance = 1; instance <= ServiceWiring.MAX_INSTANCES; instance++) {
                if (s.instanceName(instance).equals(component)) {
                    return settings.port(s, instance);
                }
            }
        }
        throw new IllegalArgumentException(component);
    }

    // ------------------------------------------------------------------------------------ helpers

    /** The HTTP status of a GET, {@code 000} when nothing answers within 3 s (curl's way). */
    String httpStatus(String url) {
        try {
            HttpResponse<Void> response = http.send(
                    HttpRequest.newBuilder(URI.create(url))
                            .timeout(Duration.ofSeconds(3))
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            return Integer.toString(response.statusCode());
        } catch (IOException e) {
            return "000";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "000";
        }
    }

    /** Whether something accepts connections on the port of 127.0.0.1. */
    static boolean portInUse(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The last lines of a log, on stderr: what a failed start-up's reader needs first. */
    void tail(Path log, int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            all.subList(Math.max(0, all.size() - lines), all.size()).forEach(err::println);
        } catch (IOException | UncheckedIOException e) {
            // no log yet: the message names where it will be
        }
    }

    void say(String message) {
        out.println("faultline: " + message);
    }

    LauncherSettings settings() {
        return settings;
    }

    StackProcesses processes() {
        return processes;
    }
}
