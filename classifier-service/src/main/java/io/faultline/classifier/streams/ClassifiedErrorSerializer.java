package io.faultline.classifier.streams;

import io.faultline.schemas.ClassifiedError;
import io.faultline.schemas.GroupingInfo;
import io.faultline.schemas.serde.AvroSerde;
import io.faultline.schemas.serde.ClassifiedErrorBytes;
import io.faultline.schemas.topics.Topics;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes a classified error in the topic serde's encoding, but around the bytes its event arrived
 * as when those are exactly one current-schema event ({@link ClassifiedErrorBytes}): the event is
 * the record's first field, and copying its body saves encoding its exceptions, frames, tags and
 * breadcrumbs once more for every event. Anything else is encoded whole. Readers see the same
 * values either way. A classified record is its event and more: one for an event near the size
 * limit would be refused by the broker, failing the whole transaction, so it is refused here and
 * the stream's production handler dead-letters the event ({@link DeadLetterProductionHandler}).
 */
final class ClassifiedErrorSerializer implements Serializer<AnalyzedEvent> {

    @SuppressWarnings("unchecked")
    private final AvroSerde<ClassifiedError> whole = (AvroSerde<ClassifiedError>) Topics.ERRORS_CLASSIFIED.valueSerde();

    @Override
    public byte[] serialize(String topic, AnalyzedEvent analyzed) {
        if (analyzed == null) {
            return null;
        }
        byte[] bytes = encode(topic, analyzed.eventBytes(), analyzed.classified());
        if (bytes.length > DeadLetters.MAX_VALUE_BYTES) {
            // a message near the size limit makes a template as long as itself: the record keeps a
            // bounded template and components (the group id was computed from the whole ones)
            bytes = encode(topic, analyzed.eventBytes(), bounded(analyzed.classified()));
        }
        if (bytes.length > DeadLetters.MAX_VALUE_BYTES) {
            throw new RecordTooLargeException("classified record of " + bytes.length
                    + " bytes is too large for the topic (at most " + DeadLetters.MAX_VALUE_BYTES + ")");
        }
        return bytes;
    }

    private byte[] encode(String topic, byte[] eventBytes, ClassifiedError classified) {
        return eventBytes == null
                ? whole.serialize(topic, classified)
                : ClassifiedErrorBytes.around(eventBytes, classified);
    }

    /** Longest template, culprit and grouping component kept on an oversized record. */
    static final int BOUNDED_TEXT = 1024;

    /** Most grouping components kept on an oversized record. */
    static final int BOUNDED_COMPONENTS = 32;

    /**
     * A copy with a bounded template, culprit and components, made with the constructors rather
     * than Avro builders: a builder deep-copies the whole event through Avro's reflection, which
     * also failed under Quarkus' class loaders (PoisonRecordTest).
     */
    static ClassifiedError bounded(ClassifiedError classified) {
        GroupingInfo grouping = classified.getGrouping();
        GroupingInfo cut = new GroupingInfo(
                grouping.getStrategy(),
                grouping.getComponents().stream()
                        .limit(BOUNDED_COMPONENTS)
                        .map(ClassifiedErrorSerializer::cut)
                        .toList(),
                cut(grouping.getTemplate()),
                grouping.getTitle(),
                cut(grouping.getCulprit()));
        return new ClassifiedError(
                classified.getEvent(),
                classified.getGroupId(),
                cut,
                classified.getClassification(),
                classified.getClassifiedAt());
    }

    private static String cut(String text) {
        return text == null || text.length() <= BOUNDED_TEXT ? text : text.substring(0, BOUNDED_TEXT - 1) + "…";
    }
}
