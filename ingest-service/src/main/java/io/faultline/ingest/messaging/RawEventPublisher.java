package io.faultline.ingest.messaging;

import io.faultline.schemas.ErrorEvent;
import io.faultline.schemas.topics.Topics;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes accepted events to {@code faultline.events.raw.v1} and completes only when the broker
 * has acknowledged the write to all in-sync replicas. Ingest answers 2xx on that completion and
 * nothing earlier, so an acknowledged event is never lost.
 */
@ApplicationScoped
public class RawEventPublisher {

    private final KafkaProducer<String, byte[]> producer;

    @Inject
    public RawEventPublisher(@Identifier("default-kafka-broker") Map<String, Object> kafka) {
        Map<String, Object> config = new HashMap<>();
        kafka.forEach((k, v) -> {
            if (k.equals("bootstrap.servers")
                    || k.startsWith("security.")
                    || k.startsWith("sasl.")
                    || k.startsWith("ssl.")) {
                config.put(k, v);
            }
        });
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 2);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        // A slow or absent broker must turn into a 503 quickly, not a hung request: Sentry SDKs
        // give up on a request after 5 s (their default read timeout), so the answer must come
        // sooner. delivery.timeout.ms must cover linger.ms + request.timeout.ms.
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 1_000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 4_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 3_000);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "faultline-ingest");
        this.producer = new KafkaProducer<>(config);
    }

    /** Publishes one event keyed by its id; the stage fails if the broker does not acknowledge. */
    public CompletableFuture<RecordMetadata> publish(ErrorEvent event) {
        byte[] value = Topics.EVENTS_RAW.valueSerde().serializer().serialize(Topics.EVENTS_RAW.name(), event);
        return send(Topics.EVENTS_RAW.name(), event.getEventId(), value);
    }

    /** Writes one record with the same acks=all guarantee; other intake publishers share the producer. */
    CompletableFuture<RecordMetadata> send(String topic, String key, byte[] value) {
        CompletableFuture<RecordMetadata> acked = new CompletableFuture<>();
        try {
            producer.send(new ProducerRecord<>(topic, key, value), (meta, error) -> {
                if (error != null) {
                    acked.completeExceptionally(error);
                } else {
                    acked.complete(meta);
                }
            });
        } catch (RuntimeException e) {
            acked.completeExceptionally(e); // metadata unavailable within max.block.ms, buffer full
        }
        return acked;
    }

    @PreDestroy
    void close() {
        producer.close(java.time.Duration.ofSeconds(10));
    }
}
