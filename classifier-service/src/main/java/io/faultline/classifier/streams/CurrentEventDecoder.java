package io.faultline.classifier.streams;

import io.faultline.schemas.ErrorEvent;
import io.faultline.schemas.serde.AvroSerde;
import io.faultline.schemas.serde.SchemaDecodeException;
import java.io.IOException;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;

/**
 * Decodes the analyze stage's events. Bytes of the current schema are read straight from the
 * record's array (the topic serde reads them through a stream, which cost more than the fields),
 * and the decoder says whether the body ended exactly where the bytes do: only then can the
 * classified record embed those bytes as they are ({@link ClassifiedErrorSerializer}). Avro
 * ignores bytes after a value, so without the check a record with trailing bytes would carry
 * them into the middle of the classified record. Anything else goes through the topic serde.
 * One instance per stream task: it reuses its decoder.
 */
final class CurrentEventDecoder {

    /** The decoded event, and whether its bytes are exactly one current-schema event. */
    record Decoded(ErrorEvent event, boolean bytesReusable) {}

    private final AvroSerde<ErrorEvent> serde;
    private final SpecificDatumReader<ErrorEvent> reader;
    private BinaryDecoder decoder;

    CurrentEventDecoder(AvroSerde<ErrorEvent> serde) {
        this.serde = serde;
        // the same model as the serde's: bound to the generated class's loader, with its conversions
        SpecificData model = new SpecificData(ErrorEvent.class.getClassLoader());
        SpecificData.getForClass(ErrorEvent.class).getConversions().forEach(model::addLogicalTypeConversion);
        this.reader = new SpecificDatumReader<>(ErrorEvent.getClassSchema(), ErrorEvent.getClassSchema(), model);
    }

    /** @throws SchemaDecodeException as the topic serde would, for bytes that are not an event */
    Decoded decode(byte[] bytes) {
        if (!EventWireFormat.isCurrentEvent(bytes)) {
            return new Decoded(serde.decode(bytes), false);
        }
        try {
            decoder = DecoderFactory.get()
                    .binaryDecoder(
                            bytes,
                            EventWireFormat.HEADER_LENGTH,
                            bytes.length - EventWireFormat.HEADER_LENGTH,
                            decoder);
            ErrorEvent event = reader.read(null, decoder);
            return new Decoded(event, decoder.isEnd());
        } catch (IOException | RuntimeException e) {
            throw new SchemaDecodeException(
                    SchemaDecodeException.Reason.CORRUPT_BODY, "ErrorEvent", String.valueOf(e.getMessage()), e);
        }
    }
}
