package io.faultline.classifier.streams;

import io.faultline.schemas.Classification;
import io.faultline.schemas.ClassifiedError;
import io.faultline.schemas.GroupingInfo;
import io.faultline.schemas.serde.AvroSerde;
import io.faultline.schemas.topics.Topics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes a classified error in the same single-object encoding as the topic's serde, but around
 * the bytes its event arrived as. The event is the record's first field, so the classified
 * record's body is the event's body followed by the fields the classifier added; copying the
 * body saves encoding the event (its exceptions, frames, tags, breadcrumbs) once more for every
 * event. Only bytes written with the current event schema are copied; anything else (an older
 * schema resolved on decode) is encoded whole. Readers see the same values either way.
 */
final class ClassifiedErrorSerializer implements Serializer<AnalyzedEvent> {

    private static final byte[] CLASSIFIED_HEADER = EventWireFormat.header(ClassifiedError.getClassSchema());

    @SuppressWarnings("unchecked")
    private final AvroSerde<ClassifiedError> whole = (AvroSerde<ClassifiedError>) Topics.ERRORS_CLASSIFIED.valueSerde();

    private final SpecificDatumWriter<GroupingInfo> grouping;
    private final SpecificDatumWriter<Classification> classification;

    ClassifiedErrorSerializer() {
        SpecificData model = new SpecificData(ClassifiedError.class.getClassLoader());
        this.grouping = new SpecificDatumWriter<>(GroupingInfo.getClassSchema(), model);
        this.classification = new SpecificDatumWriter<>(Classification.getClassSchema(), model);
    }

    @Override
    public byte[] serialize(String topic, AnalyzedEvent analyzed) {
        if (analyzed == null) {
            return null;
        }
        byte[] event = analyzed.eventBytes();
        ClassifiedError classified = analyzed.classified();
        if (!EventWireFormat.isCurrentEvent(event)) {
            return whole.serialize(topic, classified);
        }
        int bodyLength = event.length - EventWireFormat.HEADER_LENGTH;
        ByteArrayOutputStream out = new ByteArrayOutputStream(CLASSIFIED_HEADER.length + bodyLength + 256);
        out.write(CLASSIFIED_HEADER, 0, CLASSIFIED_HEADER.length);
        out.write(event, EventWireFormat.HEADER_LENGTH, bodyLength);
        try {
            // shared by every stream thread's sink: no encoder is reused across calls
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            encoder.writeString(classified.getGroupId());
            grouping.write(classified.getGrouping(), encoder);
            classification.write(classified.getClassification(), encoder);
            encoder.writeLong(classified.getClassifiedAt().toEpochMilli());
            encoder.flush();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot encode ClassifiedError for " + topic, e);
        }
        return out.toByteArray();
    }
}
