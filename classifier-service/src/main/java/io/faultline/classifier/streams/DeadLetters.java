package io.faultline.classifier.streams;

import io.faultline.schemas.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.common.header.Headers;

/** The headers a dead-lettered record carries: why, from where, and who gave up on it. */
final class DeadLetters {

    /**
     * The largest value the classifier writes to any topic: the producer's {@code max.request.size}
     * and the broker's {@code message.max.bytes} (both 1 MiB by default) less room for key, headers
     * and batch framing. A record over it is refused, and under exactly-once a refused record fails
     * the whole transaction, so it is never sent.
     */
    static final int MAX_VALUE_BYTES = Topics.MAX_VALUE_BYTES;

    /** On a dead letter whose value was cut to {@link #MAX_VALUE_BYTES}: the original size. */
    static final String HEADER_ORIGINAL_SIZE = "faultline.dlq.original-size";

    private static final int MAX_REASON_CHARS = 2000;

    private DeadLetters() {}

    static Headers mark(Headers headers, String reason) {
        return mark(headers, reason, Topics.EVENTS_RAW.name());
    }

    static Headers mark(Headers headers, String reason, String sourceTopic) {
        String said = reason.length() > MAX_REASON_CHARS ? reason.substring(0, MAX_REASON_CHARS) + "…" : reason;
        headers.add(Topics.DLQ_HEADER_REASON, said.getBytes(StandardCharsets.UTF_8));
        headers.add(Topics.DLQ_HEADER_SOURCE_TOPIC, sourceTopic.getBytes(StandardCharsets.UTF_8));
        headers.add(Topics.DLQ_HEADER_SERVICE, "classifier-service".getBytes(StandardCharsets.UTF_8));
        return headers;
    }

    /**
     * The value to dead-letter: the original bytes, or, for a record that with its dead-letter
     * headers would be too large for the dead-letter topic, their first {@link #MAX_VALUE_BYTES} and
     * a header with the original size. A dead letter the broker refused would stop the stream just
     * as the record did.
     */
    static byte[] fit(byte[] value, Headers headers) {
        if (value == null || value.length <= MAX_VALUE_BYTES) {
            return value;
        }
        headers.add(HEADER_ORIGINAL_SIZE, Integer.toString(value.length).getBytes(StandardCharsets.UTF_8));
        return Arrays.copyOf(value, MAX_VALUE_BYTES);
    }

    /**
     * The dead-letter topic for a record read from {@code topic}: the catalogue topic's own, or for
     * a repartition topic that of the catalogue topic whose records it carries; null for any other
     * (a changelog, or no topic: a punctuation).
     */
    static String topicFor(String topic) {
        if (topic == null) {
            return null;
        }
        if (topic.equals(Topics.EVENTS_RAW.name())
                || topic.endsWith("-" + ClassifierTopology.BY_PROJECT_REPARTITION + "-repartition")) {
            return Topics.EVENTS_RAW_DLQ.name();
        }
        if (topic.equals(Topics.TRAFFIC.name())
                || topic.endsWith("-" + ClassifierTopology.TRAFFIC_BY_SCOPE_REPARTITION + "-repartition")) {
            return Topics.TRAFFIC_DLQ.name();
        }
        if (topic.equals(Topics.RESOLUTIONS.name())
                || topic.endsWith("-" + ClassifierTopology.RESOLUTIONS_BY_PROJECT_REPARTITION + "-repartition")) {
            return Topics.RESOLUTIONS_DLQ.name();
        }
        if (topic.equals(Topics.ERRORS_CLASSIFIED.name())) {
            return Topics.ERRORS_CLASSIFIED_DLQ.name();
        }
        if (topic.equals(Topics.SIGNALS.name())) {
            return Topics.SIGNALS_DLQ.name();
        }
        return null;
    }
}
