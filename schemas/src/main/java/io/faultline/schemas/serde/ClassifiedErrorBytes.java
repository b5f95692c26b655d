package io.faultline.schemas.serde;

import io.faultline.schemas.ClassifiedError;
import io.faultline.schemas.ErrorEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.errors.SerializationException;

/**
 * A classified error's single-object bytes built around the bytes its event arrived as. The
 * event is the record's first field, so the body is the event's body followed by the fields the
 * classifier added: copying it saves encoding every exception, frame and tag once more. Readers
 * see exactly what the topic's serde would have written.
 */
public final class ClassifiedErrorBytes {

    private static final AvroSerde<ErrorEvent> EVENTS = AvroSerde.of(ErrorEvent.class);
    private static final AvroSerde<ClassifiedError> CLASSIFIED = AvroSerde.of(ClassifiedError.class);

    private ClassifiedErrorBytes() {}

    /**
     * @param eventRecord the event's single-object bytes as read from its topic, exactly one
     *     event ({@link AvroSerde#decodeWhole} says whether they are)
     * @param classified the classified error whose event those bytes hold
     * @return its single-object bytes; encoded whole when the event bytes were written with
     *     another schema version than the current one
     */
    public static byte[] around(byte[] eventRecord, ClassifiedError classified) {
        byte[] classifiedHeader = CLASSIFIED.codecHeader();
        if (classifiedHeader == null || EVENTS.codecHeader() == null || !EVENTS.writtenWithCurrentSchema(eventRecord)) {
            return CLASSIFIED.serialize(null, classified);
        }
        int header = AvroSerde.headerLength();
        int body = eventRecord.length - header;
        ByteArrayOutputStream out = new ByteArrayOutputStream(header + body + 256);
        out.write(classifiedHeader, 0, header);
        out.write(eventRecord, header, body);
        try {
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            ClassifiedErrorCodec.writeAfterEvent(classified, encoder);
            encoder.flush();
        } catch (IOException | AvroRuntimeException e) {
            throw new SerializationException("cannot encode ClassifiedError", e);
        }
        return out.toByteArray();
    }
}
