package io.faultline.schemas.serde;

import io.faultline.schemas.ClassifiedError;
import io.faultline.schemas.ErrorEvent;
import java.io.IOException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.Encoder;

/**
 * A hand-written Avro binary body for one record type, producing exactly the bytes Avro's own
 * writer produces (see {@link ErrorEventCodec} for why), for the one schema version it was
 * written for, named by that schema's parsing fingerprint. {@link AvroSerde} uses it only while
 * the current schema has that fingerprint.
 */
record BodyCodec<T>(long writtenFor, Writer<T> writer, Reader<T> reader) {

    /** Writes one value (a record, a list item) to an encoder. */
    @FunctionalInterface
    interface Writer<T> {
        void write(T value, Encoder out) throws IOException;
    }

    /** Reads one value (a record, a list item) from a decoder. */
    @FunctionalInterface
    interface Reader<T> {
        T read(BinaryDecoder in) throws IOException;
    }

    void write(T value, Encoder out) throws IOException {
        writer.write(value, out);
    }

    T read(BinaryDecoder in) throws IOException {
        return reader.read(in);
    }

    /** Whether this codec was written for {@code schema}. */
    boolean writes(Schema schema) {
        return SchemaNormalization.parsingFingerprint64(schema) == writtenFor;
    }

    /** The codec for {@code type} if there is one written for {@code current}, else null. */
    @SuppressWarnings("unchecked")
    static <T> BodyCodec<T> forType(Class<T> type, Schema current) {
        BodyCodec<?> codec = type == ErrorEvent.class
                ? ErrorEventCodec.BODY
                : type == ClassifiedError.class ? ClassifiedErrorCodec.BODY : null;
        return codec != null && codec.writes(current) ? (BodyCodec<T>) codec : null;
    }
}
