package io.faultline.devstack.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * {@code ./faultline bench} and {@code ./faultline drill}: a throw-away stack in a temporary home,
 * measured or broken by loadgen's programs, and removed afterwards whatever happened (Ctrl-C
 * included). Each prints a JSON summary as its last line.
 */
final class Benchmarks {

    static final List<String> KINDS = List.of("ingest", "pipeline", "sse", "impact", "resolution", "e2e");
    static final String USAGE = "usage: ./faultline bench ingest|pipeline|sse|impact|resolution|e2e [--rates R,R,..]"
            + " [--seconds-per-rate N] [--seconds N] [--concurrency N] [--batch N] [--batch-in-flight N] [--rate N]"
            + " [--rounds N]";

    /** What a benchmark measures: loadgen's main, the services it needs, how the stack starts. */
    private record Kind(String main, String services, List<String> start) {}

    private static final List<String> UP = List.of("up", "-d");
    private static final Map<String, Kind> BENCHES = Map.of(
            "ingest", new Kind("io.faultline.loadgen.IngestBench", "ingest-service", UP),
            "pipeline", new Kind("io.faultline.loadgen.PipelineBench", "classifier-service ingest-service", UP),
            "sse",
                    new Kind(
                            "io.faultline.loadgen.SseBench",
                            "impact-service classifier-service ingest-service dashboard-api",
                            UP),
            "resolution",
                    new Kind(
                            "io.faultline.loadgen.ResolutionBench",
                            "classifier-service resolver-service ingest-service",
                            List.of("demo", "-d", "--no-traffic")),
            // the full stack; its clock starts when up -d returns (E2eBench)
            "e2e", new Kind("io.faultline.loadgen.E2eBench", String.join(" ", ServiceWiring.names()), UP));

    /** The benchmarks and the drill measure capacity, not the default per-project/per-key rate limits. */
    private static final List<String> RATE_LIMITS = List.of(
            "FAULTLINE_INGEST_RATE_LIMIT_PER_PROJECT_PER_MINUTE", "FAULTLINE_INGEST_RATE_LIMIT_PER_KEY_PER_MINUTE");

    private final Launcher launcher;
    private final LauncherSettings settings;

    Benchmarks(Launcher launcher) {
        this.launcher = launcher;
        this.settings = launcher.settings();
    }

    int bench(String kind, List<String> args) throws IOException, InterruptedException {
        if (kind.equals("impact")) {
            return impact(args);
        }
        Kind bench = BENCHES.get(kind);
        launcher.ensureBuilt();
        ensureLoadgen();
        Path home = Files.createTempDirectory(tmp(), "faultline-bench.");
        try (ThrowAwayStack stack = new ThrowAwayStack(home, null)) {
            launcher.say("starting a throw-away stack in " + home + " with: " + bench.services());
            Map<String, String> env = stackEnvironment(home, bench.services());
            env.put(
                    "FAULTLINE_DEVSTACK_JAVA_OPTS",
                    settings.environment().getOrDefault("FAULTLINE_DEVSTACK_JAVA_OPTS", ""));
            stack.start(bench.start(), env, "the benchmark stack did not start");
            long upReturned = System.currentTimeMillis();
            List<String> command = loadgen("-Xmx1g", bench.main());
            command.addAll(List.of(
                    "--stack-env", home.resolve("stack.env").toString(),
                    "--ingest-pid",
                            Files.readString(home.resolve("run/ingest-service.pid"))
                                    .trim(),
                    "--up-returned-millis", Long.toString(upReturned)));
            command.addAll(args);
            return runInherited(command, env);
        }
    }

    /** In-process: the real batch consumer on the embedded broker and PostgreSQL of the module's tests. */
    private int impact(List<String> args) throws IOException, InterruptedException {
        List<String> props = new ArrayList<>();
        for (int i = 0; i < args.size(); i += 2) {
            String property =
                    switch (args.get(i)) {
                        case "--events" -> "bench.events";
                        case "--stored" -> "bench.stored";
                        case "--queries" -> "bench.queries";
                        default -> null;
                    };
            if (property == null || i + 1 >= args.size()) {
                throw new LauncherException("usage: ./faultline bench impact [--events N] [--stored N] [--queries N]");
            }
            props.add("-D" + property + "=" + args.get(i + 1));
        }
        Path log = Files.createTempFile(tmp(), "faultline-bench-impact.", "");
        List<String> command = new ArrayList<>(List.of(
                settings.root().resolve("mvnw").toString(),
                "-B",
                "-q",
                "-pl",
                "impact-service",
                "-am",
                "test",
                "-Dspotless.check.skip=true",
                "-Dtest=ImpactBench",
                "-Dsurefire.failIfNoSpecifiedTests=false"));
        command.addAll(props);
        Process maven = new ProcessBuilder(command)
                .directory(settings.root().toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (maven.waitFor() != 0) {
            launcher.tail(log, 50);
            throw new LauncherException("the impact benchmark failed (log: " + log + ")");
        }
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            if (line.startsWith("[bench] ")) {
                System.out.println(line.substring("[bench] ".length()));
            }
        }
        List<String> report = Files.readAllLines(settings.root().resolve("impact-service/target/bench/impact.txt"));
        if (!report.isEmpty()) {
            System.out.println(report.get(report.size() - 1));
        }
        return 0;
    }

    /**
     * Under sustained load, kills the stack part by part ({@code kill -9}) and reports what was lost
     * and how long each recovery took. The resolver acts for real during the drill: a webhook
     * runbook calls a receiver in the drill, which counts every call, so an action run twice shows.
     */
    int drill(List<String> drillArgs) throws IOException, InterruptedException {
        launcher.ensureBuilt();
        ensureLoadgen();
        List<String> args = new ArrayList<>(drillArgs);
        // the launcher's own options; the rest go to loadgen's Drill
        String replicas = takeOption(args, "--replicas", Integer.toString(settings.replicas()));
        String diskSize = takeOption(args, "--disk-size", null);
        LauncherSettings.replicas(replicas);
        Path home = Files.createTempDirectory(tmp(), "faultline-drill.");
        // FAULTLINE_DRILL_LOGS=DIR keeps the throw-away stack's logs there (the drill IT reads them)
        String keepLogs = settings.environment().get("FAULTLINE_DRILL_LOGS");
        try (ThrowAwayStack stack =
                new ThrowAwayStack(home, keepLogs == null || keepLogs.isEmpty() ? null : Path.of(keepLogs))) {
            Map<String, String> env = stackEnvironment(home, String.join(" ", ServiceWiring.names()));
            if (wantsFault(args, "disk-full")) {
                env.put(
                        "FAULTLINE_DRILL_DISK",
                        stack.mountSmallDisk(diskSize != null ? diskSize : plannedDiskSize(args)));
            }
            launcher.say("starting a throw-away stack in " + home
                    + (replicas.equals("1") ? "" : " with " + replicas + " instances of each service"));
            int receiver = freeReceiverPort();
            Path runbooks = home.resolve("drill-runbooks.yaml");
            Files.writeString(runbooks, drillRunbooks(receiver), StandardCharsets.UTF_8);
            env.put("FAULTLINE_REPLICAS", replicas);
            env.put("FAULTLINE_RUNBOOKS_FILE", runbooks.toString());
            stack.start(UP, env, "the drill's stack did not start");
            List<String> command = loadgen("-Xmx512m", "io.faultline.loadgen.Drill");
            command.addAll(List.of(
                    "--stack-env", home.resolve("stack.env").toString(),
                    "--receiver-port", Integer.toString(receiver)));
            command.addAll(args);
            return runInherited(command, env);
        }
    }

    /** Removes {@code --name VALUE} from the arguments and answers VALUE, or the fallback. */
    static String takeOption(List<String> args, String name, String fallback) {
        int i = args.indexOf(name);
        if (i < 0) {
            return fallback;
        }
        if (i + 1 >= args.size()) {
            throw new LauncherException("drill: " + name + " needs a value");
        }
        String value = args.get(i + 1);
        args.subList(i, i + 2).clear();
        return value;
    }

    /**
     * The room the drill's stack needs for the events it will store, so that only the disk-full
     * fault fills its disk: about 4.5 KB an event is written (PostgreSQL 3.3 KB with its indexes,
     * Kafka 1 KB over its topics and changelogs), counted at 8 KB, over the faults' pauses and a
     * 30 s recovery each, on top of 1 GB for the stack itself. Without {@code --faults}, the
     * longest list (two instances: 14 faults).
     */
    static long plannedDiskBytes(List<String> args) {
        List<String> rest = new ArrayList<>(args);
        long rate;
        long pause;
        try {
            rate = Long.parseLong(takeOption(rest, "--rate", "1000"));
            pause = Long.parseLong(takeOption(rest, "--seconds-per-fault", "20"));
        } catch (NumberFormatException e) {
            throw new LauncherException("drill: --rate and --seconds-per-fault take whole numbers");
        }
        String faults = takeOption(rest, "--faults", null);
        long count = faults == null ? 14 : faults.split(",").length;
        long seconds = pause * (count + 1) + 30 * count;
        return (1L << 30) + rate * seconds * 8 * 1024;
    }

    /** The drill's disk when --disk-size does not say: as planned, within half the available memory. */
    private String plannedDiskSize(List<String> args) {
        long planned = plannedDiskBytes(args);
        long diskBytes = cappedDiskBytes(planned, memAvailableBytes());
        if (diskBytes < planned) {
            launcher.say("the drill's disk is capped at half the available memory (" + (diskBytes >> 20)
                    + " MB of the " + (planned >> 20) + " MB its events need): its own data may fill it"
                    + " before the disk-full fault does; use fewer faults or a lower --rate");
        }
        return (diskBytes >> 20) + "m";
    }

    /**
     * The drill's disk is a tmpfs, whose pages are memory, and the disk-full fault fills all of it:
     * at most half the available memory, so the filler cannot push the stack's own processes out.
     */
    static long cappedDiskBytes(long planned, long memAvailable) {
        return memAvailable > 0 ? Math.min(planned, memAvailable / 2) : planned;
    }

    /** MemAvailable from /proc/meminfo, or 0 where there is none. */
    private static long memAvailableBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemAvailable:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // no /proc (not Linux): the planned size stands
        }
        return 0;
    }

    /** Whether the drill's fault list (every fault when none is given) has this one. */
    static boolean wantsFault(List<String> args, String fault) {
        int i = args.indexOf("--faults");
        return i < 0
                || i + 1 >= args.size()
                || List.of(args.get(i + 1).split(",")).contains(fault);
    }

    static String drillRunbooks(int receiverPort) {
        return """
                runbooks:
                  - id: drill-webhook
                    description: The drill's own runbook - one webhook call per attempt, counted by the drill
                    window: 15s
                    maxActionsPerHour: 100000
                    match:
                      tags:
                        service: bench
                    actions:
                      - name: drill-call
                        strategy: webhook
                        target: drill
                        parameters:
                          url: http://127.0.0.1:%d/drill/action
                          method: POST
                          body:
                            attempt: "${attempt.id}"
                            number: "${attempt.number}"
                            action: "${action.name}"
                            group: "${group.id}"
                        timeout: 5s
                """
                .formatted(receiverPort);
    }

    private static int freeReceiverPort() {
        for (int i = 0; i < 50; i++) {
            int port = 20_000 + ThreadLocalRandom.current().nextInt(12_000);
            if (!Launcher.portInUse(port)) {
                return port;
            }
        }
        throw new LauncherException("no free port for the drill's webhook receiver");
    }

    private Map<String, String> stackEnvironment(Path home, String services) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String limit : RATE_LIMITS) {
            String value = settings.environment().get(limit);
            env.put(limit, value == null || value.isEmpty() ? "100000000" : value);
        }
        env.put("FAULTLINE_HOME", home.toString());
        env.put("FAULTLINE_SERVICES", services);
        return env;
    }

    private void ensureLoadgen() throws IOException, InterruptedException {
        launcher.ensureModule(
                settings.root().resolve("loadgen/target/loadgen.jar"),
                "loadgen",
                "loadgen did not build; run ./mvnw -pl loadgen -am package to see why");
    }

    private List<String> loadgen(String heap, String main) {
        Path target = settings.root().resolve("loadgen/target");
        return new ArrayList<>(List.of(
                Launcher.javaExecutable(),
                heap,
                "-cp",
                target.resolve("loadgen.jar") + ":" + target.resolve("lib") + "/*",
                main));
    }

    private int runInherited(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).inheritIO();
        pb.environment().putAll(env);
        return pb.start().waitFor();
    }

    private Path tmp() {
        String dir = settings.environment().get("TMPDIR");
        return Path.of(dir == null || dir.isEmpty() ? "/tmp" : dir);
    }

    /**
     * A stack in a temporary home, run by {@code ./faultline} itself as an operator would, and gone
     * when closed or when this JVM is interrupted: stopped, its logs kept where asked, its home removed.
     */
    private final class ThrowAwayStack implements AutoCloseable {
        private final Path home;
        private final Path keepLogs;
        private boolean mounted;
        private final AtomicBoolean closed = new AtomicBoolean();
        private final Thread onInterrupt = new Thread(this::close, "throw-away-stack-cleanup");

        ThrowAwayStack(Path home, Path keepLogs) {
            this.home = home;
            this.keepLogs = keepLogs;
            Runtime.getRuntime().addShutdownHook(onInterrupt);
        }

        /**
         * Mounts a size-limited tmpfs on the empty home, so that the drill can fill the stack's disk
         * and nothing else's. Answers {@code mounted}, or why not (mounting needs root or
         * CAP_SYS_ADMIN): the drill then reports the disk-full fault as skipped with that reason.
         */
        String mountSmallDisk(String size) throws IOException, InterruptedException {
            if (!size.matches("[0-9]+[kmgKMG]?")) {
                throw new LauncherException("drill: --disk-size " + size + " is not a size (e.g. 2g)");
            }
            Process mount = new ProcessBuilder(
                            "mount", "-t", "tmpfs", "-o", "size=" + size + ",mode=0700", "tmpfs", home.toString())
                    .redirectErrorStream(true)
                    .start();
            String output = new String(mount.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (mount.waitFor() != 0) {
                String reason = "could not mount a " + size
                        + " tmpfs on the drill's home (needs root or CAP_SYS_ADMIN): " + output;
                launcher.say("disk-full will be skipped: " + reason);
                return reason;
            }
            mounted = true;
            launcher.say("the drill's home is a " + size + " tmpfs of its own: disk-full fills it");
            return "mounted";
        }

        void start(List<String> upCommand, Map<String, String> env, String failure)
                throws IOException, InterruptedException {
            Path log = home.resolve("up.log");
            if (faultline(upCommand, env, log) != 0) {
                System.err.print(Files.readString(log));
                throw new LauncherException(failure);
            }
        }

        private int faultline(List<String> args, Map<String, String> env, Path log)
                throws IOException, InterruptedException {
            List<String> command =
                    new ArrayList<>(List.of(settings.root().resolve("faultline").toString()));
            command.addAll(args);
            ProcessBuilder pb = new ProcessBuilder(command)
                    .directory(settings.root().toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            pb.environment().putAll(env);
            return pb.start().waitFor();
        }

        @Override
        public void close() {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            try {
                Runtime.getRuntime().removeShutdownHook(onInterrupt);
            } catch (IllegalStateException shuttingDown) {
                // this is the hook
            }
            try {
                faultline(List.of("down"), Map.of("FAULTLINE_HOME", home.toString()), Path.of("/dev/null"));
                if (keepLogs != null && Files.isDirectory(home.resolve("logs"))) {
                    copyTree(home.resolve("logs"), keepLogs);
                }
                if (mounted) {
                    // lazily: a process that outlived down must not keep the mount (and its memory)
                    new ProcessBuilder("umount", "-l", home.toString())
                            .inheritIO()
                            .start()
                            .waitFor();
                }
                StackPlan.deleteTree(home);
            } catch (IOException e) {
                System.err.println("faultline: could not remove " + home + ": " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
