package io.faultline.resolver.strategy;

import io.faultline.schemas.topics.KafkaConnection;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A plain producer rather than a SmallRye channel: the topic is chosen per runbook at run time,
 * and the resolver needs the acknowledgement (or the failure) of each record to judge the action.
 */
@ApplicationScoped
public class KafkaRetryPublisher implements RetryPublisher {

    private final Map<String, Object> connection;
    private KafkaProducer<String, String> producer;

    /** @param kafka the service's kafka.* settings: brokers, and the SASL/TLS a cluster demands */
    public KafkaRetryPublisher(@Identifier("default-kafka-broker") Map<String, Object> kafka) {
        this.connection = KafkaConnection.settings(kafka);
    }

    @Override
    public String publish(String topic, String key, String payload, Map<String, String> headers, Duration timeout)
            throws Exception {
        ProducerRecord<String, String> record = new ProducerRecord<>(topic, key, payload);
        headers.forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
        RecordMetadata meta;
        try {
            meta = producer().send(record).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            // the record stays in the producer's buffer and may still be written: sending it again
            // could re-drive the payload twice
            throw new OutcomeUnknown(
                    "the broker did not acknowledge within " + timeout.toMillis()
                            + "ms; the record may still be written",
                    e);
        }
        return meta.topic() + "-" + meta.partition() + "@" + meta.offset();
    }

    private synchronized KafkaProducer<String, String> producer() {
        if (producer == null) {
            Properties p = new Properties();
            p.putAll(connection);
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            // a missing topic must fail the try, not block the worker for the default minute
            p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
            producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
        }
        return producer;
    }

    @PreDestroy
    synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }
}
