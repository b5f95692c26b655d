package io.faultline.devstack;

import io.faultline.schemas.topics.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The infrastructure half of the local stack: a real Kafka broker and a real PostgreSQL, both
 * keeping their data under {@code --home}, with every catalogue topic created. The launcher
 * ({@code ./faultline up}) runs this as its own process and waits for the ready file it writes;
 * SIGTERM stops both servers cleanly.
 *
 * <pre>
 * java -cp devstack.jar:lib/* io.faultline.devstack.DevStack --home .faultline \
 *     --kafka-port 19092 --kafka-controller-port 19093 --postgres-port 15432
 * </pre>
 */
public final class DevStack {

    public static void main(String[] args) throws Exception {
        Map<String, String> options = parse(args);
        Path home = Path.of(options.getOrDefault("home", ".faultline")).toAbsolutePath();
        int kafkaPort = Integer.parseInt(options.getOrDefault("kafka-port", "19092"));
        int controllerPort = Integer.parseInt(options.getOrDefault("kafka-controller-port", "19093"));
        int postgresPort = Integer.parseInt(options.getOrDefault("postgres-port", "15432"));
        Path ready = home.resolve("run/devstack.ready");
        Files.createDirectories(ready.getParent());
        Files.deleteIfExists(ready);

        for (int port : new int[] {kafkaPort, controllerPort, postgresPort}) {
            if (FreePorts.inUse(port)) {
                System.err.println("devstack: port " + port + " is already in use; choose another"
                        + " (FAULTLINE_KAFKA_PORT, FAULTLINE_KAFKA_CONTROLLER_PORT, FAULTLINE_POSTGRES_PORT)");
                System.exit(3);
            }
        }

        DiskRoom.of(home).await(home.toString());
        EmbeddedPostgresServer postgres = new EmbeddedPostgresServer(home.resolve("postgres"), postgresPort);
        EmbeddedKafkaBroker kafka = new EmbeddedKafkaBroker(home.resolve("kafka"), kafkaPort, controllerPort);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            System.out.println("devstack: stopping");
                            try {
                                Files.deleteIfExists(ready);
                            } catch (Exception ignored) {
                                // best effort: the launcher checks processes, not only this file
                            }
                            kafka.close();
                            try {
                                postgres.close();
                            } catch (Exception e) {
                                System.err.println("devstack: postgres did not stop cleanly: " + e);
                            }
                            stopped.countDown();
                        },
                        "devstack-shutdown"));

        postgres.start();
        System.out.println("devstack: PostgreSQL ready on " + postgres.jdbcUrl());
        kafka.start();
        kafka.createTopics(Topics.all());
        System.out.println("devstack: Kafka ready on " + kafka.bootstrapServers() + ", topics created");
        Files.writeString(ready, "kafka=" + kafka.bootstrapServers() + "\npostgres=" + postgres.jdbcUrl() + "\n");
        watchPostgres(postgres, stopped);
        stopped.await();
    }

    /**
     * PostgreSQL runs as processes of its own: one killed on its own (a kill -9, the OOM killer)
     * would leave Kafka up and the impact-service retrying forever. It is started again on the same
     * data, as a supervisor restarts a crashed container.
     */
    private static void watchPostgres(EmbeddedPostgresServer postgres, CountDownLatch stopped) {
        Thread watchdog = new Thread(
                () -> {
                    while (stopped.getCount() > 0) {
                        try {
                            if (stopped.await(500, TimeUnit.MILLISECONDS)) {
                                return;
                            }
                            if (!postgres.running()) {
                                System.out.println("devstack: PostgreSQL exited unexpectedly; starting it again");
                                postgres.restartAfterCrash(Duration.ofSeconds(60));
                                System.out.println("devstack: PostgreSQL ready again on " + postgres.jdbcUrl());
                            }
                        } catch (InterruptedException e) {
                            return;
                        } catch (Exception e) {
                            System.err.println("devstack: PostgreSQL did not start again: " + e + "; stopping");
                            System.exit(4);
                        }
                    }
                },
                "postgres-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("usage: DevStack [--home DIR] [--kafka-port N]"
                        + " [--kafka-controller-port N] [--postgres-port N]; bad argument: " + args[i]);
            }
            options.put(args[i].substring(2), args[++i]);
        }
        return options;
    }

    private DevStack() {}
}
