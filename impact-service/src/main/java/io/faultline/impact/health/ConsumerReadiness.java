package io.faultline.impact.health;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only once every Kafka consumer of every incoming channel has joined its group. Quarkus's
 * own Kafka check is UP as soon as the broker answers, seconds before the consumers hold their
 * partitions: a load balancer or the e2e bench took that for "storing", and the first events waited
 * out the group's join (issue #22). A consumer counts once its first assignment completed, even an
 * empty one, so a replica left without partitions of a small topic still becomes ready; a later
 * rebalance does not make it unready (it resumes within the rebalance, and a consumer that stopped
 * is the liveness checks' business).
 *
 * <p>Every channel whose connector is smallrye-kafka names this listener
 * ({@code consumer-rebalance-listener.name=}{@value #NAME}); a channel is told apart by its group
 * id, and expects as many consumers as its {@code concurrency}.
 */
@Readiness
@ApplicationScoped
@Identifier(ConsumerReadiness.NAME)
public class ConsumerReadiness implements KafkaConsumerRebalanceListener, HealthCheck {

    static final String NAME = "faultline-readiness";
    private static final String PREFIX = "mp.messaging.incoming.";
    private static final String CONNECTOR = ".connector";

    /** Group id → consumers the channel runs. */
    private final Map<String, Integer> expected;

    /** Group id → the consumers (by identity) that completed an assignment. */
    private final Map<String, Set<Object>> joined = new ConcurrentHashMap<>();

    @Inject
    public ConsumerReadiness(Config config) {
        this(expectedConsumers(config));
    }

    ConsumerReadiness(Map<String, Integer> expected) {
        this.expected = Map.copyOf(expected);
    }

    /** The group and concurrency of each Kafka channel the configuration declares. */
    static Map<String, Integer> expectedConsumers(Config config) {
        String application = config.getOptionalValue("quarkus.application.name", String.class)
                .orElse("");
        Map<String, Integer> expected = new TreeMap<>();
        for (String property : config.getPropertyNames()) {
            if (!property.startsWith(PREFIX) || !property.endsWith(CONNECTOR)) {
                continue;
            }
            String channel = property.substring(PREFIX.length(), property.length() - CONNECTOR.length());
            String key = PREFIX + (channel.startsWith("\"") ? channel : "\"" + channel + "\"");
            if (!"smallrye-kafka"
                            .equals(config.getOptionalValue(property, String.class)
                                    .orElse(""))
                    || !config.getOptionalValue(key + ".enabled", Boolean.class).orElse(true)) {
                continue;
            }
            // the connector's default group id is the application's name
            String group =
                    config.getOptionalValue(key + ".group.id", String.class).orElse(application);
            int consumers =
                    config.getOptionalValue(key + ".concurrency", Integer.class).orElse(1);
            expected.merge(group, consumers, Integer::sum);
        }
        return expected;
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        joined(consumer.groupMetadata().groupId(), consumer);
    }

    void joined(String group, Object consumer) {
        joined.computeIfAbsent(group, g -> Collections.newSetFromMap(new ConcurrentHashMap<>()))
                .add(consumer);
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("Kafka consumers joined their groups");
        boolean up = true;
        for (Map.Entry<String, Integer> group : expected.entrySet()) {
            int count = joined.getOrDefault(group.getKey(), Set.of()).size();
            up &= count >= group.getValue();
            response.withData(group.getKey(), count + "/" + group.getValue());
        }
        return response.status(up).build();
    }
}
