package io.faultline.ingest.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.faultline.ingest.scrubbing.Scrubber;
import io.faultline.schemas.ErrorEvent;
import io.faultline.schemas.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.apache.kafka.common.serialization.Serializer;

/** Both ways ingest maps a line (streaming, and tree then scrubber), for tests that they store the same. */
final class BothPaths {

    static final Instant RECEIVED = Instant.parse("2026-12-06T10:00:00Z");

    final ObjectMapper json = new ObjectMapper();
    final Scrubber scrubber = new Scrubber(List.of(), "hmac-key");
    final SentryEventMapper tree = new SentryEventMapper(Duration.ofMinutes(5), Duration.ofDays(30));
    final StreamingEventMapper streaming =
            new StreamingEventMapper(json, scrubber, Duration.ofMinutes(5), Duration.ofDays(30));
    private final Serializer<ErrorEvent> avro = Topics.EVENTS_RAW.valueSerde().serializer();

    /** The event as the streaming path maps it, or null when it leaves the line to the tree path. */
    ErrorEvent streamed(String event) {
        byte[] line = event.getBytes(StandardCharsets.UTF_8);
        return streaming.map(line, 0, line.length, "1", RECEIVED, "native", "ab".repeat(16));
    }

    /** The event as the tree path stores it, after checking the streaming path (if it takes it) stores the same bytes. */
    ErrorEvent both(String event) throws Exception {
        ErrorEvent fromTree = StorableText.clean(
                scrubber.scrub(tree.map(json.readTree(event), "1", RECEIVED, "native", "ab".repeat(16))));
        ErrorEvent fromStream = streamed(event);
        if (fromStream != null) {
            assertThat(HexFormat.of().formatHex(avro.serialize("t", StorableText.clean(fromStream))))
                    .isEqualTo(HexFormat.of().formatHex(avro.serialize("t", fromTree)));
        }
        return fromTree;
    }
}
