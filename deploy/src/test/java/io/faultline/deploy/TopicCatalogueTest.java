package io.faultline.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.faultline.schemas.topics.Topic;
import io.faultline.schemas.topics.Topics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The KafkaTopic resources are the Topics catalogue, written as Strimzi resources. */
class TopicCatalogueTest {

    static List<String> overlays() {
        return Overlays.names();
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void kafkaTopicsAreExactlyTheCatalogue(String overlay) {
        Manifests manifests = Overlays.render(overlay);
        Map<String, Map<String, Object>> declared = manifests.ofKind("KafkaTopic").stream()
                .collect(Collectors.toMap(t -> Tree.text(t, "spec", "topicName"), Function.identity()));

        assertThat(declared.keySet())
                .containsExactlyInAnyOrderElementsOf(
                        Topics.all().stream().map(Topic::name).toList());
        for (Topic<?, ?> topic : Topics.all()) {
            Map<String, Object> resource = declared.get(topic.name());
            assertThat(Tree.at(resource, "spec", "partitions")).as(topic.name()).contains(topic.partitions());
            Map<String, String> config = new LinkedHashMap<>();
            Tree.map(resource, "spec", "config").forEach((k, v) -> config.put(k, String.valueOf(v)));
            assertThat(config).as(topic.name()).containsAllEntriesOf(topic.configs());
            if (topic.compacted()) {
                assertThat(config).as(topic.name()).doesNotContainKey("retention.ms");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void replicationFitsTheBrokers(String overlay) {
        Manifests manifests = Overlays.render(overlay);
        String kafka = Tree.text(manifests.ofKind("Kafka").get(0), "metadata", "name");
        int brokers = manifests.ofKind("KafkaNodePool").stream()
                .filter(p -> Tree.list(p, "spec", "roles").contains("broker"))
                .mapToInt(p -> (Integer) Tree.at(p, "spec", "replicas").orElseThrow())
                .sum();

        for (Map<String, Object> topic : manifests.ofKind("KafkaTopic")) {
            String name = Tree.text(topic, "spec", "topicName");
            int replicas = (Integer) Tree.at(topic, "spec", "replicas").orElseThrow();
            int minInSync = Integer.parseInt(Tree.text(topic, "spec", "config", "min.insync.replicas"));
            assertThat(Tree.text(topic, "metadata", "labels", "strimzi.io/cluster"))
                    .isEqualTo(kafka);
            assertThat(replicas).as(name).isBetween(1, brokers);
            // one replica may be lost while acks=all writes still succeed
            assertThat(minInSync).as(name).isEqualTo(replicas == 1 ? 1 : replicas - 1);
        }
    }
}
