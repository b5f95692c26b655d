package io.faultline.schemas.topics;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;

/**
 * A topic with its key and value serdes and the settings it is created with. The Kubernetes
 * {@code KafkaTopic} resources and the embedded broker are both created from these values.
 *
 * @param retention {@code null} for a compacted topic that keeps the latest value per key forever
 */
public record Topic<K, V>(
        String name,
        Serde<K> keySerde,
        Serde<V> valueSerde,
        int partitions,
        boolean compacted,
        Duration retention,
        String purpose) {

    /** The topic-level configs to create this topic with. */
    public Map<String, String> configs() {
        Map<String, String> configs = new HashMap<>();
        configs.put("cleanup.policy", compacted ? "compact" : "delete");
        if (retention != null) {
            configs.put("retention.ms", Long.toString(retention.toMillis()));
        }
        return configs;
    }
}
