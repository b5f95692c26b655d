package io.faultline.schemas.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConsumerGroupsJoinedTest {

    @Test
    void notReadyUntilEveryConsumerOfEveryGroupHasJoined() {
        ConsumerGroupsJoined groups =
                new ConsumerGroupsJoined(Map.of("faultline-impact", 2, "faultline-impact-traffic", 1));
        assertThat(groups.ready()).isFalse();

        Object first = new Object();
        groups.joined("faultline-impact", first);
        groups.joined("faultline-impact-traffic", new Object());
        // the same consumer assigned again (a second rebalance) is still one consumer
        groups.joined("faultline-impact", first);
        assertThat(groups.ready()).isFalse();
        assertThat(groups.progress())
                .containsEntry("faultline-impact", "1/2")
                .containsEntry("faultline-impact-traffic", "1/1");

        groups.joined("faultline-impact", new Object());
        assertThat(groups.ready()).isTrue();
    }

    @Test
    void readsEachEnabledKafkaChannelsGroupAndConcurrency() {
        Map<String, String> config = Map.of(
                "quarkus.application.name", "impact",
                "mp.messaging.incoming.\"a.v1\".connector", "smallrye-kafka",
                "mp.messaging.incoming.\"a.v1\".group.id", "g-a",
                "mp.messaging.incoming.\"a.v1\".concurrency", "3",
                "mp.messaging.incoming.\"b.v1\".connector", "smallrye-kafka",
                "mp.messaging.incoming.\"c.v1\".connector", "smallrye-kafka",
                "mp.messaging.incoming.\"c.v1\".enabled", "false",
                "mp.messaging.incoming.\"d.v1\".connector", "smallrye-in-memory",
                "mp.messaging.incoming.e.connector", "smallrye-kafka",
                "mp.messaging.incoming.\"e\".group.id", "g-a");

        assertThat(ConsumerGroupsJoined.expectedConsumers(
                        config.keySet(), name -> Optional.ofNullable(config.get(name))))
                // b takes the application's name; c is disabled; d is not Kafka; e joins a's group
                .containsExactlyInAnyOrderEntriesOf(Map.of("g-a", 4, "impact", 1));
    }
}
