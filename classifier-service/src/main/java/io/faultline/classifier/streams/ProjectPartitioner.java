package io.faultline.classifier.streams;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * Sends a record keyed by a project id or by a scope ({@code projectId/workflow}) to the partition
 * of its project, computed as Kafka's default partitioner computes it for the project id alone.
 * Events (keyed by project) and traffic (keyed by scope) thus land in the same task, so one task
 * holds everything a project's detectors need and no further repartition hop is required.
 */
public final class ProjectPartitioner<V> implements StreamPartitioner<String, V> {

    @Override
    public Optional<Set<Integer>> partitions(String topic, String key, V value, int numPartitions) {
        return Optional.of(Set.of(of(key, numPartitions)));
    }

    public static int of(String key, int numPartitions) {
        byte[] project = Scopes.projectId(key).getBytes(StandardCharsets.UTF_8);
        return Utils.toPositive(Utils.murmur2(project)) % numPartitions;
    }
}
