package io.faultline.schemas.topics;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a single-partition (compacted) topic whole from its beginning, then keeps applying what
 * is written to it, on a thread of its own and without a consumer group: every instance of a
 * service holds the whole topic (the projects and their keys; the sessions ended by logout).
 * {@link #caughtUp()} turns true once it has read up to where the topic ended at start; {@link
 * #following()} turns false if the thread stops on an error, so a readiness check can report
 * both.
 */
public final class TopicFollower<V> {

    private static final System.Logger LOG = System.getLogger(TopicFollower.class.getName());
    private static final Duration POLL = Duration.ofMillis(500);

    private final Topic<String, ?> topic;
    private final BiConsumer<String, V> apply;
    private final Runnable afterEachPoll;
    private final KafkaConsumer<String, V> consumer;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean caughtUp;
    private volatile boolean following = true;

    /**
     * @param connection the brokers' settings ({@link KafkaConnection#settings})
     * @param apply called with each record's key and value (a tombstone's value is null), in order
     * @param afterEachPoll called after every poll, on the follower's thread (housekeeping)
     */
    public TopicFollower(
            Topic<String, ?> topic,
            Deserializer<V> values,
            Map<String, Object> connection,
            String clientId,
            BiConsumer<String, V> apply,
            Runnable afterEachPoll) {
        this.topic = topic;
        this.apply = apply;
        this.afterEachPoll = afterEachPoll;
        Map<String, Object> c = new HashMap<>(connection);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        this.consumer = new KafkaConsumer<>(c, new StringDeserializer(), values);
        this.thread = new Thread(this::follow, clientId);
        this.thread.setDaemon(true);
    }

    public TopicFollower<V> start() {
        thread.start();
        return this;
    }

    /** True once the topic has been read up to where it ended at start. */
    public boolean caughtUp() {
        return caughtUp;
    }

    /** False once the follower stopped on an error: what others write is no longer applied. */
    public boolean following() {
        return following;
    }

    public void stop() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void follow() {
        TopicPartition partition = new TopicPartition(topic.name(), 0);
        try {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = -1;
            while (running) {
                if (!caughtUp && end < 0) {
                    try {
                        end = consumer.endOffsets(List.of(partition), Duration.ofSeconds(5))
                                .get(partition);
                    } catch (TimeoutException e) {
                        LOG.log(System.Logger.Level.WARNING, topic.name() + " not reachable yet; retrying");
                        continue;
                    }
                }
                for (ConsumerRecord<String, V> r : consumer.poll(POLL)) {
                    apply.accept(r.key(), r.value());
                }
                if (!caughtUp && consumer.position(partition) >= end) {
                    caughtUp = true;
                    LOG.log(System.Logger.Level.INFO, topic.name() + " read to its end");
                }
                afterEachPoll.run();
            }
        } catch (WakeupException e) {
            // shutting down
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "the follower of " + topic.name() + " stopped", e);
        } finally {
            following = false;
            consumer.close(Duration.ofSeconds(2)); // a consumer belongs to the thread that polls it
        }
    }
}
