package io.faultline.resolver.messaging;

import io.faultline.resolver.engine.Claim;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
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
 */
@ApplicationScoped
public class TriggerCommits {

    private static final Logger LOG = Logger.getLogger(TriggerCommits.class);

    private final KafkaClientService clients;

    public TriggerCommits(KafkaClientService clients) {
        this.clients = clients;
    }

    /** Acknowledges, or nacks to the dead-letter topic, the record; starts its attempt once it is committed. */
    CompletionStage<Void> settle(Message<?> message, CompletionStage<Claim> decision) {
        return decision.handle(
                        (claim, failed) -> failed != null ? message.nack(unwrap(failed)) : settle(message, claim))
                .thenCompose(settled -> settled);
    }

    private CompletionStage<Void> settle(Message<?> message, Claim claim) {
        if (!claim.claimed()) {
            return message.ack();
        }
        IncomingKafkaRecordMetadata<?, ?> record =
                message.getMetadata(IncomingKafkaRecordMetadata.class).orElse(null);
        if (record == null) {
            // not a Kafka record: nothing can redeliver it to another resolver
            return message.ack().thenRun(claim::start);
        }
        TopicPartition partition = new TopicPartition(record.getTopic(), record.getPartition());
        long next = record.getOffset() + 1;
        return message.ack()
                .thenCompose(v -> commit(record, partition, next).subscribeAsCompletionStage())
                .thenAccept(committed -> {
                    switch (committed) {
                        case YES -> claim.start();
                        case NO -> claim.handOver("the trigger's partition moved to another resolver before its offset"
                                + " was committed; the resolver it is redelivered to decides it, nothing ran here");
                        case UNKNOWN -> claim.escalate("whether another resolver was redelivered the trigger cannot be"
                                + " told (its partition moved, or its offset could not be committed); nothing ran here,"
                                + " so that nothing runs twice");
                    }
                });
    }

    private enum Committed {
        YES,
        NO,
        UNKNOWN
    }

    /**
     * commitSync, on the channel's polling thread, where no rebalance can come between it and the
     * checks after it (a rebalance happens only inside poll, on that thread).
     *
     * <p>The commit retries what is retriable until the client's API timeout. When it went through
     * in the generation that polled the record, the partition never left this resolver: the
     * attempt is ours. Otherwise a rebalance came between poll and commit. If the partition is
     * ours still and committed past the record (the revocation's commit covers every acknowledged
     * record), no one else can be redelivered it. If it went to another resolver before the
     * record was committed, that one decides it. If it went to another resolver after (our
     * revocation commit, or the other's own commit once it had claimed it: the two cannot be told
     * apart), or nothing could be committed or read, it is unknown, and a human decides.
     */
    private Uni<Committed> commit(IncomingKafkaRecordMetadata<?, ?> record, TopicPartition partition, long next) {
        return consumer(record).runOnPollingThread(c -> {
            try {
                c.commitSync(Map.of(partition, new OffsetAndMetadata(next)));
                if (c.groupMetadata().generationId() == record.getConsumerGroupGenerationId()) {
                    return Committed.YES;
                }
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
            } catch (KafkaException e) {
                LOG.warnf(e, "reading the committed offset of %s failed", partition);
                return Committed.UNKNOWN;
            }
        });
    }

    private KafkaConsumer<Object, Object> consumer(IncomingKafkaRecordMetadata<?, ?> record) {
        List<KafkaConsumer<Object, Object>> consumers = clients.getConsumers(record.getChannel());
        return consumers.size() == 1 ? consumers.get(0) : consumers.get(record.getConsumerIndex());
    }

    private static Throwable unwrap(Throwable failed) {
        return failed instanceof java.util.concurrent.CompletionException && failed.getCause() != null
                ? failed.getCause()
                : failed;
    }
}
