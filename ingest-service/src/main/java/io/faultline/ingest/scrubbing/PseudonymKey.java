package io.faultline.ingest.scrubbing;

import io.faultline.ingest.config.IngestConfig;
import io.faultline.schemas.topics.KafkaConnection;
import io.faultline.schemas.topics.Topics;
import io.quarkus.runtime.Startup;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/**
 * The key user ids, emails, names and IPs are hashed with. A configured key
 * ({@code faultline.ingest.scrubbing.user-hmac-key}) wins; without one, the stack's own key is
 * kept on the compacted topic {@code faultline.ingest.keys.v1}, so hashing needs no setting, a
 * user hashes alike on every replica and after every restart, and the key lives with the stack's
 * data (a new stack, a new key). The first instance to find the topic empty writes 256 random bits
 * under a random record key; every instance then takes the record with the lowest offset, so two
 * that start at once agree, and compaction keeps it for ever (no later record has its key). Until
 * the key is read, the intake answers 503 and the instance is not ready: an event must never leave
 * ingest with a readable user.
 */
@Startup
@ApplicationScoped
public class PseudonymKey {

    private static final Logger LOG = Logger.getLogger(PseudonymKey.class);
    private static final int KEY_BYTES = 32;
    private static final TopicPartition PARTITION = new TopicPartition(Topics.INGEST_KEYS.name(), 0);

    private final Map<String, Object> kafka;
    private final Optional<String> configured;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile byte[] key;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    @Inject
    public PseudonymKey(@Identifier("default-kafka-broker") Map<String, Object> kafka, IngestConfig config) {
        this(kafka, config.ingest().scrubbing().userHmacKey().filter(k -> !k.isBlank()));
    }

    /** @param kafka the Kafka settings ({@link KafkaConnection#settings} is taken from them) */
    public PseudonymKey(Map<String, Object> kafka, Optional<String> configured) {
        this.kafka = kafka;
        this.configured = configured;
    }

    @PostConstruct
    public void start() {
        if (configured.isPresent()) {
            key = configured.get().getBytes(StandardCharsets.UTF_8);
            return;
        }
        thread = new Thread(this::obtain, "faultline-ingest-keys");
        thread.setDaemon(true);
        thread.start();
    }

    /** The key, once known: at once when configured, else when read from the topic. */
    public Optional<byte[]> key() {
        return Optional.ofNullable(key);
    }

    /** Reads the topic, writing a key first when it holds none; retries until it has one. */
    private void obtain() {
        try {
            while (stopped.getCount() > 0) {
                try {
                    byte[] first = first();
                    if (first == null && stopped.getCount() > 0) {
                        write();
                        first = first();
                    }
                    if (first != null) {
                        key = first;
                        LOG.infof("the key for hashing user fields was read from %s", Topics.INGEST_KEYS.name());
                        return;
                    }
                } catch (WakeupException e) {
                    return;
                } catch (RuntimeException e) {
                    LOG.warnf(
                            "the key for hashing user fields is not known yet (%s); retrying. Does the topic %s exist?",
                            e.toString(), Topics.INGEST_KEYS.name());
                }
                if (stopped.await(2, TimeUnit.SECONDS)) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The value of the first record that holds a key, or null when there is none. */
    private byte[] first() {
        Map<String, Object> c = new HashMap<>(KafkaConnection.settings(kafka));
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, "faultline-ingest-keys");
        try (KafkaConsumer<String, byte[]> reader =
                new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer = reader;
            if (stopped.getCount() == 0) {
                return null;
            }
            reader.assign(List.of(PARTITION));
            reader.seekToBeginning(List.of(PARTITION));
            long end = reader.endOffsets(List.of(PARTITION), Duration.ofSeconds(10))
                    .get(PARTITION);
            while (reader.position(PARTITION, Duration.ofSeconds(10)) < end) {
                for (ConsumerRecord<String, byte[]> r : reader.poll(Duration.ofMillis(500))) {
                    // a record of another shape is skipped alike by every instance
                    if (r.value() != null && r.value().length == KEY_BYTES) {
                        return r.value();
                    }
                }
            }
            return null;
        } finally {
            consumer = null;
        }
    }

    private void write() {
        byte[] fresh = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(fresh);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                KafkaConnection.acknowledgedWrites(kafka, "faultline-ingest-keys", Duration.ofSeconds(15)),
                new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(
                            Topics.INGEST_KEYS.name(), 0, UUID.randomUUID().toString(), fresh))
                    .get(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing a key", e);
        } catch (Exception e) {
            throw new IllegalStateException("a key could not be written to " + Topics.INGEST_KEYS.name(), e);
        }
    }

    @PreDestroy
    public void stop() {
        stopped.countDown();
        KafkaConsumer<String, byte[]> reading = consumer;
        if (reading != null) {
            reading.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
