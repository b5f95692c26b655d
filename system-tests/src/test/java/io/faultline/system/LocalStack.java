package io.faultline.system;

import io.faultline.devstack.FreePorts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Drives {@code ./faultline} exactly as a user would, on free ports and a throw-away home, so the
 * system tests prove the README's run command and the whole stack at once.
 */
final class LocalStack {

    private final Path repo;
    private final Path home;
    private final Map<String, String> env = new HashMap<>();

    LocalStack(Path home) {
        String repoDir = System.getenv("FAULTLINE_REPO");
        this.repo = Path.of(repoDir != null ? repoDir : "..").toAbsolutePath().normalize();
        this.home = home;
        env.put("FAULTLINE_HOME", home.toString());
        env.put("FAULTLINE_DASHBOARD_PORT", Integer.toString(FreePorts.next()));
        env.put("FAULTLINE_INGEST_PORT", Integer.toString(FreePorts.next()));
        env.put("FAULTLINE_CLASSIFIER_PORT", Integer.toString(FreePorts.next()));
        env.put("FAULTLINE_RESOLVER_PORT", Integer.toString(FreePorts.next()));
        env.put("FAULTLINE_IMPACT_PORT", Integer.toString(FreePorts.next()));
        env.put("FAULTLINE_KAFKA_PORT", Integer.toString(FreePorts.next()));
        env.put("FAULTLINE_KAFKA_CONTROLLER_PORT", Integer.toString(FreePorts.next()));
        env.put("FAULTLINE_POSTGRES_PORT", Integer.toString(FreePorts.next()));
        env.put("FAULTLINE_DEMO_PORT", Integer.toString(FreePorts.next()));
    }

    Path home() {
        return home;
    }

    /** Starts only these services (besides Kafka and PostgreSQL); the default is all five. */
    LocalStack services(String... services) {
        env.put("FAULTLINE_SERVICES", String.join(" ", services));
        return this;
    }

    /** An extra environment variable for the launcher and the services it starts. */
    LocalStack withEnv(String key, String value) {
        env.put(key, value);
        return this;
    }

    /** Kills a service process the hard way: no shutdown hook, no flush, no goodbye. */
    void kill9(String service) throws IOException, InterruptedException {
        long pid = Long.parseLong(
                Files.readString(home.resolve("run/" + service + ".pid")).trim());
        ProcessHandle process =
                ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException(service + " is not running"));
        Process kill = new ProcessBuilder("kill", "-9", Long.toString(pid)).start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill -9 " + pid + " failed");
        }
        // not onExit(): the process is not this JVM's child, and onExit waits until it is reaped
        org.awaitility.Awaitility.await(service + " (pid " + pid + ") gone after kill -9")
                .atMost(java.time.Duration.ofSeconds(30))
                .pollInterval(java.time.Duration.ofMillis(20))
                .until(() -> !io.faultline.devstack.Processes.running(process));
    }

    void up() {
        run(List.of("up", "-d"), 300);
    }

    /** {@code ./faultline demo -d --no-traffic}: the stack, the demo runbooks and the booking demo app. */
    void demo() {
        run(List.of("demo", "-d", "--no-traffic"), 300);
    }

    void down() {
        run(List.of("down"), 180);
    }

    /**
     * {@code ./faultline drill ARGS} on a throw-away stack of its own (on this stack's ports, so
     * this one must be down), answering the drill's last line: its JSON summary.
     */
    String drill(List<String> args, int timeoutSeconds) throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of("drill"));
        command.addAll(args);
        env.put("FAULTLINE_DRILL_LOGS", drillLogs().toString());
        Path log = run(command, timeoutSeconds);
        List<String> lines = Files.readAllLines(log);
        return lines.get(lines.size() - 1);
    }

    /** Where {@link #drill} keeps the logs of the drill's throw-away stack. */
    Path drillLogs() {
        return home.resolve("drill-logs");
    }

    /**
     * What a failed drill's reader needs from its stack's logs: the supervisor's log whole, the
     * warnings and errors of every service, and the drill's own output besides its summary.
     */
    String drillDigest() {
        StringBuilder out = new StringBuilder();
        out.append("\n--- drill output ---\n").append(tail(home.resolve("launcher-drill.log")));
        try (var logs = Files.list(drillLogs())) {
            for (Path log : logs.sorted().toList()) {
                List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                List<String> kept = log.getFileName().toString().equals("supervisor.log")
                        ? lines
                        : lines.stream()
                                .filter(l -> l.contains(" WARN ") || l.contains(" ERROR ") || l.contains("Exception"))
                                .toList();
                out.append("\n--- ").append(log.getFileName()).append(" ---\n");
                out.append(String.join("\n", kept.subList(Math.max(0, kept.size() - 30), kept.size())));
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            out.append("\n(no drill logs: ").append(e).append(')');
        }
        return out.toString();
    }

    /** The pid the launcher recorded for a component (supervisor, devstack, a service). */
    long pid(String component) throws IOException {
        return Long.parseLong(
                Files.readString(home.resolve("run/" + component + ".pid")).trim());
    }

    /** The variables {@code ./faultline up} wrote to {@code stack.env}. */
    Map<String, String> stackEnv() throws IOException {
        Map<String, String> vars = new HashMap<>();
        for (String line : Files.readAllLines(home.resolve("stack.env"), StandardCharsets.UTF_8)) {
            int eq = line.indexOf('=');
            if (!line.startsWith("#") && eq > 0) {
                vars.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return vars;
    }

    List<Integer> ports() {
        return env.entrySet().stream()
                .filter(e -> e.getKey().endsWith("_PORT"))
                .map(e -> Integer.parseInt(e.getValue()))
                .toList();
    }

    private Path run(List<String> args, int timeoutSeconds) {
        List<String> command = new java.util.ArrayList<>();
        command.add(repo.resolve("faultline").toString());
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).directory(repo.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Path log = home.resolve("launcher-" + args.get(0) + ".log");
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        try {
            Files.createDirectories(home);
            Process process = pb.start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("./faultline " + args + " timed out; " + tail(log));
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(
                        "./faultline " + args + " exited " + process.exitValue() + "; " + tail(log));
            }
            return log;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }
}
