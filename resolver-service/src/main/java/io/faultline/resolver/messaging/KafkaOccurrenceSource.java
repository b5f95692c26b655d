package io.faultline.resolver.messaging;

import io.faultline.resolver.engine.OccurrenceLog;
import io.faultline.resolver.engine.OccurrenceSource;
import io.faultline.resolver.runbook.Trigger;
import io.faultline.schemas.ClassifiedError;
import io.faultline.schemas.ErrorEvent;
import io.faultline.schemas.topics.KafkaConnection;
import io.faultline.schemas.topics.Topics;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a verification's errors back from {@code faultline.errors.classified.v1} itself, with a
 * consumer of its own (no group, nothing committed), so every resolver instance judges the same
 * errors: a group's partition (the topic is keyed by group id, so only that partition is read and
 * only records under its key are decoded), or every partition for a workflow- or project-level
 * signal. The scan starts at the records written {@link #LOOKBACK} before the stretch judged
 * (record times are the intake's clock; an occurrence is never placed after its record) and stops,
 * per partition, at the first record written {@link #LOOKBACK} after it (an occurrence lies at most
 * 5 s before its record's time), or at the partition's end as it was when the scan began: so it
 * reads the stretch, not everything written since. A verification is due only after its window
 * and the settle delay; errors that the classifier has not written by then (a backlog longer than
 * the settle delay) are not counted.
 */
@ApplicationScoped
public class KafkaOccurrenceSource implements OccurrenceSource {

    /** How far before the judged stretch the scan starts, for clock differences between hosts. */
    static final Duration LOOKBACK = Duration.ofMinutes(1);

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(200);

    private final Map<String, Object> connection;
    private final Deserializer<ClassifiedError> values =
            Topics.ERRORS_CLASSIFIED.valueSerde().deserializer();

    public KafkaOccurrenceSource(@Identifier("default-kafka-broker") Map<String, Object> kafka) {
        this.connection = KafkaConnection.settings(kafka);
    }

    @Override
    public OccurrenceLog read(Trigger trigger, Instant from, Instant to) {
        OccurrenceLog log = new OccurrenceLog(Duration.between(from, to).plus(LOOKBACK));
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = partitions(consumer, trigger, deadline);
            long startMs = from.minus(LOOKBACK).toEpochMilli();
            long stopMs = to.plus(LOOKBACK).toEpochMilli();
            Map<TopicPartition, OffsetAndTimestamp> starts = consumer.offsetsForTimes(
                    partitions.stream().collect(Collectors.toMap(Function.identity(), tp -> startMs)),
                    remaining(deadline));
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, remaining(deadline));
            Set<TopicPartition> pending = new HashSet<>();
            for (TopicPartition tp : partitions) {
                OffsetAndTimestamp start = starts.get(tp);
                if (start != null && start.offset() < ends.get(tp)) {
                    pending.add(tp);
                }
            }
            consumer.assign(pending);
            pending.forEach(tp -> consumer.seek(tp, starts.get(tp).offset()));
            while (!pending.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new OccurrencesUnavailable(
                            "the classified errors after the action were not read within " + TIMEOUT, null);
                }
                Set<TopicPartition> past = new HashSet<>();
                for (ConsumerRecord<String, byte[]> r : consumer.poll(POLL)) {
                    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                    if (r.timestamp() > stopMs) {
                        past.add(tp); // written after the stretch: nothing later can lie in it
                    } else if (r.offset() < ends.get(tp) && !past.contains(tp)) {
                        count(r, trigger, from, to, log);
                    }
                }
                pending.removeIf(tp -> past.contains(tp) || consumer.position(tp) >= ends.get(tp));
                consumer.pause(consumer.assignment().stream()
                        .filter(tp -> !pending.contains(tp))
                        .toList());
            }
        } catch (KafkaException e) {
            throw new OccurrencesUnavailable("the classified errors could not be read: " + e.getMessage(), e);
        }
        return log;
    }

    /** The group's partition, found as the producer finds it, or all of them for a workflow or project. */
    private static List<TopicPartition> partitions(
            KafkaConsumer<String, byte[]> consumer, Trigger trigger, long deadline) {
        String topic = Topics.ERRORS_CLASSIFIED.name();
        int count = consumer.partitionsFor(topic, remaining(deadline)).size();
        if (count == 0) {
            throw new OccurrencesUnavailable("topic " + topic + " has no partitions", null);
        }
        if (!trigger.standsForWorkflowOrProject()) {
            byte[] key = trigger.groupId().getBytes(StandardCharsets.UTF_8);
            return List.of(new TopicPartition(topic, BuiltInPartitioner.partitionForKey(key, count)));
        }
        return java.util.stream.IntStream.range(0, count)
                .mapToObj(p -> new TopicPartition(topic, p))
                .toList();
    }

    private void count(ConsumerRecord<String, byte[]> r, Trigger trigger, Instant from, Instant to, OccurrenceLog log) {
        boolean scope = trigger.standsForWorkflowOrProject();
        if (r.value() == null || (!scope && !trigger.groupId().equals(r.key()))) {
            return;
        }
        ClassifiedError c;
        try {
            c = values.deserialize(r.topic(), r.value());
        } catch (RuntimeException undecodable) {
            return; // the resolver's consumer dead-letters it; it is no occurrence of anything
        }
        if (!matches(c, trigger)) {
            return;
        }
        ErrorEvent e = c.getEvent();
        Instant at =
                OccurrenceLog.occurrenceTime(e.getTimestamp(), e.getReceivedAt(), Instant.ofEpochMilli(r.timestamp()));
        if (at.isAfter(from) && !at.isAfter(to)) {
            log.record(trigger.groupId(), e.getEventId(), at);
        }
    }

    /** Whether the error belongs to the trigger's group, or to its workflow or project. */
    static boolean matches(ClassifiedError c, Trigger trigger) {
        if (!trigger.standsForWorkflowOrProject()) {
            return trigger.groupId().equals(c.getGroupId());
        }
        if (!Objects.equals(trigger.projectId(), c.getEvent().getProjectId())) {
            return false;
        }
        return trigger.workflow() == null
                || (c.getClassification() != null
                        && trigger.workflow().equals(c.getClassification().getWorkflow()));
    }

    private KafkaConsumer<String, byte[]> consumer() {
        Map<String, Object> c = new HashMap<>(connection);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, "faultline-resolver-verification");
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2_000);
        return new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
    }
}
