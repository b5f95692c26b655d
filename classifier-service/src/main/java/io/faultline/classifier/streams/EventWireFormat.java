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
     * A 64-bit hash of an event's identity, its event id and project id (the body's first two
     * fields, read as bytes), for an event written with the current schema; 0 when the bytes are of
     * another schema or too short (the caller then treats the event as new). FNV-1a over the bytes,
     * then a finaliser that spreads them over all 64 bits: two distinct ids collide with a
     * probability of about 2^-64.
     */
    static long identityHash(byte[] bytes) {
        if (!EVENTS.writtenWithCurrentSchema(bytes)) {
            return 0;
        }
        int from = AvroSerde.headerLength();
        int[] at = {from};
        int eventIdLength = stringLength(bytes, at);
        if (eventIdLength < 0) {
            return 0;
        }
        at[0] += eventIdLength;
        int projectIdLength = stringLength(bytes, at);
        if (projectIdLength < 0) {
            return 0;
        }
        int to = at[0] + projectIdLength;
        long h = 0xcbf29ce484222325L;
        for (int i = from; i < to; i++) {
            h ^= bytes[i] & 0xFF;
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h == 0 ? 1 : h;
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
