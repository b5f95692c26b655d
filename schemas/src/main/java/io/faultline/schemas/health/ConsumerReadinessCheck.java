package io.faultline.schemas.health;

import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import java.util.Collection;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

/**
 * A service's readiness check and its Kafka channels' rebalance listener in one: ready once every
 * consumer has joined its group ({@link ConsumerGroupsJoined} says why). A service subclasses it
 * as a {@code @Readiness @Singleton} bean (no client proxy: this class has no no-args constructor) identified by {@value #NAME}, which every
 * smallrye-kafka incoming channel names as its {@code consumer-rebalance-listener.name}.
 */
public abstract class ConsumerReadinessCheck implements KafkaConsumerRebalanceListener, HealthCheck {

    public static final String NAME = "faultline-readiness";

    private final ConsumerGroupsJoined groups;

    /** @param expected group id → consumers, as {@link ConsumerGroupsJoined#expectedConsumers} reads them */
    protected ConsumerReadinessCheck(Map<String, Integer> expected) {
        this.groups = new ConsumerGroupsJoined(expected);
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        groups.joined(consumer.groupMetadata().groupId(), consumer);
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("Kafka consumers joined their groups");
        groups.progress().forEach(response::withData);
        return response.status(groups.ready()).build();
    }
}
