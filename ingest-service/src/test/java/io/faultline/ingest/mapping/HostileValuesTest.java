package io.faultline.ingest.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.faultline.ingest.scrubbing.Scrubber;
import io.faultline.ingest.service.IngestProblem;
import io.faultline.schemas.ErrorEvent;
import io.faultline.schemas.topics.Topics;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.Test;

/**
 * Values a fuzzer sends and an SDK does not: timestamps far away or beyond any calendar, and every
 * Unicode edge case in every kind of string. Both mapping paths must agree byte for byte on what
 * they store, the record must be one every later stage stores (no U+0000, no lone surrogate, no
 * time out of Kafka's range), and nothing may end in anything but a stored event or a 400.
 */
class HostileValuesTest {

    private static final Duration SKEW = Duration.ofSeconds(60);
    private static final Duration AGE = Duration.ofDays(30);
    private static final Instant RECEIVED = Instant.parse("2026-11-30T10:00:00.123Z");
    private static final String ID = "0123456789abcdef0123456789abcdef";

    private final ObjectMapper json = new ObjectMapper();
    private final Scrubber scrubber = new Scrubber(List.of(), "hmac-key");
    private final SentryEventMapper tree = new SentryEventMapper(SKEW, AGE);
    private final StreamingEventMapper fast = new StreamingEventMapper(json, scrubber, SKEW, AGE);
    private final Serializer<ErrorEvent> avro = Topics.EVENTS_RAW.valueSerde().serializer();

    /**
     * Marks a case whose JSON escape is a lone surrogate: Jackson refuses one in a field name
     * ("Broken surrogate pair in field name"), so as a key it is malformed JSON on both paths (a
     * 400 naming the line and column); as a value it is repaired.
     */
    private static final String LONE = "lone";

    /** Each edge case as it appears inside a JSON string, and what must be stored for it. */
    private static final String[][] UNICODE = {
        {"nul\\u0000byte", "nul\uFFFDbyte"},
        {"\\u0000", "\uFFFD"},
        {"c0 \\u0001\\u0007\\u001f\\t\\n\\r", "c0 \u0001\u0007\u001f\t\n\r"},
        {"lone high \\ud800 here", "lone high \uFFFD here", LONE},
        {"lone low \\udfff here", "lone low \uFFFD here", LONE},
        {"high at end \\udbff", "high at end \uFFFD", LONE},
        {"reversed \\udc00\\ud800", "reversed \uFFFD\uFFFD", LONE},
        {"two highs \\ud83d\\ud83d\\ude00", "two highs \uFFFD\uD83D\uDE00", LONE},
        {"nonchar \\ufffe \\uffff", "nonchar \uFFFE \uFFFF"},
        {"\\ufeffbom", "\uFEFFbom"},
        {"emoji 😀 and \\ud83d\\ude00", "emoji \uD83D\uDE00 and \uD83D\uDE00"},
        {"combining e\\u0301 a\u0308", "combining e\u0301 a\u0308"},
        {"rtl \\u202eevil\\u202c", "rtl \u202Eevil\u202C"},
        {"line sep \u2028 para \u2029", "line sep \u2028 para \u2029"},
        {"del \u007f c1 \u0085", "del \u007F c1 \u0085"},
    };

    @Test
    void everyUnicodeEdgeCaseIsStoredTheSameByBothPathsWithoutNulOrLoneSurrogates() throws Exception {
        for (String[] edge : UNICODE) {
            String v = edge[0];
            boolean lone = edge.length > 2;
            String k = lone ? "key" : v;
            String storedKey = lone ? "key" : edge[1];
            byte[] bytes = everywhere(k, v).getBytes(StandardCharsets.UTF_8);
            ErrorEvent streamed = fast.map(bytes, 0, bytes.length, "1", RECEIVED, "native", null);
            assertThat(streamed)
                    .as("an event valid for the tree is the fast path's: %s", v)
                    .isNotNull();
            ErrorEvent expected = scrubber.scrub(tree.map(json.readTree(bytes), "1", RECEIVED, "native", null));
            byte[] fromStream = avro.serialize("t", StorableText.clean(streamed));
            byte[] fromTree = avro.serialize("t", StorableText.clean(expected));
            assertThat(hex(fromStream)).as(v).isEqualTo(hex(fromTree));
            ErrorEvent record = Topics.EVENTS_RAW.valueSerde().deserializer().deserialize("t", fromStream);
            assertThat(strings(record)).as(v).allSatisfy(HostileValuesTest::storableInPostgres);
            // the repaired text is what was stored, everywhere it was sent (a few are hashed, scrubbed)
            String want = edge[1];
            assertThat(record.getRelease()).as(v).isEqualTo(want);
            assertThat(record.getMessage()).as(v).isEqualTo(want);
            assertThat(record.getExceptions().get(0).getType()).as(v).isEqualTo(want);
            assertThat(record.getExceptions().get(0).getFrames().get(0).getFunction())
                    .as(v)
                    .isEqualTo(want);
            assertThat(record.getBreadcrumbs().get(0).getMessage()).as(v).isEqualTo(want);
            assertThat(record.getBreadcrumbs().get(0).getData()).as(v).containsEntry(storedKey, want);
            assertThat(record.getFingerprint()).as(v).containsExactly(want);
            assertThat(record.getTags()).as(v).containsEntry(storedKey, want).containsEntry("k", want);
            assertThat(record.getUser().getData()).as(v).containsEntry(storedKey, want);
            assertThat(record.getRequest().getHeaders()).as(v).containsEntry(storedKey, want);
            assertThat(record.getContexts()).as(v).containsKey(storedKey);
            assertThat(record.getExtra()).as(v).containsKey(storedKey);
            if (lone) {
                byte[] asKey = everywhere(v, v).getBytes(StandardCharsets.UTF_8);
                assertThat(fast.map(asKey, 0, asKey.length, "1", RECEIVED, "native", null))
                        .as(v)
                        .isNull();
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> json.readTree(asKey))
                        .as(v)
                        .isInstanceOf(com.fasterxml.jackson.core.JsonParseException.class)
                        .hasMessageContaining("surrogate");
            }
        }
    }

    /** An event with the JSON string text {@code s} in every string field and {@code k} in every key. */
    private static String everywhere(String k, String s) {
        return "{\"event_id\":\"" + ID + "\",\"message\":\"" + s + "\",\"release\":\"" + s
                + "\",\"environment\":\"" + s + "\",\"platform\":\"" + s + "\",\"logger\":\"" + s
                + "\",\"server_name\":\"" + s + "\",\"transaction\":\"" + s + "\","
                + "\"logentry\":{\"message\":\"" + s + " %s\",\"formatted\":\"" + s + "\",\"params\":[\"" + s
                + "\",{\"" + k + "\":\"" + s + "\"}]},"
                + "\"exception\":{\"values\":[{\"type\":\"" + s + "\",\"value\":\"" + s + "\",\"module\":\"" + s
                + "\",\"thread_id\":\"" + s + "\",\"mechanism\":{\"type\":\"" + s + "\"},"
                + "\"stacktrace\":{\"frames\":[{\"filename\":\"" + s + "\",\"abs_path\":\"" + s
                + "\",\"module\":\"" + s + "\",\"function\":\"" + s + "\",\"context_line\":\"" + s + "\"}]}}]},"
                + "\"request\":{\"url\":\"" + s + "\",\"method\":\"" + s + "\",\"query_string\":\"" + s
                + "\",\"data\":{\"" + k + "\":\"" + s + "\"},\"headers\":{\"" + k + "\":\"" + s + "\"},"
                + "\"env\":[[\"" + k + "\",\"" + s + "\"]]},"
                + "\"user\":{\"id\":\"" + s + "\",\"email\":\"" + s + "\",\"username\":\"" + s
                + "\",\"ip_address\":\"" + s + "\",\"segment\":\"" + s + "\",\"" + k + "\":\"" + s + "\"},"
                + "\"tags\":{\"" + k + "\":\"" + s + "\",\"k\":\"" + s + "\"},"
                + "\"contexts\":{\"" + k + "\":{\"" + k + "\":\"" + s + "\"}},"
                + "\"extra\":{\"" + k + "\":\"" + s + "\",\"nested\":[\"" + s + "\"]},"
                + "\"fingerprint\":[\"" + s + "\"],\"sdk\":{\"name\":\"" + s + "\",\"version\":\"" + s + "\"},"
                + "\"breadcrumbs\":[{\"type\":\"" + s + "\",\"category\":\"" + s + "\",\"level\":\"" + s
                + "\",\"message\":\"" + s + "\",\"data\":{\"" + k + "\":\"" + s + "\"}}]}";
    }

    @Test
    void aLoneSurrogateSentAsRawBytesIsMalformedJsonOnBothPaths() throws Exception {
        // CESU-8 of U+D800, which UTF-8 forbids: the parser refuses it, a 400 naming line and column
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write("{\"message\":\"raw ".getBytes(StandardCharsets.UTF_8));
        body.write(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80});
        body.write(" end\"}".getBytes(StandardCharsets.UTF_8));
        byte[] bytes = body.toByteArray();
        assertThat(fast.map(bytes, 0, bytes.length, "1", RECEIVED, "native", ID))
                .isNull();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> json.readTree(bytes))
                .isInstanceOf(com.fasterxml.jackson.core.JsonParseException.class)
                .hasMessageContaining("surrogate");
    }

    @Test
    void keysThatBecomeEqualOnceRepairedKeepOneEntryInTheFirstOnesPlace() {
        ErrorEvent e = tree.map(json.valueToTree(Map.of("message", "m")), "1", RECEIVED, "native", ID);
        java.util.LinkedHashMap<String, String> tags = new java.util.LinkedHashMap<>();
        tags.put("a\u0000", "first");
        tags.put("b", "b");
        tags.put("a\uD800", "second");
        e.setTags(tags);
        assertThat(new ArrayList<>(StorableText.clean(e).getTags().entrySet()))
                .containsExactly(Map.entry("a\uFFFD", "second"), Map.entry("b", "b"));
    }

    /** The timestamp as sent, and whether it must give way to the receive time. */
    private static final Object[][] TIMESTAMPS = {
        {"\"2026-11-30T12:00:00Z\"", "future_timestamp"}, // 2 h ahead
        {"1796040000", "future_timestamp"},
        {"-1", "past_timestamp"},
        {"0", "past_timestamp"},
        {"\"-999999999-01-01T00:00:00Z\"", "past_timestamp"},
        {"\"+999999999-12-31T23:59:59Z\"", "future_timestamp"},
        {"1e300", "future_timestamp"},
        {"-1e300", "past_timestamp"},
        {"\"1e300\"", null}, // not epoch seconds nor RFC 3339: refused
        {"\"99999999999999999999999999999999999\"", "future_timestamp"},
        {"\"-99999999999999999999.5\"", "past_timestamp"},
        {"12345678901234567890123456789", "future_timestamp"},
        {"\"2026-11-30T10:00:30Z\"", "kept"}, // 30 s ahead: within the skew
        {"\"2026-11-01T10:00:00Z\"", "kept"},
    };

    @Test
    void aTimestampOutOfRangeIsReplacedByTheReceiveTimeAndTheOriginalKeptOnBothPaths() throws Exception {
        for (Object[] c : TIMESTAMPS) {
            String sent = (String) c[0];
            String problem = (String) c[1];
            byte[] bytes = ("{\"event_id\":\"" + ID + "\",\"timestamp\":" + sent
                            + ",\"contexts\":{\"os\":{\"name\":\"Linux\"}},\"message\":\"m\"}")
                    .getBytes(StandardCharsets.UTF_8);
            ErrorEvent streamed = fast.map(bytes, 0, bytes.length, "1", RECEIVED, "native", null);
            ErrorEvent expected;
            try {
                expected = scrubber.scrub(tree.map(json.readTree(bytes), "1", RECEIVED, "native", null));
            } catch (IngestProblem refused) {
                assertThat(problem).as(sent).isNull();
                assertThat(refused.errors())
                        .as(sent)
                        .extracting(IngestProblem.FieldError::field)
                        .containsExactly("timestamp");
                assertThat(streamed).as(sent).isNull();
                continue;
            }
            assertThat(problem).as(sent).isNotNull();
            assertThat(streamed).as(sent).isNotNull();
            assertThat(hex(avro.serialize("t", streamed))).as(sent).isEqualTo(hex(avro.serialize("t", expected)));
            if (problem.equals("kept")) {
                assertThat(expected.getTimestamp()).as(sent).isNotEqualTo(RECEIVED);
                assertThat(expected.getContexts()).as(sent).containsOnlyKeys("os");
                continue;
            }
            assertThat(expected.getTimestamp()).as(sent).isEqualTo(RECEIVED);
            JsonNode context = json.readTree(expected.getContexts().get(SentryEventMapper.INGEST_CONTEXT));
            assertThat(context.path("errors").get(0).path("type").asText())
                    .as(sent)
                    .isEqualTo(problem);
            assertThat(context.path("errors").get(0).path("name").asText())
                    .as(sent)
                    .isEqualTo("timestamp");
            assertThat(context.path("errors").get(0).path("value")).as(sent).isEqualTo(json.readTree(sent));
            assertThat(expected.getContexts()).as(sent).containsKey("os");
        }
    }

    @Test
    void aBreadcrumbTimeBeyondWhatMillisecondsHoldIsDroppedNotA500() throws Exception {
        for (String ts : new String[] {
            "\"-999999999-01-01T00:00:00Z\"", "\"+999999999-12-31T23:59:59Z\"", "1e300", "-1e300", "\"-1\""
        }) {
            byte[] bytes = ("{\"event_id\":\"" + ID + "\",\"message\":\"m\",\"breadcrumbs\":[{\"timestamp\":" + ts
                            + ",\"message\":\"crumb\"},{\"timestamp\":\"2026-11-30T09:59:00Z\"}]}")
                    .getBytes(StandardCharsets.UTF_8);
            ErrorEvent streamed = fast.map(bytes, 0, bytes.length, "1", RECEIVED, "native", null);
            ErrorEvent expected = scrubber.scrub(tree.map(json.readTree(bytes), "1", RECEIVED, "native", null));
            byte[] stored = avro.serialize("t", expected);
            assertThat(streamed).as(ts).isNotNull();
            assertThat(hex(avro.serialize("t", streamed))).as(ts).isEqualTo(hex(stored));
            assertThat(expected.getBreadcrumbs()).hasSize(2);
            assertThat(expected.getBreadcrumbs().get(1).getTimestamp())
                    .isEqualTo(Instant.parse("2026-11-30T09:59:00Z"));
        }
    }

    static boolean storableInPostgres(String s) {
        return s.indexOf('\u0000') < 0 && StorableText.storable(s);
    }

    /** Every string of a record, map keys included, found through its schema. */
    static List<String> strings(Object value) {
        List<String> out = new ArrayList<>();
        collect(value, out);
        return out;
    }

    private static void collect(Object value, List<String> out) {
        if (value instanceof CharSequence s) {
            out.add(s.toString());
        } else if (value instanceof GenericRecord r) {
            r.getSchema().getFields().forEach(f -> collect(r.get(f.pos()), out));
        } else if (value instanceof Map<?, ?> m) {
            m.forEach((k, v) -> {
                collect(k, out);
                collect(v, out);
            });
        } else if (value instanceof Iterable<?> list) {
            list.forEach(v -> collect(v, out));
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
