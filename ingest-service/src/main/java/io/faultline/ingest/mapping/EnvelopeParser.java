package io.faultline.ingest.mapping;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.faultline.ingest.service.JsonRefusal;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Parses Sentry's envelope format (develop.sentry.dev, "Envelopes"):
 *
 * <pre>
 * Envelope = Headers { "\n" Item } [ "\n" ] ;
 * Item     = Headers "\n" Payload ;
 * </pre>
 *
 * Headers are single-line JSON objects. An item whose header has {@code length} has exactly that
 * many payload bytes (which may contain newlines); without it the payload runs to the next
 * newline or the end of the body. The parser neither authorises nor limits sizes beyond refusing
 * a body it cannot frame; it tells its caller what each item it keeps will hold in memory.
 */
public final class EnvelopeParser {

    /** An envelope that cannot be framed; the message says where and why. */
    public static final class MalformedEnvelope extends Exception {
        public MalformedEnvelope(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * What an item holds beside its payload: its parsed header (a small JSON tree), the item and
     * its place in the list. Tens of thousands of tiny items in one envelope would otherwise hold
     * far more memory than their bytes on the wire.
     */
    public static final int ITEM_OVERHEAD_BYTES = 512;

    private final ObjectMapper json;

    public EnvelopeParser(ObjectMapper json) {
        this.json = json;
    }

    public Envelope parse(byte[] body) throws MalformedEnvelope {
        return parse(body, bytes -> {});
    }

    /**
     * @param charge told, before an item is kept, how many bytes it will hold (its payload copy
     *     plus {@link #ITEM_OVERHEAD_BYTES}); may throw to stop parsing
     */
    public Envelope parse(byte[] body, LongConsumer charge) throws MalformedEnvelope {
        if (body == null || body.length == 0) {
            throw new MalformedEnvelope("empty envelope: expected a header line");
        }
        int pos = 0;
        int end = lineEnd(body, pos);
        JsonNode header = headerAt(body, pos, end, "envelope header");
        pos = Math.min(end + 1, body.length);
        List<Envelope.Item> items = new ArrayList<>();
        while (pos < body.length) {
            end = lineEnd(body, pos);
            if (end == pos) {
                pos++; // blank lines between items and a trailing newline carry nothing
                continue;
            }
            int headerStart = pos;
            String where = "item " + (items.size() + 1) + " header";
            JsonNode itemHeader = headerAt(body, pos, end, where);
            JsonNode typeNode = itemHeader.get("type");
            if (typeNode == null || !typeNode.isTextual() || typeNode.asText().isEmpty()) {
                throw new MalformedEnvelope(where + " has no type");
            }
            int headerLength = end - headerStart;
            pos = Math.min(end + 1, body.length);
            byte[] payload;
            JsonNode length = itemHeader.get("length");
            if (length != null && !length.isNull()) {
                if (!length.canConvertToLong() || !length.isIntegralNumber() || length.asLong() < 0) {
                    throw new MalformedEnvelope(where + ": length must be a non-negative integer");
                }
                long n = length.asLong();
                if (n > body.length - pos) {
                    throw new MalformedEnvelope("item " + (items.size() + 1) + " is truncated: length " + n + " but "
                            + Math.max(0, body.length - pos) + " bytes left");
                }
                payload = Arrays.copyOfRange(body, pos, pos + (int) n);
                pos += (int) n;
                if (pos < body.length) {
                    if (body[pos] != '\n') {
                        throw new MalformedEnvelope("item " + (items.size() + 1) + ": expected a newline after " + n
                                + " payload bytes (wrong length?)");
                    }
                    pos++;
                }
            } else if (end >= body.length) {
                payload = new byte[0]; // header at the very end: an empty implicit-length payload
                pos = body.length;
            } else {
                int payloadEnd = lineEnd(body, pos);
                payload = Arrays.copyOfRange(body, pos, payloadEnd);
                pos = payloadEnd + 1;
            }
            // the header tree holds about as much as its line, on top of the fixed overhead
            charge.accept(ITEM_OVERHEAD_BYTES + (long) headerLength + payload.length);
            items.add(new Envelope.Item(typeNode.asText(), itemHeader, payload));
        }
        return new Envelope(header, items);
    }

    private JsonNode headerAt(byte[] body, int from, int to, String where) throws MalformedEnvelope {
        int len = to - from;
        if (len > 0 && body[to - 1] == '\r') {
            len--; // tolerate CRLF framing from hand-written clients
        }
        JsonNode node;
        try {
            node = json.readTree(body, from, len);
        } catch (JsonProcessingException e) {
            throw new MalformedEnvelope(where + " is not valid JSON: " + JsonRefusal.reason(e));
        } catch (IOException e) {
            throw new MalformedEnvelope(where + " is unreadable: " + e.getMessage());
        }
        if (node == null || !node.isObject()) {
            throw new MalformedEnvelope(where + " must be a JSON object");
        }
        return node;
    }

    private static int lineEnd(byte[] body, int from) {
        for (int i = from; i < body.length; i++) {
            if (body[i] == '\n') {
                return i;
            }
        }
        return body.length;
    }
}
