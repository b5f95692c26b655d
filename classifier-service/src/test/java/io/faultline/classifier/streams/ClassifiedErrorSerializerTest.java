package io.faultline.classifier.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.faultline.schemas.Classification;
import io.faultline.schemas.ClassifiedError;
import io.faultline.schemas.ErrorEvent;
import io.faultline.schemas.GroupingInfo;
import io.faultline.schemas.serde.AvroSerde;
import io.faultline.schemas.topics.Topics;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClassifiedErrorSerializerTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @SuppressWarnings("unchecked")
    private final AvroSerde<ErrorEvent> events = (AvroSerde<ErrorEvent>) Topics.EVENTS_RAW.valueSerde();

    @SuppressWarnings("unchecked")
    private final AvroSerde<ClassifiedError> classifiedSerde =
            (AvroSerde<ClassifiedError>) Topics.ERRORS_CLASSIFIED.valueSerde();

    private final ClassifiedErrorSerializer serializer = new ClassifiedErrorSerializer();

    static ClassifiedError classified(ErrorEvent event) {
        return ClassifiedError.newBuilder()
                .setEvent(event)
                .setGroupId("g-1")
                .setGrouping(GroupingInfo.newBuilder()
                        .setStrategy("exception-stack")
                        .setComponents(List.of("type=java.sql.SQLException", "frame=com.example.BookingService.book"))
                        .setTemplate(null)
                        .setTitle("SQLException: connection refused")
                        .setCulprit("com.example.BookingService.book")
                        .build())
                .setClassification(Classification.newBuilder()
                        .setSeverity("high")
                        .setCategory("database")
                        .setBusinessImpact("revenue")
                        .setWorkflow("booking")
                        .setRules(List.of("db-errors"))
                        .build())
                .setClassifiedAt(T0.plusSeconds(1))
                .build();
    }

    @Test
    void writesAroundTheEventsBytesWhatTheTopicsSerdeReadsBackAsTheSameRecord() {
        ErrorEvent event = ClassifierTopologyTest.sqlError("a".repeat(32), 42, T0);
        byte[] eventBytes = events.serialize("raw", event);
        ClassifiedError expected = classified(events.decode(eventBytes));

        byte[] written = serializer.serialize("classified", new AnalyzedEvent(expected, eventBytes));

        assertThat(classifiedSerde.decode(written)).isEqualTo(expected);
        assertThat(written).isEqualTo(classifiedSerde.serialize("classified", expected));
    }

    @Test
    void writesAbsentOptionalLabelsAndEmptyListsAsTheSerdeDoes() {
        ErrorEvent event = ClassifierTopologyTest.sqlError("d".repeat(32), 3, T0);
        byte[] eventBytes = events.serialize("raw", event);
        ClassifiedError sparse = ClassifiedError.newBuilder(classified(events.decode(eventBytes)))
                .setGrouping(GroupingInfo.newBuilder()
                        .setStrategy("message-template")
                        .setComponents(List.of())
                        .setTemplate("timeout after <*> ms")
                        .setTitle("timeout")
                        .setCulprit(null)
                        .build())
                .setClassification(Classification.newBuilder()
                        .setSeverity("info")
                        .setCategory("unknown")
                        .setBusinessImpact("none")
                        .setWorkflow(null)
                        .setRules(List.of())
                        .build())
                .build();

        byte[] written = serializer.serialize("classified", new AnalyzedEvent(sparse, eventBytes));

        assertThat(written).isEqualTo(classifiedSerde.serialize("classified", sparse));
    }

    @Test
    void encodesTheWholeRecordWhenTheEventsBytesAreNotOfTheCurrentSchema() {
        ErrorEvent event = ClassifierTopologyTest.sqlError("b".repeat(32), 7, T0);
        ClassifiedError expected = classified(event);
        byte[] notCurrent = events.serialize("raw", event);
        notCurrent[5] ^= 0x5A; // another writer fingerprint: the body's layout is not known

        byte[] written = serializer.serialize("classified", new AnalyzedEvent(expected, notCurrent));

        assertThat(classifiedSerde.decode(written)).isEqualTo(expected);
    }

    /**
     * Ingest accepts raw events up to {@link Topics#MAX_RAW_EVENT_BYTES}: each must still make a
     * classified record, even when its message makes a template as long as itself. Before, such
     * an event was answered 202 by ingest and then dead-lettered here, cut and undecodable.
     */
    @Test
    void anEventAsLargeAsIngestAcceptsStillMakesAClassifiedRecordWithABoundedTemplate() {
        String message = "payment declined for order " + "x".repeat(Topics.MAX_RAW_EVENT_BYTES - 2_000);
        ErrorEvent event = ErrorEvent.newBuilder(ClassifierTopologyTest.sqlError("e".repeat(32), 9, T0))
                .setMessage(message)
                .build();
        byte[] eventBytes = events.serialize("raw", event);
        assertThat(eventBytes.length).isLessThanOrEqualTo(Topics.MAX_RAW_EVENT_BYTES);
        ClassifiedError classified = ClassifiedError.newBuilder(classified(events.decode(eventBytes)))
                .setGrouping(GroupingInfo.newBuilder()
                        .setStrategy("message-template")
                        .setComponents(List.of("template=" + message))
                        .setTemplate(message)
                        .setTitle("payment declined for order …")
                        .setCulprit(null)
                        .build())
                .build();

        byte[] written = serializer.serialize("classified", new AnalyzedEvent(classified, eventBytes));

        assertThat(written.length).isLessThanOrEqualTo(Topics.MAX_VALUE_BYTES);
        ClassifiedError read = classifiedSerde.decode(written);
        assertThat(read.getEvent().getMessage()).isEqualTo(message);
        assertThat(read.getGroupId()).isEqualTo(classified.getGroupId());
        assertThat(read.getGrouping().getTemplate()).hasSize(ClassifiedErrorSerializer.BOUNDED_TEXT);
        assertThat(read.getGrouping().getComponents().get(0)).hasSize(ClassifiedErrorSerializer.BOUNDED_TEXT);
    }

    @Test
    void readsTheProjectIdOfCurrentEventsAndNothingOfOtherBytes() {
        byte[] bytes = events.serialize("raw", ClassifierTopologyTest.sqlError("c".repeat(32), 1, T0));

        assertThat(EventWireFormat.projectIdOrNull(bytes)).isEqualTo("1");
        assertThat(EventWireFormat.projectIdOrNull(java.util.Arrays.copyOf(bytes, 20)))
                .as("truncated inside the event id")
                .isNull();
        assertThat(EventWireFormat.projectIdOrNull("not avro at all".getBytes()))
                .isNull();
        assertThat(EventWireFormat.projectIdOrNull(null)).isNull();
    }
}
