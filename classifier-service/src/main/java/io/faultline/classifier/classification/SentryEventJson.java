package io.faultline.classifier.classification;

import com.fasterxml.jackson.databind.JsonNode;
import io.faultline.schemas.ErrorEvent;
import io.faultline.schemas.ExceptionValue;
import io.faultline.schemas.LogEntry;
import io.faultline.schemas.Mechanism;
import io.faultline.schemas.RequestInfo;
import io.faultline.schemas.StackFrame;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one event in Sentry's JSON shape into the {@link ErrorEvent} classification sees, offline:
 * for {@code ./faultline classify} and the evaluation, which must classify exactly what the
 * running service would without a broker or the intake. Only the fields classification reads are
 * taken; the intake's mapper (ingest-service) stays the one that validates what SDKs send.
 *
 * <p>Accepts the variants SDKs send ({@code exception} as {@code {"values": [...]}} or a bare
 * list, {@code message} as a string or an object, tags as an object or a list of pairs) and the
 * flattened form of the labelled-events file ({@code exceptions} with {@code type}, {@code module},
 * {@code value}; {@code handled} beside them).
 */
public final class SentryEventJson {

    private static final Instant NO_TIME = Instant.EPOCH;

    private SentryEventJson() {}

    /** @throws IllegalArgumentException naming the field when the line is not an event object */
    public static ErrorEvent read(JsonNode json) {
        if (json == null || !json.isObject()) {
            throw new IllegalArgumentException("the event must be a JSON object");
        }
        String id = firstText(json, "event_id", "id");
        ErrorEvent.Builder event = ErrorEvent.newBuilder()
                .setEventId(id == null ? "" : id)
                .setProjectId("cli")
                .setTimestamp(NO_TIME)
                .setReceivedAt(NO_TIME)
                .setSource("cli")
                .setLevel(text(json, "level") == null ? "error" : text(json, "level"))
                .setPlatform(text(json, "platform"))
                .setLogger(text(json, "logger"))
                .setTransaction(text(json, "transaction"))
                .setTags(pairs(json.get("tags")))
                .setContexts(objects(json.get("contexts")))
                .setExceptions(exceptions(json));
        JsonNode message = json.get("message");
        if (message != null && message.isObject()) {
            event.setMessage(firstText(message, "formatted", "message"));
        } else {
            event.setMessage(text(json, "message"));
        }
        JsonNode logentry = json.get("logentry");
        if (logentry != null && logentry.isObject() && text(logentry, "message") != null) {
            List<String> params = new ArrayList<>();
            JsonNode given = logentry.get("params");
            if (given != null && given.isArray()) {
                given.forEach(p -> params.add(p.isValueNode() ? p.asText() : p.toString()));
            }
            event.setLogentry(LogEntry.newBuilder()
                    .setMessage(text(logentry, "message"))
                    .setFormatted(text(logentry, "formatted"))
                    .setParams(params)
                    .build());
            // as ingest does: a log message captured alone is the event's message
            if (event.getMessage() == null) {
                event.setMessage(firstText(logentry, "formatted", "message"));
            }
        }
        JsonNode request = json.get("request");
        if (request != null && request.isObject()) {
            event.setRequest(RequestInfo.newBuilder()
                    .setUrl(text(request, "url"))
                    .setMethod(text(request, "method"))
                    .build());
        }
        return event.build();
    }

    private static List<ExceptionValue> exceptions(JsonNode json) {
        JsonNode node = json.get("exception");
        if (node == null) {
            node = json.get("exceptions");
        }
        if (node != null && node.isObject()) {
            node = node.get("values");
        }
        List<ExceptionValue> chain = new ArrayList<>();
        if (node == null || !node.isArray()) {
            return chain;
        }
        for (int i = 0; i < node.size(); i++) {
            JsonNode e = node.get(i);
            if (!e.isObject()) {
                throw new IllegalArgumentException("exception.values[" + i + "] must be an object");
            }
            ExceptionValue.Builder value = ExceptionValue.newBuilder()
                    .setType(text(e, "type"))
                    .setModule(text(e, "module"))
                    .setValue(text(e, "value"))
                    .setFrames(frames(e.path("stacktrace").path("frames")));
            JsonNode mechanism = e.get("mechanism");
            Boolean handled = null;
            if (mechanism != null
                    && mechanism.isObject()
                    && mechanism.path("handled").isBoolean()) {
                handled = mechanism.get("handled").asBoolean();
            } else if (i == node.size() - 1 && json.path("handled").isBoolean()) {
                handled = json.get("handled").asBoolean();
            }
            if (handled != null) {
                value.setMechanism(Mechanism.newBuilder()
                        .setType(
                                mechanism == null
                                        ? "generic"
                                        : mechanism.path("type").asText("generic"))
                        .setHandled(handled)
                        .build());
            }
            chain.add(value.build());
        }
        return chain;
    }

    private static List<StackFrame> frames(JsonNode frames) {
        List<StackFrame> out = new ArrayList<>();
        if (!frames.isArray()) {
            return out;
        }
        for (JsonNode f : frames) {
            JsonNode inApp = f.get("in_app");
            out.add(StackFrame.newBuilder()
                    .setFilename(text(f, "filename"))
                    .setAbsPath(text(f, "abs_path"))
                    .setModule(text(f, "module"))
                    .setFunction(text(f, "function"))
                    .setLineno(f.path("lineno").isInt() ? f.get("lineno").asInt() : null)
                    .setInApp(inApp != null && inApp.isBoolean() ? inApp.asBoolean() : null)
                    .build());
        }
        return out;
    }

    /** Tags as an object or as a list of [key, value] pairs. */
    private static Map<String, String> pairs(JsonNode node) {
        Map<String, String> out = new LinkedHashMap<>();
        if (node == null) {
            return out;
        }
        if (node.isObject()) {
            node.properties().forEach(e -> {
                if (!e.getValue().isNull()) {
                    out.put(
                            e.getKey(),
                            e.getValue().isValueNode()
                                    ? e.getValue().asText()
                                    : e.getValue().toString());
                }
            });
        } else if (node.isArray()) {
            for (JsonNode pair : node) {
                if (pair.isArray() && pair.size() == 2 && !pair.get(1).isNull()) {
                    out.put(pair.get(0).asText(), pair.get(1).asText());
                }
            }
        }
        return out;
    }

    /** Contexts keep each context as JSON text, as the intake stores them. */
    private static Map<String, String> objects(JsonNode node) {
        Map<String, String> out = new LinkedHashMap<>();
        if (node != null && node.isObject()) {
            node.properties()
                    .forEach(e -> out.put(
                            e.getKey(),
                            e.getValue().isValueNode()
                                    ? e.getValue().asText()
                                    : e.getValue().toString()));
        }
        return out;
    }

    private static String firstText(JsonNode node, String... fields) {
        for (String field : fields) {
            String value = text(node, field);
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() || !value.isValueNode() ? null : value.asText();
    }
}
