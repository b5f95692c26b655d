package io.faultline.devstack.launcher;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the launcher asked the {@link Supervisor} to keep running, as it wrote it under
 * {@code HOME/run/plan}: the file {@code components}, one component a line in start order
 * ({@code NAME infrastructure|service [READY_FILE]}), and for each a script {@code NAME.sh} that
 * {@code exec}s the component with its environment. Each component's output goes to
 * {@code HOME/logs/NAME.log}.
 */
record StackPlan(Path home, List<Component> components) {

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
