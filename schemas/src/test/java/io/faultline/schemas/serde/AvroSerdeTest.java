package io.faultline.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.faultline.schemas.ErrorEvent;
import io.faultline.schemas.ExceptionValue;
import io.faultline.schemas.StackFrame;
import io.faultline.schemas.topics.Topics;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {

    private final AvroSerde<ErrorEvent> serde = new Serdes.ErrorEventSerde();

    static ErrorEvent sampleEvent() {
        return ErrorEvent.newBuilder()
                .setEventId("0123456789abcdef0123456789abcdef")
                .setProjectId("1")
                .setTimestamp(Instant.parse("2026-11-30T10:15:30.123Z"))
                .setReceivedAt(Instant.parse("2026-11-30T10:15:31Z"))
                .setLevel("error")
                .setMessage("payment declined")
                .setTags(Map.of("workflow", "payment"))
                .setExceptions(List.of(ExceptionValue.newBuilder()
                        .setType("java.sql.SQLTransientConnectionException")
                        .setValue("Connection is not available, request timed out after 30000ms.")
                        .setFrames(List.of(StackFrame.newBuilder()
                                .setModule("com.example.BookingService")
                                .setFunction("book")
                                .setLineno(42)
                                .setInApp(true)
                                .build()))
                        .build()))
                .build();
    }

    @Test
    void roundTripKeepsEveryField() {
        ErrorEvent event = sampleEvent();
        byte[] bytes = serde.serialize(Topics.EVENTS_RAW.name(), event);

        assertThat(bytes[0]).isEqualTo((byte) 0xC3);
        assertThat(bytes[1]).isEqualTo((byte) 0x01);
        ErrorEvent back = serde.deserialize(Topics.EVENTS_RAW.name(), bytes);
        assertThat(back).isEqualTo(event);
        assertThat(back.getExceptions().get(0).getFrames().get(0).getLineno()).isEqualTo(42);
        assertThat(back.getTimestamp()).isEqualTo(Instant.parse("2026-11-30T10:15:30.123Z"));
    }

    @Test
    void nullIsATombstoneBothWays() {
        assertThat(serde.serialize("t", null)).isNull();
        assertThat(serde.deserialize("t", null)).isNull();
    }

    @Test
    void recordWrittenWithTheOlderSchemaIsReadByTheCurrentOne() throws Exception {
        Schema v1 = SchemaHistory.olderVersionsOf("ErrorEvent").get(0);
        GenericRecord old = new GenericData.Record(v1);
        old.put("eventId", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
        old.put("projectId", "7");
        old.put("timestamp", 1_700_000_000_000L);
        old.put("receivedAt", 1_700_000_000_500L);
        old.put("level", "warning");
        old.put("message", "disk almost full");
        old.put("exceptions", List.of());
        old.put("tags", Map.of("host", "db-1"));
        old.put("fingerprint", List.of("disk"));
        byte[] bytes = singleObject(v1, old);

        ErrorEvent read = serde.deserialize("t", bytes);

        assertThat(read.getEventId()).isEqualTo("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
        assertThat(read.getLevel()).isEqualTo("warning");
        assertThat(read.getTags()).containsEntry("host", "db-1");
        assertThat(read.getFingerprint()).containsExactly("disk");
        // fields added in v2 take their defaults
        assertThat(read.getSource()).isEqualTo("native");
        assertThat(read.getBreadcrumbs()).isEmpty();
        assertThat(read.getSdk()).isNull();
    }

    @Test
    void aVersion2RecordsBreadcrumbsReadWithNoData() throws Exception {
        Schema v2 = SchemaHistory.olderVersionsOf("ErrorEvent").get(1);
        GenericRecord crumb =
                new GenericData.Record(v2.getField("breadcrumbs").schema().getElementType());
        crumb.put("category", "http");
        crumb.put("message", "GET /slots");
        byte[] bytes = singleObject(v2, version2Event(v2, crumb));

        ErrorEvent read = serde.deserialize("t", bytes);

        assertThat(read.getBreadcrumbs()).singleElement().satisfies(b -> {
            assertThat(b.getMessage()).isEqualTo("GET /slots");
            assertThat(b.getData()).isEmpty();
        });
    }

    @Test
    void aClassifiedErrorHoldingAVersion2EventIsReadByTheCurrentOne() throws Exception {
        Schema classifiedV1 = SchemaHistory.olderVersionsOf("ClassifiedError").get(0);
        Schema v2 = classifiedV1.getField("event").schema();
        GenericRecord crumb =
                new GenericData.Record(v2.getField("breadcrumbs").schema().getElementType());
        crumb.put("message", "cart opened");
        var read = new Serdes.ClassifiedErrorSerde()
                .deserialize("t", singleObject(classifiedV1, classified(classifiedV1, version2Event(v2, crumb), "g1")));

        assertThat(read.getGroupId()).isEqualTo("g1");
        assertThat(read.getEvent().getBreadcrumbs()).singleElement().satisfies(b -> assertThat(b.getData())
                .isEmpty());
    }

    @Test
    void aVersion3RecordReadsWithNoDebugImages() throws Exception {
        Schema v3 = SchemaHistory.olderVersionsOf("ErrorEvent").get(2);
        GenericRecord crumb =
                new GenericData.Record(v3.getField("breadcrumbs").schema().getElementType());
        crumb.put("message", "GET /slots");
        crumb.put("data", Map.of("status_code", "500"));
        byte[] bytes = singleObject(v3, version2Event(v3, crumb));

        ErrorEvent read = serde.deserialize("t", bytes);

        assertThat(read.getBreadcrumbs()).singleElement().satisfies(b -> assertThat(b.getData())
                .containsEntry("status_code", "500"));
        assertThat(read.getDebugImages()).isEmpty();
    }

    @Test
    void aClassifiedErrorHoldingAVersion3EventIsReadByTheCurrentOne() throws Exception {
        Schema classifiedV2 = SchemaHistory.olderVersionsOf("ClassifiedError").get(1);
        Schema v3 = classifiedV2.getField("event").schema();
        GenericRecord crumb =
                new GenericData.Record(v3.getField("breadcrumbs").schema().getElementType());
        crumb.put("message", "cart opened");
        crumb.put("data", Map.of());
        var read = new Serdes.ClassifiedErrorSerde()
                .deserialize("t", singleObject(classifiedV2, classified(classifiedV2, version2Event(v3, crumb), "g3")));

        assertThat(read.getGroupId()).isEqualTo("g3");
        assertThat(read.getEvent().getDebugImages()).isEmpty();
    }

    /** An older ClassifiedError record holding {@code event}, its other fields filled in. */
    private static GenericRecord classified(Schema schema, GenericRecord event, String groupId) {
        GenericRecord classified = new GenericData.Record(schema);
        classified.put("event", event);
        classified.put("groupId", groupId);
        GenericRecord grouping =
                new GenericData.Record(schema.getField("grouping").schema());
        grouping.put("strategy", "message-template");
        grouping.put("components", List.of());
        grouping.put("title", "disk almost full");
        classified.put("grouping", grouping);
        GenericRecord classification =
                new GenericData.Record(schema.getField("classification").schema());
        classification.put("severity", "high");
        classification.put("category", "infrastructure");
        classification.put("businessImpact", "degraded");
        classification.put("rules", List.of());
        classified.put("classification", classification);
        classified.put("classifiedAt", 1_700_000_001_000L);
        return classified;
    }

    private static GenericRecord version2Event(Schema v2, GenericRecord crumb) {
        GenericRecord old = new GenericData.Record(v2);
        old.put("eventId", "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
        old.put("projectId", "7");
        old.put("timestamp", 1_700_000_000_000L);
        old.put("receivedAt", 1_700_000_000_500L);
        old.put("level", "error");
        old.put("exceptions", List.of());
        old.put("tags", Map.of());
        old.put("contexts", Map.of());
        old.put("extra", Map.of());
        old.put("fingerprint", List.of());
        old.put("breadcrumbs", List.of(crumb));
        old.put("source", "native");
        return old;
    }

    @Test
    void garbageBytesRaiseBadHeader() {
        assertThatThrownBy(() -> serde.deserialize("t", "{\"not\":\"avro\"}".getBytes()))
                .isInstanceOfSatisfying(SchemaDecodeException.class, e -> assertThat(e.reason())
                        .isEqualTo(SchemaDecodeException.Reason.BAD_HEADER));
        assertThatThrownBy(() -> serde.deserialize("t", new byte[] {1})).isInstanceOf(SchemaDecodeException.class);
    }

    @Test
    void unknownFingerprintRaisesUnknownSchema() {
        byte[] bytes = serde.serialize("t", sampleEvent());
        bytes[5] ^= 0x5A; // inside the 8-byte fingerprint
        assertThatThrownBy(() -> serde.deserialize("t", bytes))
                .isInstanceOfSatisfying(SchemaDecodeException.class, e -> assertThat(e.reason())
                        .isEqualTo(SchemaDecodeException.Reason.UNKNOWN_SCHEMA));
    }

    @Test
    void truncatedOrGarbledBodiesRaiseCorruptBodyNeverAnythingElse() {
        byte[] bytes = serde.serialize("t", sampleEvent());
        Random random = new Random(42);
        for (int i = 0; i < 2_000; i++) {
            byte[] broken = java.util.Arrays.copyOf(bytes, 10 + random.nextInt(bytes.length - 10));
            for (int j = 10; j < broken.length; j++) {
                if (random.nextInt(4) == 0) {
                    broken[j] = (byte) random.nextInt(256);
                }
            }
            try {
                serde.deserialize("t", broken);
            } catch (SchemaDecodeException e) {
                assertThat(e.reason()).isEqualTo(SchemaDecodeException.Reason.CORRUPT_BODY);
            }
        }
    }

    private static byte[] singleObject(Schema schema, GenericRecord record) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0xC3, 0x01});
        long fp = SchemaNormalization.parsingFingerprint64(schema);
        for (int i = 0; i < 8; i++) {
            out.write((int) (fp >>> (8 * i)) & 0xff); // little-endian, per the spec
        }
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
