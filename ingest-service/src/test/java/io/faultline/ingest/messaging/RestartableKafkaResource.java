package io.faultline.ingest.messaging;

import io.faultline.devstack.EmbeddedKafkaBroker;
import io.faultline.devstack.FreePorts;
import io.faultline.schemas.topics.Topics;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;

/**
 * A broker of the test's own, which the test may stop and start again on the same port and log
 * directory, as an operator restarting Kafka would. The broker every other test class shares is
 * never touched.
 */
public class RestartableKafkaResource implements QuarkusTestResourceLifecycleManager {

    private static volatile EmbeddedKafkaBroker broker;
    private Path dir;

    @Override
    public Map<String, String> start() {
        try {
            dir = Files.createTempDirectory("faultline-kafka-outage-");
            broker = new EmbeddedKafkaBroker(dir, FreePorts.next(), FreePorts.next()).start();
            broker.createTopics(Topics.all());
        } catch (Exception e) {
            throw new IllegalStateException("embedded Kafka did not start", e);
        }
        return Map.of("kafka.bootstrap.servers", broker.bootstrapServers());
    }

    /** Stops the broker cleanly; its data stays in the log directory. */
    static void stopBroker() {
        broker.close();
    }

    /** Starts the broker again on the same port and log directory. */
    static void restartBroker() throws Exception {
        broker.start();
    }

    @Override
    public void stop() {
        if (broker != null) {
            broker.close();
            broker = null;
        }
        if (dir != null) {
            try (var paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // a leftover temp directory is not worth failing a test run for
            }
        }
    }
}
