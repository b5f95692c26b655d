package io.faultline.ingest.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import io.faultline.ingest.scrubbing.Scrubber;
import io.faultline.ingest.service.IngestProblem;
import io.faultline.ingest.service.IngestProblem.FieldError;
import io.faultline.schemas.Breadcrumb;
import io.faultline.schemas.DebugImage;
import io.faultline.schemas.ErrorEvent;
import io.faultline.schemas.ExceptionValue;
import io.faultline.schemas.LogEntry;
import io.faultline.schemas.Mechanism;
import io.faultline.schemas.RequestInfo;
import io.faultline.schemas.SdkInfo;
import io.faultline.schemas.StackFrame;
import io.faultline.schemas.UserInfo;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Maps an event in Sentry's JSON shape (the payload of the store endpoint, of an envelope
 * {@code event} item, or of Faultline's native API) into {@link ErrorEvent}. It accepts the
 * variants real SDKs send — {@code exception} as an object with {@code values} or as a bare list,
 * {@code message} as a string or an object, tags and headers as objects or as lists of pairs,
 * timestamps as RFC 3339 strings or as epoch seconds — and refuses values of the wrong type with
 * the field named.
 */
public final class SentryEventMapper {

    private static final Set<String> LEVELS = Set.of("fatal", "error", "warning", "info", "debug");
    /** Breadcrumbs kept per event: enough to see what led to the error, bounded for the topic. */
    static final int MAX_BREADCRUMBS = 100;

    static final int MAX_FRAMES = 250;

    /**
     * Debug images kept per event: the JavaScript SDKs list one per minified file of the stack,
     * so a stack of {@link #MAX_FRAMES} frames names at most that many; most name a handful.
     */
    static final int MAX_DEBUG_IMAGES = 100;

    /** The longest image URL kept: a clipped URL would match no frame, so a longer one is dropped. */
    static final int MAX_CODE_FILE = 2048;

    /** The user fields with a place of their own; others go to the user's data. */
    private static final Set<String> USER_FIELDS = Set.of("id", "email", "username", "ip_address", "segment");

    private final Duration maxClockSkew;
    private final Duration maxEventAge;

    public SentryEventMapper(Duration maxClockSkew, Duration maxEventAge) {
        this.maxClockSkew = maxClockSkew;
        this.maxEventAge = maxEventAge;
    }

    /**
     * @param source {@code native}, {@code sentry-envelope} or {@code sentry-store}
     * @param fallbackEventId the id to use when the payload has none (an envelope header's)
     * @throws IngestProblem 400 listing every invalid field
     */
    public ErrorEvent map(JsonNode json, String projectId, Instant receivedAt, String source, String fallbackEventId) {
        if (json == null || !json.isObject()) {
            throw IngestProblem.badRequest("", "the event must be a JSON object");
        }
        Fields f = new Fields(json);
        Instant timestamp = timestamp(f, receivedAt);
        Map<String, String> contexts = jsonValues(f, "contexts");
        if (f.replacedTimestamp != null) {
            contexts.put(INGEST_CONTEXT, f.replacedTimestamp);
        }
        ErrorEvent.Builder event = ErrorEvent.newBuilder()
                .setProjectId(projectId)
                .setReceivedAt(receivedAt)
                .setSource(source)
                .setEventId(eventId(f, fallbackEventId))
                .setTimestamp(timestamp)
                .setLevel(level(f))
                .setPlatform(f.text("platform"))
                .setLogger(f.text("logger"))
                .setServerName(f.text("server_name"))
                .setRelease(f.text("release"))
                .setEnvironment(f.text("environment"))
                .setTransaction(f.text("transaction"))
                .setExceptions(exceptions(f))
                .setRequest(request(f))
                .setUser(user(f))
                .setTags(pairs(f, "tags"))
                .setContexts(contexts)
                .setExtra(jsonValues(f, "extra"))
                .setFingerprint(stringList(f, "fingerprint"))
                .setSdk(sdk(f))
                .setBreadcrumbs(breadcrumbs(f))
                .setDebugImages(debugImages(f));
        messageAndLogEntry(f, event);
        f.throwIfInvalid();
        return event.build();
    }

    private String eventId(Fields f, String fallback) {
        String id = f.text("event_id");
        if (id == null) {
            return fallback != null ? fallback : UUID.randomUUID().toString().replace("-", "");
        }
        String normalised = hex32(id);
        if (normalised == null) {
            f.invalid("event_id", "must be 32 hexadecimal characters (a UUID, dashes optional)");
            return "0".repeat(32);
        }
        return normalised;
    }

    /** A UUID (dashes optional, any case) as 32 lower-case hex digits; null if it is none. */
    public static String hex32(String id) {
        if (id.length() == 32 && lowerHex(id)) {
            return id; // the usual case: already normalised, nothing to copy
        }
        char[] out = new char[32];
        int n = 0;
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c == '-') {
                continue;
            }
            if (c >= 'A' && c <= 'F') {
                c = (char) (c + ('a' - 'A'));
            }
            if (n == 32 || !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return null;
            }
            out[n++] = c;
        }
        return n == 32 ? new String(out) : null;
    }

    private static boolean lowerHex(String id) {
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    private Instant timestamp(Fields f, Instant receivedAt) {
        JsonNode node = f.json.get("timestamp");
        if (node == null || node.isNull()) {
            return receivedAt;
        }
        Instant at;
        try {
            if (node.isNumber()) {
                at = epochSeconds(node.asDouble());
            } else if (node.isTextual()) {
                at = epochOrIso(node.asText());
            } else {
                f.invalid("timestamp", "must be an RFC 3339 string or epoch seconds");
                return receivedAt;
            }
        } catch (DateTimeException | ArithmeticException e) {
            f.invalid("timestamp", "not a valid RFC 3339 timestamp: " + node.asText());
            return receivedAt;
        }
        String problem = clockProblem(at, receivedAt, maxClockSkew, maxEventAge);
        if (problem != null) {
            f.replacedTimestamp = replacedTimestamp(problem, node);
            return receivedAt;
        }
        return at;
    }

    /**
     * The context where ingest notes what it changed in an event: a timestamp it replaced, as
     * Sentry notes it in the event's {@code errors}.
     */
    public static final String INGEST_CONTEXT = "ingest";

    private static final java.util.regex.Pattern EPOCH_TEXT = java.util.regex.Pattern.compile("-?\\d+(\\.\\d+)?");

    /** Epoch seconds as an instant; beyond what a long of milliseconds holds, its bound. */
    static Instant epochSeconds(double seconds) {
        // Math.round saturates (and NaN is 0): every double gives a representable instant, which
        // the clock check then replaces when it is out of range
        return Instant.ofEpochMilli(Math.round(seconds * 1000));
    }

    /** A timestamp sent as text: epoch seconds in a string, or RFC 3339 (with or without zone). */
    static Instant epochOrIso(String text) {
        return EPOCH_TEXT.matcher(text).matches() ? epochSeconds(Double.parseDouble(text)) : parseIso(text);
    }

    /**
     * Why an event's own timestamp gives way to the receive time, in Sentry's words, or null when
     * it stands. A client clock ahead or an event replayed from long ago would distort every window
     * downstream, and the classifier makes the time its records' Kafka timestamp, which the broker
     * refuses more than an hour ahead (and the producer below zero): Sentry keeps timestamps up to
     * a minute ahead and within its retention, and so does Faultline.
     */
    public static String clockProblem(Instant at, Instant receivedAt, Duration maxClockSkew, Duration maxEventAge) {
        if (at.isAfter(receivedAt.plus(maxClockSkew))) {
            return "future_timestamp";
        }
        if (at.isBefore(receivedAt.minus(maxEventAge))) {
            return "past_timestamp";
        }
        return null;
    }

    /**
     * The {@link #INGEST_CONTEXT} of an event whose timestamp was replaced: Sentry's entry of its
     * {@code errors} list, with the value as sent, so the original is kept.
     */
    static String replacedTimestamp(String problem, JsonNode sent) {
        com.fasterxml.jackson.databind.node.ObjectNode error =
                com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        error.put("type", problem);
        error.put("name", "timestamp");
        error.set("value", sent);
        com.fasterxml.jackson.databind.node.ObjectNode context =
                com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        context.putArray("errors").add(error);
        return context.toString();
    }

    /**
     * A breadcrumb's time as stored, or null when it has none that a timestamp in milliseconds
     * holds (a year beyond ±292 million): breadcrumbs are context, such a time is dropped as an
     * unreadable one is, not the event.
     */
    static Instant breadcrumbTime(Instant at) {
        return at == null || at.isBefore(MIN_MILLIS) || at.isAfter(MAX_MILLIS) ? null : at;
    }

    private static final Instant MIN_MILLIS = Instant.ofEpochMilli(Long.MIN_VALUE);
    private static final Instant MAX_MILLIS = Instant.ofEpochMilli(Long.MAX_VALUE);

    static Instant parseIso(String text) {
        // SDKs send both "2026-11-30T10:00:00.123Z" and the zone-less "2026-11-30T10:00:00.123"
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                    .toInstant();
        } catch (DateTimeException e) {
            return java.time.LocalDateTime.parse(text).toInstant(java.time.ZoneOffset.UTC);
        }
    }

    private String level(Fields f) {
        String level = normalLevel(f.text("level"));
        if (level == null) {
            f.invalid("level", "must be one of fatal, error, warning, info, debug");
            return "error";
        }
        return level;
    }

    /**
     * A level as stored: {@code error} when there is none, SDKs' aliases ({@code warn}, {@code
     * critical}, {@code log}) mapped to Sentry's levels; null for any other value.
     */
    static String normalLevel(String level) {
        if (level == null) {
            return "error";
        }
        String l = level.toLowerCase(Locale.ROOT);
        l = switch (l) {
            case "warn" -> "warning";
            case "critical" -> "fatal";
            case "log" -> "info";
            default -> l;
        };
        return LEVELS.contains(l) ? l : null;
    }

    private void messageAndLogEntry(Fields f, ErrorEvent.Builder event) {
        JsonNode logentry = f.json.get("logentry");
        if (logentry == null || logentry.isNull()) {
            logentry = f.json.get("sentry.interfaces.Message");
        }
        JsonNode message = f.json.get("message");
        if (message != null && message.isObject() && (logentry == null || logentry.isNull())) {
            logentry = message; // the SDKs' older form: "message": {"message": ..., "params": [...]}
            message = null;
        }
        if (logentry != null && !logentry.isNull()) {
            if (!logentry.isObject()) {
                f.invalid("logentry", "must be an object with message, formatted, params");
            } else {
                String template = textOf(logentry.get("message"));
                String formatted = textOf(logentry.get("formatted"));
                List<String> params = new ArrayList<>();
                JsonNode p = logentry.get("params");
                if (p != null && p.isArray()) {
                    p.forEach(v -> params.add(v.isTextual() ? v.asText() : v.toString()));
                } else if (p != null && p.isObject()) {
                    p.fields().forEachRemaining(e -> params.add(e.getKey() + "=" + textOrJson(e.getValue())));
                }
                if (template == null && formatted != null) {
                    template = formatted;
                }
                if (template != null) {
                    event.setLogentry(LogEntry.newBuilder()
                            .setMessage(template)
                            .setFormatted(formatted)
                            .setParams(params)
                            .build());
                    event.setMessage(formatted != null ? formatted : template);
                }
            }
        }
        if (message != null && !message.isNull()) {
            if (!message.isTextual()) {
                f.invalid("message", "must be a string or an object with message and params");
            } else {
                event.setMessage(message.asText());
            }
        }
    }

    private List<ExceptionValue> exceptions(Fields f) {
        JsonNode node = f.json.get("exception");
        if (node == null || node.isNull()) {
            node = f.json.get("sentry.interfaces.Exception");
        }
        if (node == null || node.isNull()) {
            return List.of();
        }
        JsonNode values = node.isObject() ? node.get("values") : node;
        if (values == null || values.isNull()) {
            return List.of();
        }
        if (!values.isArray()) {
            f.invalid("exception.values", "must be a list of exceptions");
            return List.of();
        }
        List<ExceptionValue> result = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            JsonNode e = values.get(i);
            String path = "exception.values[" + i + "]";
            if (!e.isObject()) {
                f.invalid(path, "must be an object");
                continue;
            }
            ExceptionValue.Builder value = ExceptionValue.newBuilder()
                    .setType(f.textAt(e, "type", path))
                    .setValue(f.textAt(e, "value", path))
                    .setModule(f.textAt(e, "module", path))
                    .setThreadId(textOrJson(e.get("thread_id")))
                    .setMechanism(mechanism(e.get("mechanism")))
                    .setFrames(frames(f, e.get("stacktrace"), path + ".stacktrace"));
            if (value.getType() == null && value.getValue() == null) {
                f.invalid(path, "needs at least a type or a value");
            }
            result.add(value.build());
        }
        return result;
    }

    private static Mechanism mechanism(JsonNode m) {
        if (m == null || !m.isObject() || textOf(m.get("type")) == null) {
            return null;
        }
        return Mechanism.newBuilder()
                .setType(textOf(m.get("type")))
                .setHandled(
                        m.has("handled") && m.get("handled").isBoolean()
                                ? m.get("handled").asBoolean()
                                : null)
                .setSynthetic(
                        m.has("synthetic") && m.get("synthetic").isBoolean()
                                ? m.get("synthetic").asBoolean()
                                : null)
                .build();
    }

    private List<StackFrame> frames(Fields f, JsonNode stacktrace, String path) {
        if (stacktrace == null || stacktrace.isNull()) {
            return List.of();
        }
        JsonNode frames = stacktrace.get("frames");
        if (frames == null || frames.isNull()) {
            return List.of();
        }
        if (!frames.isArray()) {
            f.invalid(path + ".frames", "must be a list of frames");
            return List.of();
        }
        List<StackFrame> result = new ArrayList<>(Math.min(frames.size(), MAX_FRAMES));
        String framesPath = path + ".frames";
        // keep the crashing end: Sentry orders frames caller first, so the last ones matter most
        int from = Math.max(0, frames.size() - MAX_FRAMES);
        for (int i = from; i < frames.size(); i++) {
            JsonNode fr = frames.get(i);
            if (!fr.isObject()) {
                f.invalid(framesPath + "[" + i + "]", "must be an object");
                continue;
            }
            // the constructor rather than a builder: every field is optional, nothing to check,
            // and an event carries dozens of frames
            JsonNode inApp = fr.get("in_app");
            result.add(new StackFrame(
                    f.textAt(fr, "filename", framesPath, i),
                    f.textAt(fr, "abs_path", framesPath, i),
                    f.textAt(fr, "module", framesPath, i),
                    f.textAt(fr, "function", framesPath, i),
                    f.intAt(fr, "lineno", framesPath, i),
                    f.intAt(fr, "colno", framesPath, i),
                    inApp != null && inApp.isBoolean() ? inApp.asBoolean() : null,
                    f.textAt(fr, "context_line", framesPath, i)));
        }
        return result;
    }

    private RequestInfo request(Fields f) {
        JsonNode r = f.json.get("request");
        if (r == null || r.isNull()) {
            return null;
        }
        if (!r.isObject()) {
            f.invalid("request", "must be an object");
            return null;
        }
        JsonNode query = r.get("query_string");
        JsonNode data = r.get("data");
        return RequestInfo.newBuilder()
                .setUrl(f.textAt(r, "url", "request"))
                .setMethod(f.textAt(r, "method", "request"))
                .setQueryString(query == null || query.isNull() ? null : textOrJson(query))
                .setHeaders(pairsOf(f, r.get("headers"), "request.headers"))
                .setData(data == null || data.isNull() ? null : textOrJson(data))
                .setEnv(pairsOf(f, r.get("env"), "request.env"))
                .build();
    }

    private UserInfo user(Fields f) {
        JsonNode u = f.json.get("user");
        if (u == null || u.isNull()) {
            return null;
        }
        if (!u.isObject()) {
            f.invalid("user", "must be an object");
            return null;
        }
        Map<String, String> data = new LinkedHashMap<>();
        u.fields().forEachRemaining(e -> {
            if (!USER_FIELDS.contains(e.getKey()) && !e.getValue().isNull()) {
                data.put(e.getKey(), textOrJson(e.getValue()));
            }
        });
        return UserInfo.newBuilder()
                .setId(textOrJson(u.get("id")))
                .setEmail(f.textAt(u, "email", "user"))
                .setUsername(f.textAt(u, "username", "user"))
                .setIpAddress(f.textAt(u, "ip_address", "user"))
                .setSegment(f.textAt(u, "segment", "user"))
                .setData(data)
                .build();
    }

    private SdkInfo sdk(Fields f) {
        JsonNode s = f.json.get("sdk");
        if (s == null || !s.isObject() || textOf(s.get("name")) == null) {
            return null;
        }
        return SdkInfo.newBuilder()
                .setName(textOf(s.get("name")))
                .setVersion(textOf(s.get("version")))
                .build();
    }

    private List<Breadcrumb> breadcrumbs(Fields f) {
        JsonNode b = f.json.get("breadcrumbs");
        if (b == null || b.isNull()) {
            return List.of();
        }
        JsonNode values = b.isObject() ? b.get("values") : b;
        if (values == null || !values.isArray()) {
            f.invalid("breadcrumbs", "must be a list or an object with values");
            return List.of();
        }
        List<Breadcrumb> result = new ArrayList<>();
        int from = Math.max(0, values.size() - MAX_BREADCRUMBS);
        for (int i = from; i < values.size(); i++) {
            JsonNode c = values.get(i);
            if (!c.isObject()) {
                continue; // a malformed breadcrumb is context, not the error: drop it alone
            }
            Instant at = null;
            JsonNode ts = c.get("timestamp");
            try {
                if (ts != null && ts.isNumber()) {
                    at = epochSeconds(ts.asDouble());
                } else if (ts != null && ts.isTextual()) {
                    at = parseIso(ts.asText());
                }
            } catch (DateTimeException e) {
                at = null;
            }
            result.add(Breadcrumb.newBuilder()
                    .setTimestamp(breadcrumbTime(at))
                    .setType(textOf(c.get("type")))
                    .setCategory(textOf(c.get("category")))
                    .setLevel(textOf(c.get("level")))
                    .setMessage(textOf(c.get("message")))
                    .setData(crumbData(c.get("data")))
                    .build());
        }
        return result;
    }

    /**
     * The source map images of {@code debug_meta}: the first {@link #MAX_DEBUG_IMAGES} with a URL
     * (at most {@link #MAX_CODE_FILE} long) and a debug id that is a UUID. An image of another
     * kind (a native library's) or malformed is context, not the error: dropped alone.
     */
    private List<DebugImage> debugImages(Fields f) {
        JsonNode meta = f.json.get("debug_meta");
        if (meta == null || meta.isNull()) {
            return List.of();
        }
        if (!meta.isObject()) {
            f.invalid("debug_meta", "must be an object");
            return List.of();
        }
        JsonNode images = meta.get("images");
        if (images == null || images.isNull()) {
            return List.of();
        }
        if (!images.isArray()) {
            f.invalid("debug_meta.images", "must be a list");
            return List.of();
        }
        List<DebugImage> result = new ArrayList<>();
        for (int i = 0; i < images.size() && result.size() < MAX_DEBUG_IMAGES; i++) {
            JsonNode image = images.get(i);
            DebugImage kept = image.isObject()
                    ? debugImage(
                            textOf(image.get("type")), textOf(image.get("code_file")), textOf(image.get("debug_id")))
                    : null;
            if (kept != null) {
                result.add(kept);
            }
        }
        return result;
    }

    /** The image kept of these fields (the code file not yet scrubbed), or null to drop it. */
    static DebugImage debugImage(String type, String codeFile, String debugId) {
        if (!"sourcemap".equals(type) || codeFile == null || codeFile.length() > MAX_CODE_FILE || debugId == null) {
            return null;
        }
        String id = debugId.length() <= 36 ? hex32(debugId) : null;
        if (id == null) {
            return null;
        }
        // the form sentry-cli writes into bundles, so ids compare as text too
        String uuid = id.substring(0, 8)
                + '-'
                + id.substring(8, 12)
                + '-'
                + id.substring(12, 16)
                + '-'
                + id.substring(16, 20)
                + '-'
                + id.substring(20);
        return new DebugImage(type, codeFile, uuid);
    }

    /**
     * A breadcrumb's data: its first {@link Scrubber#MAX_CRUMB_DATA_KEYS} keys that have a value,
     * each value as text (a string's own, anything else as JSON). Data that is no object is
     * context, not the error: dropped, the crumb kept.
     */
    private static Map<String, String> crumbData(JsonNode data) {
        if (data == null || !data.isObject() || data.isEmpty()) {
            return Map.of();
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = data.fields();
                it.hasNext() && map.size() < Scrubber.MAX_CRUMB_DATA_KEYS; ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isNull()) {
                map.put(e.getKey(), textOrJson(e.getValue()));
            }
        }
        return map;
    }

    private Map<String, String> pairs(Fields f, String name) {
        return pairsOf(f, f.json.get(name), name);
    }

    /** An object of values, or a list of [key, value] pairs, as SDKs send tags and headers. */
    private static Map<String, String> pairsOf(Fields f, JsonNode node, String path) {
        Map<String, String> map = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return map;
        }
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                if (!e.getValue().isNull()) {
                    map.put(e.getKey(), textOrJson(e.getValue()));
                }
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                JsonNode pair = node.get(i);
                if (pair.isArray() && pair.size() == 2 && pair.get(0).isTextual()) {
                    if (!pair.get(1).isNull()) {
                        map.put(pair.get(0).asText(), textOrJson(pair.get(1)));
                    }
                } else {
                    f.invalid(path + "[" + i + "]", "must be a [key, value] pair");
                }
            }
        } else {
            f.invalid(path, "must be an object or a list of [key, value] pairs");
        }
        return map;
    }

    private static Map<String, String> jsonValues(Fields f, String name) {
        JsonNode node = f.json.get(name);
        Map<String, String> map = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return map;
        }
        if (!node.isObject()) {
            f.invalid(name, "must be an object");
            return map;
        }
        node.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().toString()));
        return map;
    }

    private static List<String> stringList(Fields f, String name) {
        JsonNode node = f.json.get(name);
        List<String> list = new ArrayList<>();
        if (node == null || node.isNull()) {
            return list;
        }
        if (!node.isArray()) {
            f.invalid(name, "must be a list of strings");
            return list;
        }
        for (JsonNode v : node) {
            if (v.isValueNode() && !v.isNull()) {
                list.add(v.asText());
            } else {
                f.invalid(name, "must be a list of strings");
                break;
            }
        }
        return list;
    }

    static String textOf(JsonNode node) {
        return node == null || node.isNull() || !node.isValueNode() ? null : node.asText();
    }

    static String textOrJson(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        return node.isTextual() ? node.asText() : node.toString();
    }

    /** The payload plus the field errors found so far: every invalid field is reported at once. */
    private static final class Fields {
        final JsonNode json;
        final List<FieldError> errors = new ArrayList<>();
        /** The {@link #INGEST_CONTEXT} noting the event's own timestamp, when it was replaced. */
        String replacedTimestamp;

        Fields(JsonNode json) {
            this.json = json;
        }

        void invalid(String field, String reason) {
            errors.add(new FieldError(field, reason));
        }

        String text(String name) {
            return textAt(json, name, "");
        }

        String textAt(JsonNode parent, String name, String path) {
            return textAt(parent, name, path, -1);
        }

        /** @param index the parent's index in the list at {@code path}, or -1: a path is only built for an error */
        String textAt(JsonNode parent, String name, String path, int index) {
            JsonNode node = parent.get(name);
            if (node == null || node.isNull()) {
                return null;
            }
            if (!node.isValueNode()) {
                invalid(path.isEmpty() ? name : at(path, index) + "." + name, "must be a string");
                return null;
            }
            return node.asText();
        }

        Integer intAt(JsonNode parent, String name, String path, int index) {
            JsonNode node = parent.get(name);
            if (node == null || node.isNull()) {
                return null;
            }
            if (!node.canConvertToInt() || !node.isIntegralNumber()) {
                invalid(at(path, index) + "." + name, "must be an integer");
                return null;
            }
            return node.asInt();
        }

        private static String at(String path, int index) {
            return index < 0 ? path : path + "[" + index + "]";
        }

        void throwIfInvalid() {
            if (!errors.isEmpty()) {
                throw IngestProblem.badRequest(errors.size() + " invalid field(s)", errors);
            }
        }
    }
}
