package io.faultline.classifier.streams;

import io.faultline.schemas.ErrorEvent;
import io.faultline.schemas.serde.AvroSerde;
import java.nio.charset.StandardCharsets;

/**
 * What the classifier reads from an event's encoded bytes without decoding the whole event. The
 * events arrive in Avro's single-object encoding (two magic bytes, the writer schema's 8-byte
 * fingerprint, the binary body); when the writer schema is the current {@link ErrorEvent} schema,
 * the body's field order is known: the project id is its second field, and the body can be copied
 * as it is into a record that embeds the event. Bytes of an older schema (or of none) answer
 * "unknown" here, and the caller decodes them in full.
 */
final class EventWireFormat {

    private static final AvroSerde<ErrorEvent> EVENTS = AvroSerde.of(ErrorEvent.class);

    private EventWireFormat() {}

    /**
     * The project id of an event written with the current schema, read past the event id; {@code
     * null} when the bytes are of another schema or too short to hold it. The rest of the body is
     * not checked here: whoever decodes the event in full still rejects a corrupt one.
     */
    static String projectIdOrNull(byte[] bytes) {
        if (!EVENTS.writtenWithCurrentSchema(bytes)) {
            return null;
        }
        int[] at = {AvroSerde.headerLength()};
        int eventIdLength = stringLength(bytes, at);
        if (eventIdLength < 0) {
            return null;
        }
        at[0] += eventIdLength;
        int projectIdLength = stringLength(bytes, at);
        return projectIdLength < 0 ? null : new String(bytes, at[0], projectIdLength, StandardCharsets.UTF_8);
    }

    /**
     * Reads the length of an Avro string (a zig-zag varint) at {@code at[0]} and moves past it;
     * -1 if the length is malformed or the string would run past the end of {@code bytes}.
     */
    private static int stringLength(byte[] bytes, int[] at) {
        long raw = 0;
        int shift = 0;
        int i = at[0];
        while (true) {
            if (i >= bytes.length || shift > 28) {
                return -1;
            }
            int b = bytes[i++] & 0xFF;
            raw |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                break;
            }
            shift += 7;
        }
        long length = (raw >>> 1) ^ -(raw & 1);
        if (length < 0 || length > bytes.length - i) {
            return -1;
        }
        at[0] = i;
        return (int) length;
    }
}
