package io.faultline.classifier.streams;

import io.faultline.schemas.topics.Topics;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;

/** The headers a dead-lettered record carries: why, from where, and who gave up on it. */
final class DeadLetters {

    private DeadLetters() {}

    static Headers mark(Headers headers, String reason) {
        return mark(headers, reason, Topics.EVENTS_RAW.name());
    }

    static Headers mark(Headers headers, String reason, String sourceTopic) {
        headers.add(Topics.DLQ_HEADER_REASON, reason.getBytes(StandardCharsets.UTF_8));
        headers.add(Topics.DLQ_HEADER_SOURCE_TOPIC, sourceTopic.getBytes(StandardCharsets.UTF_8));
        headers.add(Topics.DLQ_HEADER_SERVICE, "classifier-service".getBytes(StandardCharsets.UTF_8));
        return headers;
    }
}
