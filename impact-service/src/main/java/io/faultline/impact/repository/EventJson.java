package io.faultline.impact.repository;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.faultline.schemas.ErrorEvent;
import java.io.IOException;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;

/**
 * An event as JSON, walked along its Avro schema, so every field the schema gains reaches the API
 * without a mapping to keep in step. Field names are the schema's; timestamps are ISO-8601 text.
 * The maps whose values ingest kept as JSON text ({@code contexts}, {@code extra}) come out as the
 * JSON they hold.
 */
final class EventJson {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Set<String> JSON_TEXT_MAPS = Set.of("contexts", "extra");

    private EventJson() {}

    static ObjectNode of(ErrorEvent event, ObjectMapper json) {
        return (ObjectNode) value(event, event.getSchema(), null, json);
    }

    private static JsonNode value(Object v, Schema schema, String field, ObjectMapper json) {
        if (v == null) {
            return NODES.nullNode();
        }
        switch (schema.getType()) {
            case UNION:
                for (Schema branch : schema.getTypes()) {
                    if (branch.getType() != Schema.Type.NULL) {
                        return value(v, branch, field, json);
                    }
                }
                return NODES.nullNode();
            case RECORD:
                IndexedRecord record = (IndexedRecord) v;
                ObjectNode object = NODES.objectNode();
                for (Schema.Field f : schema.getFields()) {
                    object.set(f.name(), value(record.get(f.pos()), f.schema(), f.name(), json));
                }
                return object;
            case ARRAY:
                ArrayNode array = NODES.arrayNode();
                for (Object item : (Collection<?>) v) {
                    array.add(value(item, schema.getElementType(), null, json));
                }
                return array;
            case MAP:
                ObjectNode map = NODES.objectNode();
                for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                    String text = String.valueOf(e.getValue());
                    map.set(
                            e.getKey().toString(),
                            JSON_TEXT_MAPS.contains(field) ? parsed(text, json) : NODES.textNode(text));
                }
                return map;
            case BOOLEAN:
                return NODES.booleanNode((Boolean) v);
            case INT:
                return NODES.numberNode((Integer) v);
            case LONG:
                return v instanceof Instant at ? NODES.textNode(at.toString()) : NODES.numberNode((Long) v);
            case FLOAT:
            case DOUBLE:
                return NODES.numberNode(((Number) v).doubleValue());
            default:
                return v instanceof Instant at ? NODES.textNode(at.toString()) : NODES.textNode(v.toString());
        }
    }

    /** JSON text as its JSON; text that is not JSON (an older SDK's plain string) stays text. */
    private static JsonNode parsed(String text, ObjectMapper json) {
        try {
            JsonNode node = json.readTree(text);
            return node == null || node.isMissingNode() ? NODES.textNode(text) : node;
        } catch (IOException e) {
            return NODES.textNode(text);
        }
    }
}
