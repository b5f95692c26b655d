package io.faultline.ingest.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A parsed Sentry envelope: the envelope header and its items, payloads still raw bytes.
 *
 * @see EnvelopeParser
 */
public record Envelope(JsonNode header, List<Item> items) {

    public Envelope {
        items = List.copyOf(items);
    }

    /** The {@code event_id} of the envelope header, or null. */
    public String eventId() {
        JsonNode id = header.get("event_id");
        return id != null && id.isTextual() ? id.asText() : null;
    }

    /** The {@code dsn} of the envelope header, or null. */
    public String dsn() {
        JsonNode dsn = header.get("dsn");
        return dsn != null && dsn.isTextual() ? dsn.asText() : null;
    }

    /** One item: its header (with at least {@code type}) and its payload. */
    public record Item(String type, JsonNode header, byte[] payload) {}
}
