package io.faultline.schemas.serde;

import io.faultline.schemas.ClassifiedError;
import io.faultline.schemas.ErrorEvent;
import java.io.IOException;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.Encoder;

/**
 * A hand-written Avro binary body for one record type, producing exactly the bytes Avro's own
 * writer produces (see {@link ErrorEventCodec} for why). {@link AvroSerde} uses one only for the
 * schema version it was written for.
 */
interface BodyCodec<T> {

    void write(T value, Encoder out) throws IOException;

    T read(BinaryDecoder in) throws IOException;

    /** The codec for {@code type} if there is one written for {@code current}, else null. */
    @SuppressWarnings("unchecked")
    static <T> BodyCodec<T> forType(Class<T> type, Schema current) {
        if (type == ErrorEvent.class && ErrorEventCodec.writes(current)) {
            return (BodyCodec<T>) ErrorEventCodec.BODY;
        }
        if (type == ClassifiedError.class && ClassifiedErrorCodec.writes(current)) {
            return (BodyCodec<T>) ClassifiedErrorCodec.BODY;
        }
        return null;
    }
}
