package io.faultline.resolver.strategy;

import java.time.Duration;
import java.util.Map;

/** Writes a retry payload to a topic and waits for the broker's acknowledgement. */
public interface RetryPublisher {

    /** @return where the record landed, e.g. {@code topic-2@17} */
    String publish(String topic, String key, String payload, Map<String, String> headers, Duration timeout)
            throws Exception;
}
