package io.faultline.resolver.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.faultline.resolver.engine.Claim;
import io.faultline.resolver.messaging.TriggerCommits.Committed;
import io.faultline.resolver.runbook.Trigger;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.Test;

/**
 * How a trigger record is settled. A SmallRye channel stops for good at the first failed stage
 * of its consumer, so every record is fed here as the channel feeds them (one after the other,
 * a failed stage ending the run) and the record after a failing one must still be decided.
 */
class TriggerCommitsTest {

    private static final TopicPartition PARTITION = new TopicPartition("faultline.signals.v1", 0);

    private final List<String> admitted = new ArrayList<>();
    private final List<String> acked = new ArrayList<>();
    private final List<String> nacked = new ArrayList<>();

    @Test
    void aTriggerTheEngineCannotAdmitIsDeadLetteredAndTheNextOneIsStillDecided() {
        TriggerCommits commits = new TriggerCommits(null, (trigger, record) -> admit(trigger), Runnable::run);

        channel(commits, List.of(message("full-disk"), message("async-failure"), message("next")));

        assertThat(nacked)
                .containsExactly("full-disk: java.io.IOException: disk full", "async-failure: audit unacknowledged");
        assertThat(admitted).contains("next");
        assertThat(acked).containsExactly("next");
    }

    @Test
    void aFailureAfterTheDecisionDoesNotStopTheChannel() {
        TriggerCommits commits = new TriggerCommits(null, (trigger, record) -> admit(trigger), Runnable::run);

        channel(commits, List.of(message("ack-fails"), message("next")));

        assertThat(acked).containsExactly("next");
        assertThat(nacked).isEmpty();
    }

    @Test
    void aCommitInTheGenerationThatPolledTheRecordMakesTheAttemptOurs() {
        Consumer consumer = new Consumer(7);
        consumer.assign(List.of(PARTITION));

        assertThat(TriggerCommits.decide(consumer, PARTITION, 43, 7)).isEqualTo(Committed.YES);
        assertThat(consumer.committed(Set.of(PARTITION)).get(PARTITION).offset())
                .isEqualTo(43);
    }

    @Test
    void aRebalanceInProgressIsWaitedOutAndThePartitionKeptIsOurs() {
        Consumer consumer = new Consumer(7);
        consumer.assign(List.of(PARTITION));
        consumer.commitFails = new RebalanceInProgressException("rolling deploy");

        assertThat(TriggerCommits.decide(consumer, PARTITION, 43, 7)).isEqualTo(Committed.REBALANCING);

        // the poll that completed the rebalance kept the partition here, in a new generation
        consumer.commitFails = null;
        consumer.generation = 8;
        assertThat(TriggerCommits.decide(consumer, PARTITION, 43, 7)).isEqualTo(Committed.YES);
    }

    @Test
    void aPartitionGoneBeforeTheCommitIsHandedOverWithoutCommittingIt() {
        Consumer consumer = new Consumer(8);
        consumer.assign(List.of(PARTITION));
        consumer.commitSync(Map.of(PARTITION, new OffsetAndMetadata(40)));
        consumer.assign(List.of());

        assertThat(TriggerCommits.decide(consumer, PARTITION, 43, 7)).isEqualTo(Committed.NO);
        assertThat(consumer.committed(Set.of(PARTITION)).get(PARTITION).offset())
                .isEqualTo(40);
    }

    @Test
    void aPartitionGoneAfterItsCommitOrACommitThatFailsIsUndecidable() {
        Consumer gone = new Consumer(8);
        gone.assign(List.of(PARTITION));
        gone.commitSync(Map.of(PARTITION, new OffsetAndMetadata(43)));
        gone.assign(List.of());
        assertThat(TriggerCommits.decide(gone, PARTITION, 43, 7)).isEqualTo(Committed.UNKNOWN);

        Consumer failing = new Consumer(7);
        failing.assign(List.of(PARTITION));
        failing.commitSync(Map.of(PARTITION, new OffsetAndMetadata(40)));
        failing.commitFails = new KafkaException("broker unreachable");
        assertThat(TriggerCommits.decide(failing, PARTITION, 43, 7)).isEqualTo(Committed.UNKNOWN);
    }

    /** Feeds the records one after the other, as a channel does: a failed stage would stop it. */
    private static void channel(TriggerCommits commits, List<Message<byte[]>> records) {
        for (Message<byte[]> record : records) {
            commits.settle(record, bytes -> trigger(new String(bytes)))
                    .toCompletableFuture()
                    .join();
        }
    }

    private CompletionStage<Claim> admit(Trigger trigger) {
        String name = trigger.groupId();
        admitted.add(name);
        return switch (name) {
            case "full-disk" -> throw new UncheckedIOException(new IOException("disk full"));
            case "async-failure" -> CompletableFuture.failedFuture(new IllegalStateException("audit unacknowledged"));
            default -> CompletableFuture.completedFuture(Claim.NONE);
        };
    }

    private Message<byte[]> message(String name) {
        return Message.of(
                name.getBytes(),
                () -> {
                    if (name.equals("ack-fails")) {
                        return CompletableFuture.failedFuture(new KafkaException("consumer closed"));
                    }
                    acked.add(name);
                    return CompletableFuture.completedFuture(null);
                },
                (Function<Throwable, CompletionStage<Void>>) failed -> {
                    nacked.add(name + ": " + failed.getMessage());
                    return CompletableFuture.completedFuture(null);
                });
    }

    private static Trigger trigger(String group) {
        return new Trigger(
                Trigger.Source.SIGNAL,
                group,
                "1",
                "evt-" + group,
                Instant.EPOCH,
                List.of(),
                null,
                null,
                null,
                null,
                null,
                "production",
                List.of(),
                null,
                null,
                null,
                Map.of(),
                Map.of(),
                "spike",
                Instant.EPOCH);
    }

    /** A consumer whose group generation and commit failures the test sets. */
    private static final class Consumer extends MockConsumer<byte[], byte[]> {
        int generation;
        RuntimeException commitFails;

        Consumer(int generation) {
            super("earliest");
            this.generation = generation;
        }

        @Override
        public synchronized ConsumerGroupMetadata groupMetadata() {
            return new ConsumerGroupMetadata("faultline-resolver", generation, "member", Optional.empty());
        }

        /** The group's offsets: MockConsumer shows those of assigned partitions only. */
        final Map<TopicPartition, OffsetAndMetadata> group = new HashMap<>();

        @Override
        public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
            if (commitFails != null) {
                throw commitFails;
            }
            group.putAll(offsets);
        }

        @Override
        public synchronized Map<TopicPartition, OffsetAndMetadata> committed(Set<TopicPartition> partitions) {
            Map<TopicPartition, OffsetAndMetadata> found = new HashMap<>(group);
            found.keySet().retainAll(partitions);
            return found;
        }
    }
}
