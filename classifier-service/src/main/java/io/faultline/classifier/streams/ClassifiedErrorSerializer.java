package io.faultline.classifier.streams;

import io.faultline.schemas.Classification;
import io.faultline.schemas.ClassifiedError;
import io.faultline.schemas.GroupingInfo;
import io.faultline.schemas.serde.AvroSerde;
import io.faultline.schemas.topics.Topics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.Encoder;
import org.apache.avro.io.EncoderFactory;
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
            write(classified.getGrouping(), encoder);
            write(classified.getClassification(), encoder);
            encoder.writeLong(classified.getClassifiedAt().toEpochMilli());
            encoder.flush();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot encode ClassifiedError for " + topic, e);
        }
        return out.toByteArray();
    }

    /*
     * The two small records the classifier adds, written field by field in schema order: Avro's
     * generic datum writer spent more on resolving them than on the bytes. The serializer's test
     * compares the result with the topic serde's, byte for byte, so a schema change shows there.
     */

    private static void write(GroupingInfo grouping, Encoder out) throws IOException {
        out.writeString(grouping.getStrategy());
        writeStrings(grouping.getComponents(), out);
        writeOptional(grouping.getTemplate(), out);
        out.writeString(grouping.getTitle());
        writeOptional(grouping.getCulprit(), out);
    }

    private static void write(Classification classification, Encoder out) throws IOException {
        out.writeString(classification.getSeverity());
        out.writeString(classification.getCategory());
        out.writeString(classification.getBusinessImpact());
        writeOptional(classification.getWorkflow(), out);
        writeStrings(classification.getRules(), out);
    }

    /** A {@code ["null", "string"]} union. */
    private static void writeOptional(String value, Encoder out) throws IOException {
        if (value == null) {
            out.writeIndex(0);
            out.writeNull();
        } else {
            out.writeIndex(1);
            out.writeString(value);
        }
    }

    private static void writeStrings(List<String> values, Encoder out) throws IOException {
        out.writeArrayStart();
        out.setItemCount(values.size());
        for (String value : values) {
            out.startItem();
            out.writeString(value);
        }
        out.writeArrayEnd();
    }
}
