package io.faultline.ingest.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.faultline.ingest.scrubbing.Scrubber;
import io.faultline.ingest.service.IngestProblem;
import io.faultline.schemas.ErrorEvent;
import io.faultline.schemas.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.Test;

/**
 * The streaming mapper against the tree mapper and the scrubber, on generated events: valid ones
 * with secrets seeded everywhere, and edge cases and invalid ones. Whatever the streaming mapper
 * accepts must encode to exactly the bytes of {@code scrubber.scrub(mapper.map(tree))}; whatever
 * the tree mapper refuses, the streaming mapper must leave to it (so the problem is the tree's).
 * What is stored holds no string PostgreSQL text refuses, and mapping never fails but as a problem.
 */
class StreamingEventMapperTest {

    private static final Duration SKEW = Duration.ofMinutes(5);
    private static final Duration AGE = Duration.ofDays(30);
    private static final Instant RECEIVED = Instant.parse("2026-11-30T10:00:00.123Z");

    private final ObjectMapper json = new ObjectMapper();
    private final SentryEventMapper tree = new SentryEventMapper(SKEW, AGE);
    private final Serializer<ErrorEvent> avro = Topics.EVENTS_RAW.valueSerde().serializer();

    @Test
    void acceptedEventsEncodeExactlyAsTheTreePathWithAndWithoutAUserKey() throws Exception {
        for (Scrubber scrubber :
                List.of(new Scrubber(List.of("customer_ref"), "hmac-key"), new Scrubber(List.of(), null))) {
            Outcome outcome = compare(scrubber, 20261130L, 6_000);
            // the corpus exercises both paths, and the fast one on most valid events
            System.out.println("streaming mapper corpus: " + outcome);
            assertThat(outcome.fast).isGreaterThan(3_000);
            assertThat(outcome.refused).isGreaterThan(300);
            assertThat(outcome.fastOfValid).isGreaterThan(outcome.valid * 3 / 4);
        }
    }

    @Test
    void theBenchmarkShapeAndTheSeededSecretCorpusTakeTheFastPath() throws Exception {
        Scrubber scrubber = new Scrubber(List.of(), "hmac-key");
        StreamingEventMapper fast = new StreamingEventMapper(json, scrubber, SKEW, AGE);
        List<String> lines = new ArrayList<>();
        lines.add("{\"event_id\":\"" + "ab".repeat(16) + "\",\"level\":\"error\",\"platform\":\"java\","
                + "\"release\":\"shop@1.4.2\",\"environment\":\"production\",\"tags\":{\"service\":\"bench\","
                + "\"workflow\":\"booking\"},\"user\":{\"id\":\"u42\"},\"exception\":{\"values\":[{\"type\":"
                + "\"java.net.SocketTimeoutException\",\"value\":\"Read timed out after 42 ms\",\"stacktrace\":"
                + "{\"frames\":[{\"module\":\"org.eclipse.jetty.server.HttpChannel\",\"function\":\"handle\","
                + "\"lineno\":479,\"in_app\":false},{\"module\":\"com.example.Client\",\"function\":\"fetch\","
                + "\"lineno\":77,\"in_app\":true}]}}]}}");
        try (var in = getClass().getResourceAsStream("/scrubbing/secret-events.ndjson")) {
            new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .filter(l -> !l.isBlank())
                    .forEach(lines::add);
        }
        for (String line : lines) {
            byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
            ErrorEvent streamed = fast.map(bytes, 0, bytes.length, "1", RECEIVED, "native", "cd".repeat(16));
            assertThat(streamed).as(line).isNotNull();
            ErrorEvent expected =
                    scrubber.scrub(tree.map(json.readTree(bytes), "1", RECEIVED, "native", "cd".repeat(16)));
            assertThat(hex(avro.serialize("t", streamed))).as(line).isEqualTo(hex(avro.serialize("t", expected)));
        }
    }

    @Test
    void anEventWithoutAnIdGetsAFreshOne() {
        StreamingEventMapper fast = new StreamingEventMapper(json, new Scrubber(List.of(), null), SKEW, AGE);
        byte[] bytes = "{\"message\":\"m\"}".getBytes(StandardCharsets.UTF_8);
        ErrorEvent a = fast.map(bytes, 0, bytes.length, "1", RECEIVED, "native", null);
        ErrorEvent b = fast.map(bytes, 0, bytes.length, "1", RECEIVED, "native", null);
        assertThat(a.getEventId()).matches("[0-9a-f]{32}").isNotEqualTo(b.getEventId());
    }

    @Test
    void onlyErrorEventsTakeTheFastPathWhatElseIsTypedIsLeftToTheTree() {
        StreamingEventMapper fast = new StreamingEventMapper(json, new Scrubber(List.of(), null), SKEW, AGE);
        for (String type : new String[] {"\"error\"", "\"default\"", "null"}) {
            byte[] bytes = ("{\"type\":" + type + ",\"message\":\"m\"}").getBytes(StandardCharsets.UTF_8);
            assertThat(fast.map(bytes, 0, bytes.length, "1", RECEIVED, "native", null))
                    .as(type)
                    .isNotNull();
        }
        // the legacy store endpoint takes transactions too: its tree tells them from error events
        for (String type : new String[] {"\"transaction\"", "\"csp\"", "7", "{}"}) {
            byte[] bytes = ("{\"message\":\"m\",\"type\":" + type + "}").getBytes(StandardCharsets.UTF_8);
            assertThat(fast.map(bytes, 0, bytes.length, "1", RECEIVED, "native", null))
                    .as(type)
                    .isNull();
        }
    }

    record Outcome(int fast, int refused, int valid, int fastOfValid) {}

    private Outcome compare(Scrubber scrubber, long seed, int events) throws Exception {
        StreamingEventMapper fast = new StreamingEventMapper(json, scrubber, SKEW, AGE);
        EventCorpus corpus = new EventCorpus(new Random(seed));
        int fastCount = 0;
        int refused = 0;
        int valid = 0;
        int fastOfValid = 0;
        for (int i = 0; i < events; i++) {
            boolean wantValid = i % 3 != 0;
            String line = corpus.event(wantValid);
            // the line lies inside a bigger buffer, as in a batch body
            byte[] body = ("{\"x\":1}\n" + line + "\n{}").getBytes(StandardCharsets.UTF_8);
            int offset = "{\"x\":1}\n".length();
            int length = line.getBytes(StandardCharsets.UTF_8).length;
            // an id for events without one, as an envelope header gives (a random one differs per path)
            String fallbackId = "0123456789abcdef0123456789abcdef";

            byte[] expected = null;
            IngestProblem problem = null;
            try {
                JsonNode node = json.readTree(body, offset, length);
                ErrorEvent mapped = tree.map(node, "7", RECEIVED, "native", fallbackId);
                // what the intake stores: the scrubbed event made storable, last, on either path
                ErrorEvent stored = StorableText.clean(scrubber.scrub(mapped));
                assertThat(HostileValuesTest.strings(stored))
                        .as(line)
                        .allSatisfy(HostileValuesTest::storableInPostgres);
                expected = avro.serialize("t", stored);
            } catch (IngestProblem p) {
                problem = p;
            } catch (java.io.IOException malformed) {
                problem = IngestProblem.badRequest("", "malformed");
            }
            ErrorEvent streamed = fast.map(body, offset, length, "7", RECEIVED, "native", fallbackId);
            if (problem != null) {
                refused++;
                assertThat(streamed)
                        .as("a line the tree path refuses (%s) is left to it: %s", problem.errors(), line)
                        .isNull();
                continue;
            }
            valid++;
            if (streamed == null) {
                continue; // mapped by the tree path, which gives the expected bytes by definition
            }
            fastCount++;
            fastOfValid++;
            assertThat(hex(avro.serialize("t", StorableText.clean(streamed))))
                    .as(line)
                    .isEqualTo(hex(expected));
        }
        return new Outcome(fastCount, refused, valid, fastOfValid);
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
