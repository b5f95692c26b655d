package io.faultline.resolver.messaging;

import io.faultline.resolver.engine.Claim;
import io.faultline.resolver.engine.EngineRuntime;
import io.faultline.resolver.engine.ResolutionEngine;
import io.faultline.resolver.engine.TriggerRecord;
import io.faultline.resolver.runbook.Trigger;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Settles a trigger record once the engine has decided on it. Most records claim nothing (every
 * classified error is read, at up to ~20k/s): they are acknowledged and committed by the
 * channel's periodic (throttled) commit. A record that claimed an attempt is acknowledged and
 * then its offset is committed synchronously, and only then does the attempt start: with several
 * resolvers in the consumer group, the one that takes a partition over (a member killed, a
 * rebalance) starts from the committed offset, and a claim not yet committed there would be
 * redelivered to it and run a second time.
 *
 * <p>Committing offset + 1 is safe: a channel handles one record at a time, in order, so every
 * earlier record of the partition is acknowledged already. The acknowledgement is registered with
 * the throttled strategy first, so its later periodic commits never go back below this one, and a
 * periodic commit computed before it was handed to the polling thread before this one.
 *
 * <p>The stage returned to the channel never fails: a failed stage stops a SmallRye channel for
 * good. A record the engine cannot decide on (undecodable, a journal that cannot be written) is
 * nacked to the dead-letter topic with the reason; whatever fails after the acknowledgement is
 * logged and leaves nothing running.
 */
@ApplicationScoped
public class TriggerCommits {

    private static final Logger LOG = Logger.getLogger(TriggerCommits.class);

    /** How long a claim waits for a rebalance in progress to end before a human decides it. */
    private static final Duration REBALANCE_WAIT = Duration.ofMinutes(2);

    private static final Duration REBALANCE_RETRY = Duration.ofMillis(250);

    private final KafkaClientService clients;
    private final BiFunction<Trigger, TriggerRecord, CompletionStage<Claim>> admit;
    private final Executor engineThreads;

    @Inject
    public TriggerCommits(KafkaClientService clients, ResolutionEngine engine, EngineRuntime runtime) {
        this(clients, (trigger, record) -> engine.admit(trigger, record), runtime.scheduler()::execute);
    }

    TriggerCommits(
            KafkaClientService clients,
            BiFunction<Trigger, TriggerRecord, CompletionStage<Claim>> admit,
            Executor engineThreads) {
        this.clients = clients;
        this.admit = admit;
        this.engineThreads = engineThreads;
    }

    /**
     * Decodes the record, has the engine decide on it, and acknowledges it, or nacks it to the
     * dead-letter topic when no decision could be made. The returned stage does not fail.
     */
    CompletionStage<Void> settle(Message<byte[]> message, Function<byte[], Trigger> decode) {
        CompletionStage<Claim> decision;
        try {
            IncomingKafkaRecordMetadata<?, ?> record =
                    message.getMetadata(IncomingKafkaRecordMetadata.class).orElse(null);
            decision = admit.apply(
                    decode.apply(message.getPayload()),
                    record == null
                            ? null
                            : new TriggerRecord(record.getTopic(), record.getPartition(), record.getOffset()));
        } catch (RuntimeException e) {
            return message.nack(e);
        }
        return decision.handle(
                        (claim, failed) -> failed != null ? message.nack(unwrap(failed)) : settle(message, claim))
                .thenCompose(settled -> settled);
    }

    private CompletionStage<Void> settle(Message<?> message, Claim claim) {
        CompletionStage<Void> settled;
        try {
            settled = act(message, claim);
        } catch (RuntimeException e) {
            settled = CompletableFuture.failedFuture(e);
        }
        return settled.exceptionally(failed -> {
            LOG.errorf(unwrap(failed), "settling a trigger record failed after its decision was made");
            if (claim.claimed()) {
                escalate(
                        claim,
                        "settling the trigger's record failed (" + unwrap(failed)
                                + "); nothing ran here, so that nothing runs twice");
            }
            return null;
        });
    }

    private CompletionStage<Void> act(Message<?> message, Claim claim) {
        if (!claim.claimed()) {
            return message.ack();
        }
        IncomingKafkaRecordMetadata<?, ?> record =
                message.getMetadata(IncomingKafkaRecordMetadata.class).orElse(null);
        if (record == null) {
            // not a Kafka record: nothing can redeliver it to another resolver
            return message.ack().thenRunAsync(() -> apply(claim, Committed.YES), engineThreads);
        }
        TopicPartition partition = new TopicPartition(record.getTopic(), record.getPartition());
        long next = record.getOffset() + 1;
        long deadline = System.nanoTime() + REBALANCE_WAIT.toNanos();
        // the attempt's first steps (an escalation's notifications, journal fsyncs) run on the
        // engine's threads: the polling thread only commits and decides
        return message.ack()
                .thenCompose(v -> commit(record, partition, next, deadline).subscribeAsCompletionStage())
                .thenAcceptAsync(committed -> apply(claim, committed), engineThreads);
    }

    /** Failures here are logged only: the decision was made, and escalating again could contradict it. */
    private static void apply(Claim claim, Committed committed) {
        try {
            switch (committed) {
                case YES -> claim.start();
                case NO -> claim.handOver("the trigger's partition moved to another resolver before its offset was"
                        + " committed; the resolver it is redelivered to decides it, nothing ran here");
                case UNKNOWN, REBALANCING -> claim.escalate("whether another resolver was redelivered the trigger"
                        + " cannot be told (its partition moved, or its offset could not be committed); nothing"
                        + " ran here, so that nothing runs twice");
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "acting on a claim's commit (%s) failed", committed);
        }
    }

    private void escalate(Claim claim, String why) {
        try {
            engineThreads.execute(() -> claim.escalate(why));
        } catch (RuntimeException e) {
            LOG.errorf(e, "escalating a claim whose trigger could not be settled failed");
        }
    }

    enum Committed {
        YES,
        NO,
        UNKNOWN,
        /** The group is rebalancing: decide once a poll has completed it. */
        REBALANCING
    }

    /**
     * Decides on the polling thread, and again after each poll while the group rebalances: a
     * rebalance completes only inside poll, on that thread, so deciding there would wait forever.
     */
    private Uni<Committed> commit(
            IncomingKafkaRecordMetadata<?, ?> record, TopicPartition partition, long next, long deadline) {
        return consumer(record)
                .runOnPollingThread((Function<Consumer<Object, Object>, Committed>)
                        c -> decide(c, partition, next, record.getConsumerGroupGenerationId()))
                .flatMap(decided -> {
                    if (decided != Committed.REBALANCING) {
                        return Uni.createFrom().item(decided);
                    }
                    if (System.nanoTime() - deadline > 0) {
                        LOG.warnf("%s was still rebalancing %s after a claim's record", partition, REBALANCE_WAIT);
                        return Uni.createFrom().item(Committed.UNKNOWN);
                    }
                    return Uni.createFrom()
                            .voidItem()
                            .onItem()
                            .delayIt()
                            .by(REBALANCE_RETRY)
                            .flatMap(v -> commit(record, partition, next, deadline));
                });
    }

    /**
     * commitSync, on the channel's polling thread, where no rebalance can come between it and the
     * checks after it (a rebalance happens only inside poll, on that thread).
     *
     * <p>The commit retries what is retriable until the client's API timeout. When it went through
     * in the generation that polled the record, the partition never left this resolver: the
     * attempt is ours. A rebalance in progress (a rolling deploy) is waited out: until a poll
     * completes it, which partitions stay ours is not decided. Otherwise a rebalance came between
     * poll and commit. If the partition is ours still and committed past the record (the
     * revocation's commit covers every acknowledged record), no one else can be redelivered it. If
     * it went to another resolver before the record was committed, that one decides it. If it went
     * to another resolver after (our revocation commit, or the other's own commit once it had
     * claimed it: the two cannot be told apart), or nothing could be committed or read, it is
     * unknown, and a human decides. A partition no longer ours is never committed from here.
     */
    static Committed decide(Consumer<?, ?> c, TopicPartition partition, long next, int polledIn) {
        try {
            if (c.assignment().contains(partition)) {
                c.commitSync(Map.of(partition, new OffsetAndMetadata(next)));
                if (c.groupMetadata().generationId() == polledIn) {
                    return Committed.YES;
                }
            }
        } catch (RebalanceInProgressException e) {
            return Committed.REBALANCING;
        } catch (KafkaException e) {
            LOG.warnf(e, "committing %s at %d for a claimed attempt failed", partition, next);
        }
        try {
            boolean ours = c.assignment().contains(partition);
            OffsetAndMetadata at = c.committed(Set.of(partition)).get(partition);
            boolean past = at != null && at.offset() >= next;
            if (ours) {
                return past ? Committed.YES : Committed.UNKNOWN;
            }
            return past ? Committed.UNKNOWN : Committed.NO;
        } catch (RebalanceInProgressException e) {
            return Committed.REBALANCING;
        } catch (KafkaException e) {
            LOG.warnf(e, "reading the committed offset of %s failed", partition);
            return Committed.UNKNOWN;
        }
    }

    private KafkaConsumer<Object, Object> consumer(IncomingKafkaRecordMetadata<?, ?> record) {
        List<KafkaConsumer<Object, Object>> consumers = clients.getConsumers(record.getChannel());
        return consumers.size() == 1 ? consumers.get(0) : consumers.get(record.getConsumerIndex());
    }

    private static Throwable unwrap(Throwable failed) {
        return failed instanceof CompletionException && failed.getCause() != null ? failed.getCause() : failed;
    }
}
