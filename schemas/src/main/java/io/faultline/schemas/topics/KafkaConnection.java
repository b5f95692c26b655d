package io.faultline.schemas.topics;

import java.util.HashMap;
import java.util.Map;

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
}
