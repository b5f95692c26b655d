package io.faultline.classifier.streams;

import io.faultline.schemas.ErrorEvent;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;

/**
 * What the classifier reads from an event's encoded bytes without decoding the whole event. The
 * events arrive in Avro's single-object encoding (two magic bytes, the writer schema's 8-byte
 * fingerprint, the binary body); when the writer schema is the current {@link ErrorEvent} schema,
 * the body's field order is known: the project id is its second field, and the body can be copied
 * as it is into a record that embeds the event. Bytes of an older schema (or of none) answer
 * "unknown" here, and the caller decodes them in full.
 */
final class EventWireFormat {

    /** Magic bytes and fingerprint: the length of the single-object header. */
    static final int HEADER_LENGTH = 10;

    private static final byte[] CURRENT_EVENT_HEADER = header(ErrorEvent.getClassSchema());

    private EventWireFormat() {}

    /** The single-object header of a value written with {@code schema}. */
    static byte[] header(Schema schema) {
        long fingerprint = SchemaNormalization.parsingFingerprint64(schema);
        byte[] header = new byte[HEADER_LENGTH];
        header[0] = (byte) 0xC3;
        header[1] = (byte) 0x01;
        for (int i = 0; i < 8; i++) {
            header[2 + i] = (byte) (fingerprint >>> (8 * i)); // little-endian, as Avro writes it
        }
        return header;
    }

    /** Whether {@code bytes} hold an event written with the current schema. */
    static boolean isCurrentEvent(byte[] bytes) {
        return bytes != null
                && bytes.length > HEADER_LENGTH
                && Arrays.equals(bytes, 0, HEADER_LENGTH, CURRENT_EVENT_HEADER, 0, HEADER_LENGTH);
    }

    /**
     * The project id of an event written with the current schema, read past the event id; {@code
     * null} when the bytes are of another schema or too short to hold it. The rest of the body is
     * not checked here: whoever decodes the event in full still rejects a corrupt one.
     */
    static String projectIdOrNull(byte[] bytes) {
        if (!isCurrentEvent(bytes)) {
            return null;
        }
        int[] at = {HEADER_LENGTH};
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
