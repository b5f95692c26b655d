package io.faultline.ingest.messaging;

import io.faultline.devstack.FreePorts;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A broker in a separate JVM ({@link ForkedKafkaBroker}) that the test kills abruptly with {@link
 * Process#destroyForcibly()} (SIGKILL), as issue #24 asks: an in-process broker can only be shut
 * down cleanly, which tells its clients it is going.
 */
public class KilledBrokerResource implements QuarkusTestResourceLifecycleManager {

    private static volatile Process broker;
    private Path dir;

    @Override
    public Map<String, String> start() {
        int port = FreePorts.next();
        try {
            dir = Files.createTempDirectory("faultline-kafka-killed-");
            List<String> command = new ArrayList<>(List.of(
                    ProcessHandle.current().info().command().orElse("java"),
                    "-Xmx384m",
                    "-XX:TieredStopAtLevel=1",
                    "-cp",
                    System.getProperty("java.class.path"),
                    ForkedKafkaBroker.class.getName(),
                    dir.toString(),
                    Integer.toString(port),
                    Integer.toString(FreePorts.next())));
            broker = new ProcessBuilder(command).redirectErrorStream(true).start();
            awaitReady(broker);
        } catch (Exception e) {
            stop();
            throw new IllegalStateException("forked Kafka broker did not start", e);
        }
        return Map.of("kafka.bootstrap.servers", "127.0.0.1:" + port);
    }

    /** Reads the broker's output until it says it is ready; its output is drained afterwards. */
    private static void awaitReady(Process process) throws Exception {
        BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<Void> ready = new CompletableFuture<>();
        Thread reader = new Thread(
                () -> {
                    try {
                        for (String line = out.readLine(); line != null; line = out.readLine()) {
                            if (line.contains(ForkedKafkaBroker.READY)) {
                                ready.complete(null);
                            }
                        }
                        ready.completeExceptionally(new IllegalStateException("the broker exited"));
                    } catch (IOException e) {
                        ready.completeExceptionally(e);
                    }
                },
                "forked-kafka-output");
        reader.setDaemon(true);
        reader.start();
        ready.get(120, TimeUnit.SECONDS);
    }

    /** Kills the broker's JVM with SIGKILL and waits until it is gone. */
    static void killBroker() throws InterruptedException {
        Process p = broker;
        p.destroyForcibly();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the broker's JVM survived SIGKILL");
        }
    }

    @Override
    public void stop() {
        Process p = broker;
        if (p != null && p.isAlive()) {
            p.destroyForcibly();
            try {
                p.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        broker = null;
        if (dir != null) {
            try (var paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException e) {
                // a leftover temp directory is not worth failing a test run for
            }
        }
    }
}
