package io.faultline.devstack.launcher;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What the launcher asked the {@link Supervisor} to keep running, as it wrote it under
 * {@code HOME/run/plan}: the file {@code components}, one component a line in start order
 * ({@code NAME infrastructure|service [READY_FILE]}), and for each a script {@code NAME.sh} that
 * {@code exec}s the component with its environment. Each component's output goes to
 * {@code HOME/logs/NAME.log}.
 */
record StackPlan(Path home, List<Component> components) {

    static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY_DIRECTORY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

    /**
     * @param readyFile the file the component writes once it is ready
     * @param liveUrl its liveness check: a component that answers it 503 or not at all for a while
     *     is restarted, as a Kubernetes liveness probe does
     */
    record Component(
            String name,
            boolean infrastructure,
            Path script,
            Path log,
            Optional<Path> readyFile,
            Optional<URI> liveUrl) {}

    Path run() {
        return home.resolve("run");
    }

    /**
     * Writes the plan of the stack {@code settings} describe: the Kafka/PostgreSQL process, then each
     * instance of each service ({@code FAULTLINE_REPLICAS}) with its {@link ServiceWiring} environment. The scripts hold the services'
     * credentials, as secrets.env does: the plan is its owner's only.
     */
    static void write(LauncherSettings settings, ServiceWiring.Stack stack) throws IOException {
        Path planDir = settings.run().resolve("plan");
        deleteTree(planDir);
        Files.createDirectories(planDir, OWNER_ONLY_DIRECTORY);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String home = settings.home().toString();
        List<String> lines = new ArrayList<>();
        lines.add("devstack infrastructure ready=" + settings.run().resolve("devstack.ready"));
        List<String> devstack = new ArrayList<>(List.of("exec", java));
        devstack.addAll(settings.javaOpts());
        devstack.addAll(settings.devstackJavaOpts());
        devstack.addAll(List.of(
                "-Dlauncher.component=devstack",
                StackProcesses.homeMark(settings.home()),
                "-Djava.util.logging.manager=org.jboss.logmanager.LogManager",
                "-cp",
                devstackClasspath(settings.root()),
                "io.faultline.devstack.DevStack",
                "--home",
                home,
                "--kafka-port",
                Integer.toString(settings.kafkaPort()),
                "--kafka-controller-port",
                Integer.toString(settings.kafkaControllerPort()),
                "--postgres-port",
                Integer.toString(settings.postgresPort())));
        writeScript(planDir.resolve("devstack.sh"), devstack);
        for (ServiceWiring service : settings.services()) {
            for (int instance = 1; instance <= settings.replicas(); instance++) {
                String name = service.instanceName(instance);
                lines.add(
                        name + " service live=http://127.0.0.1:" + settings.port(service, instance) + "/q/health/live");
                List<String> command = new ArrayList<>(List.of("exec", "env"));
                service.environment(stack, instance).forEach((k, v) -> command.add(k + "=" + v));
                command.add(java);
                command.addAll(settings.javaOpts());
                command.addAll(List.of(
                        "-Dlauncher.component=" + name,
                        StackProcesses.homeMark(settings.home()),
                        "-jar",
                        service.jar(settings.root()).toString()));
                writeScript(planDir.resolve(name + ".sh"), command);
            }
        }
        Files.write(planDir.resolve("components"), lines, StandardCharsets.UTF_8);
    }

    /** devstack's jar and its dependencies, which {@code ./mvnw package} copies to target/lib. */
    static String devstackClasspath(Path root) {
        Path target = root.resolve("devstack/target");
        return target.resolve("devstack.jar") + ":" + target.resolve("lib") + "/*";
    }

    private static void writeScript(Path script, List<String> command) throws IOException {
        Files.writeString(
                script,
                command.stream().map(StackPlan::shellQuoted).collect(Collectors.joining(" ")) + "\n",
                StandardCharsets.UTF_8);
    }

    /** One word for bash, whatever it holds: the plan's values come from the operator's environment. */
    static String shellQuoted(String word) {
        return word.matches("[A-Za-z0-9_./:=@%+,-]+") ? word : "'" + word.replace("'", "'\\''") + "'";
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    static StackPlan read(Path home) throws IOException {
        Path planDir = home.resolve("run/plan");
        List<Component> components = new ArrayList<>();
        for (String line : Files.readAllLines(planDir.resolve("components"))) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length == 0 || fields[0].isEmpty() || fields[0].startsWith("#")) {
                continue;
            }
            if (fields.length < 2 || !(fields[1].equals("infrastructure") || fields[1].equals("service"))) {
                throw new IllegalArgumentException(
                        "plan line '" + line + "': expected NAME infrastructure|service [ready=FILE] [live=URL]");
            }
            Path script = planDir.resolve(fields[0] + ".sh");
            if (!Files.isRegularFile(script)) {
                throw new IllegalArgumentException("plan names " + fields[0] + " but " + script + " is missing");
            }
            Optional<Path> ready = Optional.empty();
            Optional<URI> live = Optional.empty();
            for (int i = 2; i < fields.length; i++) {
                if (fields[i].startsWith("ready=")) {
                    ready = Optional.of(Path.of(fields[i].substring("ready=".length())));
                } else if (fields[i].startsWith("live=")) {
                    live = Optional.of(URI.create(fields[i].substring("live=".length())));
                } else {
                    throw new IllegalArgumentException("plan line '" + line + "': unknown '" + fields[i] + "'");
                }
            }
            components.add(new Component(
                    fields[0],
                    fields[1].equals("infrastructure"),
                    script,
                    home.resolve("logs/" + fields[0] + ".log"),
                    ready,
                    live));
        }
        return new StackPlan(home, List.copyOf(components));
    }
}
