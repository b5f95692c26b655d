package io.faultline.classifier.streams;

import io.faultline.schemas.topics.KafkaConnection;
import io.faultline.schemas.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.jboss.logging.Logger;

/**
 * Writes the dead letters of the streams' exception handlers. Kafka Streams 4.1's handlers can only
 * answer CONTINUE or FAIL (the dead-letter records a handler may return came with 4.2, KIP-1034),
 * so a record given up on there is written by this producer of its own, outside the stream's
 * transaction, and acknowledged before the handler lets the stream go on: a record is never both
 * skipped and lost. If the transaction is aborted after all, the record is read again and may be
 * dead-lettered twice. One producer per cluster, made on the first dead letter, closed at shutdown.
 */
final class DeadLetterProducer {

    private static final Logger LOG = Logger.getLogger(DeadLetterProducer.class);
    private static final Map<Map<String, Object>, DeadLetterProducer> BY_CLUSTER = new ConcurrentHashMap<>();
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

    private final Map<String, Object> settings;
    private volatile KafkaProducer<byte[], byte[]> producer;
    private volatile boolean closed;

    private DeadLetterProducer(Map<String, Object> settings) {
        this.settings = settings;
    }

    /** The producer for the cluster of these Kafka Streams settings (a handler's {@code configure}). */
    static DeadLetterProducer of(Map<String, ?> streamsConfig) {
        Map<String, Object> connection = KafkaConnection.settings(new HashMap<String, Object>(streamsConfig));
        Object application = streamsConfig.get(StreamsConfig.APPLICATION_ID_CONFIG);
        return BY_CLUSTER.computeIfAbsent(connection, c -> {
            Map<String, Object> p = new HashMap<>(c);
            p.put(ProducerConfig.CLIENT_ID_CONFIG, application + "-dead-letters");
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) ACK_TIMEOUT.toMillis());
            p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) ACK_TIMEOUT.toMillis() / 2);
            return new DeadLetterProducer(p);
        });
    }

    static void closeAll() {
        BY_CLUSTER.values().forEach(DeadLetterProducer::close);
        BY_CLUSTER.clear();
    }

    /**
     * Dead-letters the record the stream was processing, as it was read, with the reason. The
     * record's time is the time of writing: the original may be the very time the broker refused.
     *
     * @return whether the broker acknowledged it; false when there was no record (a punctuation) or
     *     its topic has no dead-letter topic
     */
    boolean deadLetter(ErrorHandlerContext context, String reason) {
        String topic = DeadLetters.topicFor(context.topic());
        if (topic == null) {
            LOG.errorf(
                    "%s (task %s, processor %s): no record to dead-letter",
                    reason, context.taskId(), context.processorNodeId());
            return false;
        }
        Headers headers = new RecordHeaders(
                context.headers() == null ? new Header[0] : context.headers().toArray());
        DeadLetters.mark(headers, reason, context.topic());
        return send(
                topic,
                context.sourceRawKey(),
                DeadLetters.fit(context.sourceRawValue(), headers),
                headers,
                context.topic() + "-" + context.partition() + "@" + context.offset());
    }

    /** Dead-letters bytes already serialized for {@code intendedTopic}, to that topic's dead-letter topic. */
    boolean deadLetter(String intendedTopic, byte[] key, byte[] value, Headers original, String reason) {
        String topic = DeadLetters.topicFor(intendedTopic);
        if (topic == null) {
            LOG.errorf("a record for %s was refused and has no dead-letter topic: %s", intendedTopic, reason);
            return false;
        }
        Headers headers = new RecordHeaders(original == null ? new Header[0] : original.toArray());
        DeadLetters.mark(headers, reason, intendedTopic);
        return send(topic, key, DeadLetters.fit(value, headers), headers, "a record for " + intendedTopic);
    }

    private boolean send(String topic, byte[] key, byte[] value, Headers headers, String what) {
        try {
            producer()
                    .send(new ProducerRecord<>(topic, null, null, key, value, headers))
                    .get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            LOG.warnf("%s dead-lettered to %s: %s", what, topic, reason(headers));
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.errorf(e, "%s could not be dead-lettered to %s", what, topic);
            return false;
        } catch (Exception e) {
            LOG.errorf(e, "%s could not be dead-lettered to %s", what, topic);
            return false;
        }
    }

    private static String reason(Headers headers) {
        Header h = headers.lastHeader(Topics.DLQ_HEADER_REASON);
        return h == null ? "" : new String(h.value(), StandardCharsets.UTF_8);
    }

    private KafkaProducer<byte[], byte[]> producer() {
        KafkaProducer<byte[], byte[]> p = producer;
        if (p == null) {
            synchronized (this) {
                if (closed) {
                    // shutting down: the record is not committed and is read again after the restart
                    throw new IllegalStateException("the service is shutting down");
                }
                if (producer == null) {
                    producer = new KafkaProducer<>(settings, new ByteArraySerializer(), new ByteArraySerializer());
                }
                p = producer;
            }
        }
        return p;
    }

    private synchronized void close() {
        closed = true;
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }
}
