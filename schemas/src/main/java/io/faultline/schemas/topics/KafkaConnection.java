package io.faultline.schemas.topics;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;

/** What a plain Kafka client of a service takes from the service's Kafka settings. */
public final class KafkaConnection {

    private KafkaConnection() {}

    /**
     * The settings that say where the brokers are and how to reach them (bootstrap servers,
     * security protocol, SASL, TLS), without those of the messaging channels, so that a producer
     * or consumer made by hand connects exactly as the channels do.
     */
    public static Map<String, Object> settings(Map<String, Object> kafka) {
        Map<String, Object> connection = new HashMap<>();
        kafka.forEach((k, v) -> {
            if (k.equals("bootstrap.servers")
                    || k.startsWith("security.")
                    || k.startsWith("sasl.")
                    || k.startsWith("ssl.")) {
                connection.put(k, v);
            }
        });
        return connection;
    }

    /**
     * A producer's settings for writes its caller waits on (a project key, a logout): every
     * replica acknowledges, no duplicates, and a broker that does not answer fails the write within
     * {@code deliveryTimeout} instead of blocking the caller.
     */
    public static Map<String, Object> acknowledgedWrites(
            Map<String, Object> kafka, String clientId, Duration deliveryTimeout) {
        Map<String, Object> p = settings(kafka);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) deliveryTimeout.toMillis());
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        return p;
    }
}
