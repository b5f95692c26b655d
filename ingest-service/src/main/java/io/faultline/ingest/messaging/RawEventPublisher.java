package io.faultline.ingest.messaging;

import io.faultline.ingest.config.IngestConfig;
import io.faultline.schemas.topics.KafkaConnection;
import io.faultline.schemas.topics.Topics;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import net.jpountz.lz4.LZ4Factory;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/**
 * Writes accepted events to {@code faultline.events.raw.v1} and completes only when the broker
 * has acknowledged the write to all in-sync replicas. Ingest answers 2xx on that completion and
 * nothing earlier, so an acknowledged event is never lost.
 */
// created at start, not by the first request: its constructor waits up to max.block.ms per topic
// for the metadata, which with the broker down that request paid on an event loop
@io.quarkus.runtime.Startup
@ApplicationScoped
public class RawEventPublisher {

    private static final Logger LOG = Logger.getLogger(RawEventPublisher.class);
    private static final int LINGER_MS = 5;

    /**
     * How long one send may block: the producer's max.block.ms. A send that cannot get the topic's
     * metadata (or buffer space) in that time does not throw: the producer blocks, then reports the
     * failure to the callback. A batch sent record by record therefore waited half a second per
     * event with the broker away (50 events, 25 s) before its 503; now the first failure ends the
     * request's sends, so a request blocks at most this long.
     */
    static final long SEND_BUDGET_MS = 500;

    /**
     * The sends of one request: once one of them failed (the broker is away), the others fail at
     * once instead of each waiting max.block.ms for the broker again. No clock: a send that blocks
     * and then succeeds is the broker keeping up, and a long batch on a busy machine is not a
     * broker outage.
     */
    public static final class Sends {
        private volatile boolean failed;

        /** The failure of a send not attempted, or null to go ahead. */
        private RuntimeException refusal() {
            return failed
                    ? new org.apache.kafka.common.errors.TimeoutException(
                            "an earlier write of this request failed: the broker is unavailable")
                    : null;
        }
    }

    /** A new request's sends. */
    public static Sends request() {
        return new Sends();
    }

    private final KafkaProducer<String, byte[]> producer;

    @Inject
    public RawEventPublisher(@Identifier("default-kafka-broker") Map<String, Object> kafka, IngestConfig ingestConfig) {
        Map<String, Object> config = KafkaConnection.settings(kafka);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        // Requests arrive one event at a time from many clients: a few milliseconds of lingering
        // turns hundreds of them into one produce request, which is what the broker can keep up
        // with; the answer waits for the acknowledgement anyway.
        config.put(ProducerConfig.LINGER_MS_CONFIG, LINGER_MS);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        if (!preferNativeLz4()) {
            LOG.info("lz4-java's native library is not available here: batches are compressed in Java");
        }
        // A slow or absent broker must turn into a 503 quickly, not a hung request: Sentry SDKs
        // give up on a request after 5 s (their default read timeout), so the answer must come
        // sooner. The producer reports every send within delivery.timeout.ms, which must cover
        // linger.ms + request.timeout.ms; that is the acknowledgement timeout of a request.
        // A request's sends block for SEND_BUDGET_MS at most before the first fails (below), so the
        // acknowledgement gets the rest of the acknowledgement timeout: the 503 comes within it
        // whatever the request.
        long ackTimeout = Math.max(1_000, ingestConfig.ingest().ackTimeout().toMillis());
        long deliveryTimeout = ackTimeout - SEND_BUDGET_MS;
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) deliveryTimeout);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(3_000, deliveryTimeout - LINGER_MS));
        // send() runs on an event loop: it may only block while the topic's metadata is unknown
        // (fetched once at start, below; never while the broker was away since) or the buffer is
        // full (the broker is slow or away)
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) SEND_BUDGET_MS);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "faultline-ingest");
        this.producer = new KafkaProducer<>(config);
        try {
            producer.partitionsFor(Topics.EVENTS_RAW.name());
            producer.partitionsFor(Topics.TRAFFIC.name());
        } catch (RuntimeException e) {
            // the broker is not there yet: the first requests fetch the metadata (or answer 503)
        }
    }

    /**
     * Makes Kafka compress with lz4-java's JNI build. Kafka asks {@code
     * LZ4Factory.fastestInstance()}, which tries the JNI build only when it is already loaded or
     * when lz4-java sits on the system class path. Under Quarkus's class loader neither holds, so
     * every batch went through the pure-Java compressor: 8 % of the intake's CPU in a profile of
     * NDJSON batches (4 % with the JNI build), where a plain Kafka client such as the bench's raw
     * producer uses the native one. Loading the JNI build once makes {@code fastestInstance()}
     * return it, and xxhash's (the lz4 frame checksum) too.
     *
     * @return whether the native build loaded; where it cannot, the pure-Java compressor stays
     */
    static boolean preferNativeLz4() {
        try {
            LZ4Factory.nativeInstance();
            return true;
        } catch (LinkageError | RuntimeException | AssertionError e) {
            // no build for this platform, or no right to load it: lz4-java wraps its failures in
            // an AssertionError, the JVM's in a LinkageError
            return false;
        }
    }

    /**
     * Publishes one serialized {@link io.faultline.schemas.ErrorEvent} keyed by its project:
     * Kafka's default partitioner then puts it on the partition whose classifier task owns the
     * project's templates and groups, so the classifier needs no repartition hop. The stage fails
     * if the broker does not acknowledge it within the acknowledgement timeout (the producer's
     * delivery timeout).
     */
    public CompletableFuture<RecordMetadata> publish(String projectId, byte[] event, Sends sends) {
        return send(Topics.EVENTS_RAW.name(), projectId, event, sends);
    }

    /**
     * Publishes a batch of one project's serialized events, keyed as {@link #publish} does; the
     * stage completes once the broker acknowledged every one of them, or fails with the first
     * error. One callback counts the acknowledgements down: a batch needs no future per event.
     */
    public CompletableFuture<Void> publishAll(String projectId, List<byte[]> events, Sends sends) {
        CompletableFuture<Void> all = new CompletableFuture<>();
        if (events.isEmpty()) {
            all.complete(null);
            return all;
        }
        String topic = Topics.EVENTS_RAW.name();
        AtomicInteger pending = new AtomicInteger(events.size());
        Callback acknowledged = (meta, error) -> {
            if (error != null) {
                sends.failed = true;
                all.completeExceptionally(error);
            } else if (pending.decrementAndGet() == 0) {
                all.complete(null);
            }
        };
        for (byte[] value : events) {
            // a failure the producer reported during send() (no metadata within max.block.ms)
            // has completed the stage: the rest would each wait as long again
            if (all.isDone()) {
                break;
            }
            RuntimeException refused = sends.refusal();
            if (refused != null) {
                all.completeExceptionally(refused);
                break;
            }
            try {
                // no record timestamp: the producer's clock, never a client's, is the record's time
                producer.send(new ProducerRecord<>(topic, projectId, value), acknowledged);
            } catch (RuntimeException e) {
                sends.failed = true;
                all.completeExceptionally(e); // the buffer full, a closed producer
                break;
            }
        }
        return all;
    }

    /** Writes one record with the same acks=all guarantee; other intake publishers share the producer. */
    CompletableFuture<RecordMetadata> send(String topic, String key, byte[] value, Sends sends) {
        CompletableFuture<RecordMetadata> acked = new CompletableFuture<>();
        RuntimeException refused = sends.refusal();
        if (refused != null) {
            acked.completeExceptionally(refused);
            return acked;
        }
        try {
            // no record timestamp: the producer's clock, never a client's, is the record's time
            producer.send(new ProducerRecord<>(topic, key, value), (meta, error) -> {
                if (error != null) {
                    sends.failed = true;
                    acked.completeExceptionally(error);
                } else {
                    acked.complete(meta);
                }
            });
        } catch (RuntimeException e) {
            sends.failed = true;
            acked.completeExceptionally(e); // the buffer full, a closed producer
        }
        return acked;
    }

    @PreDestroy
    void close() {
        producer.close(java.time.Duration.ofSeconds(10));
    }
}
