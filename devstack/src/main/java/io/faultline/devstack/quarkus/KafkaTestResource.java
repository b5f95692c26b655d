package io.faultline.devstack.quarkus;

import io.faultline.devstack.EmbeddedKafkaBroker;
import io.faultline.devstack.FreePorts;
import io.faultline.schemas.topics.Topics;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Starts a real KRaft broker in the test JVM for a {@code @QuarkusTest}, creates the catalogue
 * topics and points the Kafka client, SmallRye and Kafka Streams configuration at it.
 */
public class KafkaTestResource implements QuarkusTestResourceLifecycleManager {

    private EmbeddedKafkaBroker broker;
    private Path dir;

    @Override
    public Map<String, String> start() {
        try {
            dir = Files.createTempDirectory("faultline-kafka-");
            broker = new EmbeddedKafkaBroker(dir, FreePorts.next(), FreePorts.next()).start();
            broker.createTopics(Topics.all());
        } catch (Exception e) {
            throw new IllegalStateException("embedded Kafka did not start", e);
        }
        String servers = broker.bootstrapServers();
        return Map.of(
                "kafka.bootstrap.servers", servers,
                "quarkus.kafka-streams.bootstrap-servers", servers,
                "mp.messaging.connector.smallrye-kafka.bootstrap.servers", servers);
    }

    @Override
    public void stop() {
        if (broker != null) {
            broker.close();
        }
        TestDirectories.delete(dir);
    }
}
