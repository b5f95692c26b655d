package io.faultline.ingest.mapping;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.faultline.ingest.scrubbing.Scrubber;
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
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Maps a valid event straight from the JSON token stream into a scrubbed {@link ErrorEvent}: no
 * tree of the payload, no second pass to scrub (each string is scrubbed as it is read, each map
 * key checked as it is read). The result equals {@code scrubber.scrub(mapper.map(tree))} of
 * {@link SentryEventMapper} and {@link Scrubber}, byte for byte once encoded
 * ({@code StreamingEventMapperTest} proves it on a generated corpus).
 *
 * <p>It handles the shapes valid events have. Anything else — an invalid field, a duplicate key
 * (a tree keeps the last one), the legacy {@code sentry.interfaces.*} keys, a message given as an
 * object, malformed JSON — makes it answer null, and the caller maps that line with the tree
 * mapper, whose problem names the field and reason. So the refusals stay exactly what they are,
 * and the fast path only has to be right about what it accepts. Rare free-form values (JSON
 * objects under extra, contexts or request data, numbers where a text is expected) are read as
 * small trees and converted with the tree mapper's own rules, so they stay exact too.
 */
public final class StreamingEventMapper {

    /** Gives up on a line: the tree path maps it. Preallocated: thrown on invalid input only. */
    private static final class Unhandled extends RuntimeException {
        private static final Unhandled LINE = new Unhandled();

        private Unhandled() {
            super("not handled by the streaming mapper", null, false, false);
        }
    }

    private final ObjectMapper json;
    private final Scrubber scrubber;
    private final Duration maxClockSkew;
    private final Duration maxEventAge;

    /**
     * @param json the mapper whose parser the tree path uses: the same features, number handling
     *     and limits
     */
    public StreamingEventMapper(ObjectMapper json, Scrubber scrubber, Duration maxClockSkew, Duration maxEventAge) {
        // values read as small trees: the parser must stay where the value ends
        this.json = json.copy().disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.scrubber = scrubber;
        this.maxClockSkew = maxClockSkew;
        this.maxEventAge = maxEventAge;
    }

    /**
     * @return the scrubbed event, or null when the line needs the tree mapper (invalid, unusual)
     */
    public ErrorEvent map(
            byte[] body,
            int offset,
            int length,
            String projectId,
            Instant receivedAt,
            String source,
            String fallbackEventId) {
        try (JsonParser p = json.getFactory().createParser(body, offset, length)) {
            json.getDeserializationConfig().initialize(p); // what the tree path's readTree does
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            ErrorEvent event = event(p, projectId, receivedAt, source, fallbackEventId);
            // one value per line: anything after it is the tree path's to judge
            return p.nextToken() == null ? event : null;
        } catch (IOException | RuntimeException e) {
            // malformed JSON, an invalid or unusual field, a value out of range: never an answer
            // of its own, the tree path decides
            return null;
        }
    }

    /**
     * The fields one kind of JSON object has for this mapper, each a bit (1, 2, 4, ... in the order
     * given) so that a loop over an object's fields can see a duplicate key; 0 for any other name.
     */
    private static final class FieldBits {
        private final Map<String, Integer> bits = new java.util.HashMap<>();

        FieldBits(String... names) {
            for (int i = 0; i < names.length; i++) {
                bits.put(names[i], 1 << i);
            }
        }

        int of(String name) {
            Integer bit = bits.get(name);
            return bit == null ? 0 : bit;
        }
    }

    private static final FieldBits EVENT_FIELDS = new FieldBits(
            "event_id",
            "timestamp",
            "level",
            "platform",
            "logger",
            "server_name",
            "release",
            "environment",
            "transaction",
            "message",
            "logentry",
            "exception",
            "request",
            "user",
            "tags",
            "contexts",
            "extra",
            "fingerprint",
            "sdk",
            "breadcrumbs",
            "type",
            "debug_meta");
    private static final FieldBits LOGENTRY_FIELDS = new FieldBits("message", "formatted", "params");
    private static final FieldBits EXCEPTION_FIELDS =
            new FieldBits("type", "value", "module", "thread_id", "mechanism", "stacktrace");
    private static final FieldBits MECHANISM_FIELDS = new FieldBits("type", "handled", "synthetic");
    private static final FieldBits FRAME_FIELDS =
            new FieldBits("filename", "abs_path", "module", "function", "lineno", "colno", "in_app", "context_line");
    private static final FieldBits REQUEST_FIELDS =
            new FieldBits("url", "method", "query_string", "data", "headers", "env");
    private static final FieldBits USER_FIELDS = new FieldBits("id", "email", "username", "ip_address", "segment");
    private static final FieldBits BREADCRUMB_FIELDS =
            new FieldBits("timestamp", "type", "category", "level", "message", "data");

    // the top-level fields, one bit each in EVENT_FIELDS' order, to see duplicates
    private static final int EVENT_ID = 1;
    private static final int TIMESTAMP = 1 << 1;
    private static final int LEVEL = 1 << 2;
    private static final int PLATFORM = 1 << 3;
    private static final int LOGGER = 1 << 4;
    private static final int SERVER_NAME = 1 << 5;
    private static final int RELEASE = 1 << 6;
    private static final int ENVIRONMENT = 1 << 7;
    private static final int TRANSACTION = 1 << 8;
    private static final int MESSAGE = 1 << 9;
    private static final int LOGENTRY = 1 << 10;
    private static final int EXCEPTION = 1 << 11;
    private static final int REQUEST = 1 << 12;
    private static final int USER = 1 << 13;
    private static final int TAGS = 1 << 14;
    private static final int CONTEXTS = 1 << 15;
    private static final int EXTRA = 1 << 16;
    private static final int FINGERPRINT = 1 << 17;
    private static final int SDK = 1 << 18;
    private static final int BREADCRUMBS = 1 << 19;
    private static final int TYPE = 1 << 20;
    private static final int DEBUG_META = 1 << 21;
    private static final FieldBits IMAGE_FIELDS = new FieldBits("type", "code_file", "debug_id");

    private ErrorEvent event(JsonParser p, String projectId, Instant receivedAt, String source, String fallbackEventId)
            throws IOException {
        ErrorEvent e = new ErrorEvent();
        e.setProjectId(projectId);
        e.setReceivedAt(receivedAt);
        e.setSource(source);
        e.setTimestamp(receivedAt);
        e.setLevel("error");
        e.setExceptions(List.of());
        e.setTags(Map.of());
        e.setContexts(Map.of());
        e.setExtra(Map.of());
        e.setFingerprint(List.of());
        e.setBreadcrumbs(List.of());
        e.setDebugImages(List.of());
        String eventId = null;
        String message = null;
        LogEntry logentry = null;
        String logentryMessage = null;
        String[] replacedTimestamp = null;
        int seen = 0;
        for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
            JsonToken t = p.nextToken();
            int field = EVENT_FIELDS.of(name);
            if (field == 0) {
                if (name.startsWith("sentry.interfaces.")) {
                    throw Unhandled.LINE; // legacy aliases: their precedence is the tree's to apply
                }
                p.skipChildren(); // the mapper ignores fields it does not know
                continue;
            }
            if ((seen & field) != 0) {
                throw Unhandled.LINE; // a duplicate key: a tree keeps the last value
            }
            seen |= field;
            switch (field) {
                case EVENT_ID -> eventId = text(p, t);
                case TIMESTAMP -> {
                    replacedTimestamp = new String[1];
                    e.setTimestamp(timestamp(p, t, receivedAt, replacedTimestamp));
                }
                case LEVEL -> e.setLevel(level(text(p, t)));
                case PLATFORM -> e.setPlatform(scrubber.text(text(p, t)));
                case LOGGER -> e.setLogger(scrubber.text(text(p, t)));
                case SERVER_NAME -> e.setServerName(scrubber.text(text(p, t)));
                case RELEASE -> e.setRelease(scrubber.text(text(p, t)));
                case ENVIRONMENT -> e.setEnvironment(scrubber.text(text(p, t)));
                case TRANSACTION -> e.setTransaction(scrubber.text(text(p, t)));
                case MESSAGE -> {
                    // the object form ("message": {"message": ..., "params": [...]}) is rare: the tree's
                    if (t != JsonToken.VALUE_STRING && t != JsonToken.VALUE_NULL) {
                        throw Unhandled.LINE;
                    }
                    message = t == JsonToken.VALUE_NULL ? null : p.getText();
                }
                case LOGENTRY -> {
                    if (t == JsonToken.START_OBJECT) {
                        String[] template = new String[1];
                        logentry = logEntry(p, template);
                        logentryMessage = template[0];
                    } else if (t != JsonToken.VALUE_NULL) {
                        throw Unhandled.LINE;
                    }
                }
                case EXCEPTION -> e.setExceptions(exceptions(p, t));
                case REQUEST -> e.setRequest(request(p, t));
                case USER -> e.setUser(user(p, t));
                case TAGS -> e.setTags(pairs(p, t));
                case CONTEXTS -> e.setContexts(jsonValues(p, t));
                case EXTRA -> e.setExtra(jsonValues(p, t));
                case FINGERPRINT -> e.setFingerprint(stringList(p, t));
                case SDK -> e.setSdk(sdk(p, t));
                case BREADCRUMBS -> e.setBreadcrumbs(breadcrumbs(p, t));
                case DEBUG_META -> e.setDebugImages(debugImages(p, t));
                case TYPE -> {
                    // a transaction (the legacy store endpoint takes both) or a security report is
                    // not an error event: its caller's tree tells what it is
                    String type = text(p, t);
                    if (type != null && !type.equals("error") && !type.equals("default")) {
                        throw Unhandled.LINE;
                    }
                }
                default -> throw new IllegalStateException("field bit " + field);
            }
        }
        if (p.currentToken() != JsonToken.END_OBJECT) {
            throw Unhandled.LINE;
        }
        e.setEventId(eventId(eventId, fallbackEventId));
        if (replacedTimestamp != null && replacedTimestamp[0] != null) {
            // where the tree mapper puts it: last, or in place of a context of that name
            Map<String, String> contexts = new LinkedHashMap<>(e.getContexts());
            contexts.put(
                    SentryEventMapper.INGEST_CONTEXT,
                    scrubber.jsonMapValue(SentryEventMapper.INGEST_CONTEXT, replacedTimestamp[0]));
            e.setContexts(contexts);
        }
        if (logentry != null) {
            e.setLogentry(logentry);
            message = message != null ? message : logentryMessage;
        }
        e.setMessage(scrubber.text(message));
        return e;
    }

    private static String eventId(String id, String fallback) {
        if (id == null) {
            return fallback != null ? fallback : UUID.randomUUID().toString().replace("-", "");
        }
        String normalised = SentryEventMapper.hex32(id);
        if (normalised == null) {
            throw Unhandled.LINE;
        }
        return normalised;
    }

    /** @param replaced receives the {@link SentryEventMapper#INGEST_CONTEXT} when the time is replaced */
    private Instant timestamp(JsonParser p, JsonToken t, Instant receivedAt, String[] replaced) throws IOException {
        Instant at;
        JsonNode sent;
        switch (t) {
            case VALUE_NULL -> {
                return receivedAt;
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                sent = node(p); // the tree's own number, so the same double
                at = SentryEventMapper.epochSeconds(sent.asDouble());
            }
            case VALUE_STRING -> {
                String text = p.getText();
                sent = com.fasterxml.jackson.databind.node.TextNode.valueOf(text);
                at = SentryEventMapper.epochOrIso(text); // a DateTimeException: the tree's refusal
            }
            default -> throw Unhandled.LINE;
        }
        String problem = SentryEventMapper.clockProblem(at, receivedAt, maxClockSkew, maxEventAge);
        if (problem != null) {
            replaced[0] = SentryEventMapper.replacedTimestamp(problem, sent);
            return receivedAt;
        }
        return at;
    }

    private static String level(String level) {
        String l = SentryEventMapper.normalLevel(level);
        if (l == null) {
            throw Unhandled.LINE;
        }
        return l;
    }

    /** The logentry's template and formatted text, params; null when it has neither text. */
    private LogEntry logEntry(JsonParser p, String[] eventMessage) throws IOException {
        String template = null;
        String formatted = null;
        List<String> params = new ArrayList<>();
        int seen = 0;
        for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
            JsonToken t = p.nextToken();
            int field = LOGENTRY_FIELDS.of(name);
            if ((seen & field) != 0) {
                throw Unhandled.LINE;
            }
            seen |= field;
            switch (field) {
                case 1 -> template = scalarOrNull(p, t);
                case 2 -> formatted = scalarOrNull(p, t);
                case 4 -> params(p, t, params);
                default -> p.skipChildren();
            }
        }
        if (template == null && formatted != null) {
            template = formatted;
        }
        if (template == null) {
            return null;
        }
        eventMessage[0] = formatted != null ? formatted : template;
        List<String> scrubbed = new ArrayList<>(params.size());
        for (String param : params) {
            scrubbed.add(scrubber.text(param));
        }
        LogEntry log = new LogEntry();
        log.setMessage(scrubber.text(template));
        log.setFormatted(scrubber.text(formatted));
        log.setParams(scrubbed);
        return log;
    }

    private void params(JsonParser p, JsonToken t, List<String> params) throws IOException {
        if (t == JsonToken.START_ARRAY) {
            for (JsonToken v = p.nextToken(); v != JsonToken.END_ARRAY; v = p.nextToken()) {
                params.add(v == JsonToken.VALUE_STRING ? p.getText() : node(p).toString());
            }
        } else if (t == JsonToken.START_OBJECT) {
            Set<String> names = new HashSet<>();
            for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
                if (!names.add(name)) {
                    throw Unhandled.LINE;
                }
                JsonToken v = p.nextToken();
                params.add(name + "=" + textOrJson(p, v));
            }
        } else {
            p.skipChildren(); // the tree mapper ignores params of another shape
        }
    }

    private List<ExceptionValue> exceptions(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            return List.of();
        }
        if (t == JsonToken.START_ARRAY) {
            return exceptionList(p);
        }
        if (t != JsonToken.START_OBJECT) {
            throw Unhandled.LINE;
        }
        return onlyList(p, "values", this::exceptionList);
    }

    /** Reads a list, positioned on its start. */
    private interface ListReader<T> {
        List<T> read(JsonParser p) throws IOException;
    }

    /**
     * The list under {@code field} of an object read up to its end (other fields skipped), empty
     * when it is absent or null; anything else there, or the field twice, is the tree's.
     */
    private static <T> List<T> onlyList(JsonParser p, String field, ListReader<T> reader) throws IOException {
        List<T> values = List.of();
        boolean seen = false;
        for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
            JsonToken v = p.nextToken();
            if (!name.equals(field)) {
                p.skipChildren();
                continue;
            }
            if (seen) {
                throw Unhandled.LINE;
            }
            seen = true;
            if (v == JsonToken.START_ARRAY) {
                values = reader.read(p);
            } else if (v != JsonToken.VALUE_NULL) {
                throw Unhandled.LINE;
            }
        }
        return values;
    }

    private List<ExceptionValue> exceptionList(JsonParser p) throws IOException {
        List<ExceptionValue> result = new ArrayList<>(2);
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t != JsonToken.START_OBJECT) {
                throw Unhandled.LINE;
            }
            result.add(exception(p));
        }
        return result;
    }

    private ExceptionValue exception(JsonParser p) throws IOException {
        String type = null;
        String value = null;
        String module = null;
        String threadId = null;
        Mechanism mechanism = null;
        List<StackFrame> frames = List.of();
        int seen = 0;
        for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
            JsonToken t = p.nextToken();
            int field = EXCEPTION_FIELDS.of(name);
            if ((seen & field) != 0) {
                throw Unhandled.LINE;
            }
            seen |= field;
            switch (field) {
                case 1 -> type = text(p, t);
                case 2 -> value = text(p, t);
                case 4 -> module = text(p, t);
                case 8 -> threadId = textOrJson(p, t);
                case 16 -> mechanism = mechanism(p, t);
                case 32 -> frames = stacktrace(p, t);
                default -> p.skipChildren();
            }
        }
        if (type == null && value == null) {
            throw Unhandled.LINE;
        }
        return new ExceptionValue(
                scrubber.text(type),
                scrubber.text(value),
                scrubber.text(module),
                scrubber.text(threadId),
                mechanism,
                frames);
    }

    private Mechanism mechanism(JsonParser p, JsonToken t) throws IOException {
        if (t != JsonToken.START_OBJECT) {
            p.skipChildren();
            return null;
        }
        String type = null;
        Boolean handled = null;
        Boolean synthetic = null;
        int seen = 0;
        for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
            JsonToken v = p.nextToken();
            int field = MECHANISM_FIELDS.of(name);
            if ((seen & field) != 0) {
                throw Unhandled.LINE;
            }
            seen |= field;
            switch (field) {
                case 1 -> type = scalarOrNull(p, v);
                case 2 -> handled = bool(p, v);
                case 4 -> synthetic = bool(p, v);
                default -> p.skipChildren();
            }
        }
        return type == null ? null : new Mechanism(scrubber.text(type), handled, synthetic);
    }

    private List<StackFrame> stacktrace(JsonParser p, JsonToken t) throws IOException {
        if (t != JsonToken.START_OBJECT) {
            // the tree mapper looks up "frames" in it, which a list or a text does not have
            p.skipChildren();
            return List.of();
        }
        return onlyList(p, "frames", this::frames);
    }

    /**
     * Frames, keeping the last {@link SentryEventMapper#MAX_FRAMES} as the tree mapper does. A
     * frame that is not valid is only a reason to give up when it is among those kept: the tree
     * mapper never looks at the others.
     */
    private List<StackFrame> frames(JsonParser p) throws IOException {
        List<StackFrame> all = new ArrayList<>();
        int lastInvalid = -1;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            StackFrame frame = t == JsonToken.START_OBJECT ? frame(p) : null;
            if (frame == null) {
                p.skipChildren();
                lastInvalid = all.size();
            }
            all.add(frame);
        }
        int from = Math.max(0, all.size() - SentryEventMapper.MAX_FRAMES);
        if (lastInvalid >= from) {
            throw Unhandled.LINE;
        }
        return from == 0 ? all : new ArrayList<>(all.subList(from, all.size()));
    }

    /** A frame, or null (having read all of it) when one of its fields is not valid. */
    private StackFrame frame(JsonParser p) throws IOException {
        String filename = null;
        String absPath = null;
        String module = null;
        String function = null;
        Integer lineno = null;
        Integer colno = null;
        Boolean inApp = null;
        String contextLine = null;
        int seen = 0;
        boolean valid = true;
        for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
            JsonToken t = p.nextToken();
            int field = FRAME_FIELDS.of(name);
            if ((seen & field) != 0) {
                valid = false;
            }
            seen |= field;
            if (field == 0 || !valid) {
                p.skipChildren();
                continue;
            }
            if (field == 64) {
                inApp = bool(p, t);
                continue;
            }
            if (field == 16 || field == 32) {
                if (t == JsonToken.VALUE_NULL) {
                    continue;
                }
                if (t != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT) {
                    valid = false;
                    p.skipChildren();
                    continue;
                }
                if (field == 16) {
                    lineno = p.getIntValue();
                } else {
                    colno = p.getIntValue();
                }
                continue;
            }
            if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                valid = false; // "must be a string"
                p.skipChildren();
                continue;
            }
            String text = text(p, t);
            switch (field) {
                case 1 -> filename = text;
                case 2 -> absPath = text;
                case 4 -> module = text;
                case 8 -> function = text;
                default -> contextLine = text;
            }
        }
        return valid
                ? new StackFrame(
                        scrubber.text(filename),
                        scrubber.text(absPath),
                        scrubber.text(module),
                        scrubber.text(function),
                        lineno,
                        colno,
                        inApp,
                        scrubber.text(contextLine))
                : null;
    }

    private RequestInfo request(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t != JsonToken.START_OBJECT) {
            throw Unhandled.LINE;
        }
        String url = null;
        String method = null;
        String query = null;
        String data = null;
        Map<String, String> headers = new LinkedHashMap<>();
        Map<String, String> env = new LinkedHashMap<>();
        int seen = 0;
        for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
            JsonToken v = p.nextToken();
            int field = REQUEST_FIELDS.of(name);
            if ((seen & field) != 0) {
                throw Unhandled.LINE;
            }
            seen |= field;
            switch (field) {
                case 1 -> url = text(p, v);
                case 2 -> method = text(p, v);
                case 4 -> query = textOrJson(p, v);
                case 8 -> data = textOrJson(p, v);
                case 16 -> headers = pairs(p, v);
                case 32 -> env = pairs(p, v);
                default -> p.skipChildren();
            }
        }
        RequestInfo r = new RequestInfo();
        r.setUrl(scrubber.text(url));
        r.setMethod(scrubber.text(method));
        r.setQueryString(scrubber.jsonOrText(query));
        r.setHeaders(headers);
        r.setData(scrubber.jsonOrText(data));
        r.setEnv(env);
        return r;
    }

    private UserInfo user(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t != JsonToken.START_OBJECT) {
            throw Unhandled.LINE;
        }
        String id = null;
        String email = null;
        String username = null;
        String ip = null;
        String segment = null;
        Map<String, String> data = new LinkedHashMap<>();
        Set<String> nullData = null;
        int seen = 0;
        for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
            JsonToken v = p.nextToken();
            int field = USER_FIELDS.of(name);
            if ((seen & field) != 0) {
                throw Unhandled.LINE;
            }
            seen |= field;
            switch (field) {
                case 1 -> id = textOrJson(p, v);
                case 2 -> email = text(p, v);
                case 4 -> username = text(p, v);
                case 8 -> ip = text(p, v);
                case 16 -> segment = text(p, v);
                default -> {
                    if (data.containsKey(name) || (nullData != null && nullData.contains(name))) {
                        throw Unhandled.LINE;
                    }
                    if (v == JsonToken.VALUE_NULL) {
                        if (nullData == null) {
                            nullData = new HashSet<>();
                        }
                        nullData.add(name);
                    } else {
                        data.put(name, scrubber.userDataValue(name, textOrJson(p, v)));
                    }
                }
            }
        }
        UserInfo u = new UserInfo();
        u.setId(scrubber.pseudonym(id));
        u.setEmail(scrubber.pseudonym(email));
        u.setUsername(scrubber.pseudonym(username));
        u.setIpAddress(scrubber.pseudonym(ip));
        u.setSegment(scrubber.text(segment));
        u.setData(data);
        return u;
    }

    private SdkInfo sdk(JsonParser p, JsonToken t) throws IOException {
        if (t != JsonToken.START_OBJECT) {
            p.skipChildren();
            return null;
        }
        String name = null;
        String version = null;
        int seen = 0;
        for (String field = p.nextFieldName(); field != null; field = p.nextFieldName()) {
            JsonToken v = p.nextToken();
            int bit = field.equals("name") ? 1 : field.equals("version") ? 2 : 0;
            if ((seen & bit) != 0) {
                throw Unhandled.LINE;
            }
            seen |= bit;
            switch (bit) {
                case 1 -> name = scalarOrNull(p, v);
                case 2 -> version = scalarOrNull(p, v);
                default -> p.skipChildren();
            }
        }
        return name == null ? null : new SdkInfo(scrubber.text(name), scrubber.text(version));
    }

    private List<Breadcrumb> breadcrumbs(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            return List.of();
        }
        if (t == JsonToken.START_ARRAY) {
            return breadcrumbList(p);
        }
        if (t != JsonToken.START_OBJECT) {
            throw Unhandled.LINE;
        }
        List<Breadcrumb> values = null;
        for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
            JsonToken v = p.nextToken();
            if (!name.equals("values")) {
                p.skipChildren();
                continue;
            }
            if (values != null || v != JsonToken.START_ARRAY) {
                throw Unhandled.LINE; // a duplicate, or values that are no list ("must be a list")
            }
            values = breadcrumbList(p);
        }
        if (values == null) {
            throw Unhandled.LINE;
        }
        return values;
    }

    /** The source map images of {@code debug_meta}, as the tree mapper keeps them, scrubbed. */
    private List<DebugImage> debugImages(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            return List.of();
        }
        if (t != JsonToken.START_OBJECT) {
            throw Unhandled.LINE; // "must be an object"
        }
        List<DebugImage> images = List.of();
        boolean seen = false;
        for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
            JsonToken v = p.nextToken();
            if (!name.equals("images")) {
                p.skipChildren();
                continue;
            }
            if (seen || (v != JsonToken.START_ARRAY && v != JsonToken.VALUE_NULL)) {
                throw Unhandled.LINE; // a duplicate, or images that are no list
            }
            seen = true;
            if (v == JsonToken.START_ARRAY) {
                images = debugImageList(p);
            }
        }
        return images;
    }

    private List<DebugImage> debugImageList(JsonParser p) throws IOException {
        List<DebugImage> result = new ArrayList<>();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t != JsonToken.START_OBJECT || result.size() == SentryEventMapper.MAX_DEBUG_IMAGES) {
                p.skipChildren();
                continue;
            }
            String type = null;
            String codeFile = null;
            String debugId = null;
            int seen = 0;
            for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
                JsonToken v = p.nextToken();
                int field = IMAGE_FIELDS.of(name);
                if (field == 0) {
                    p.skipChildren();
                    continue;
                }
                if ((seen & field) != 0) {
                    throw Unhandled.LINE; // a tree keeps the last value
                }
                seen |= field;
                String value = scalarOrNull(p, v);
                switch (field) {
                    case 1 -> type = value;
                    case 2 -> codeFile = value;
                    default -> debugId = value;
                }
            }
            DebugImage image = SentryEventMapper.debugImage(type, codeFile, debugId);
            if (image != null) {
                image.setCodeFile(scrubber.text(image.getCodeFile()));
                result.add(image);
            }
        }
        return result;
    }

    /** The last {@link SentryEventMapper#MAX_BREADCRUMBS} entries, of which those that are objects. */
    private List<Breadcrumb> breadcrumbList(JsonParser p) throws IOException {
        List<Breadcrumb> all = new ArrayList<>();
        int lastUnreadable = -1;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t != JsonToken.START_OBJECT) {
                p.skipChildren();
                all.add(null); // dropped by the tree mapper too
                continue;
            }
            Breadcrumb crumb = breadcrumb(p);
            if (crumb == UNREADABLE) {
                lastUnreadable = all.size();
            }
            all.add(crumb);
        }
        int from = Math.max(0, all.size() - SentryEventMapper.MAX_BREADCRUMBS);
        if (lastUnreadable >= from) {
            throw Unhandled.LINE;
        }
        List<Breadcrumb> result = new ArrayList<>(all.size() - from);
        for (int i = from; i < all.size(); i++) {
            if (all.get(i) != null) {
                result.add(all.get(i));
            }
        }
        return result;
    }

    private static final Breadcrumb UNREADABLE = new Breadcrumb();

    /** A breadcrumb, or {@link #UNREADABLE} (having read all of it) when a field is not for this path. */
    private Breadcrumb breadcrumb(JsonParser p) throws IOException {
        Instant at = null;
        String type = null;
        String category = null;
        String level = null;
        String message = null;
        Map<String, String> data = Map.of();
        int seen = 0;
        boolean readable = true;
        for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
            JsonToken t = p.nextToken();
            int field = BREADCRUMB_FIELDS.of(name);
            if ((seen & field) != 0) {
                readable = false;
            }
            seen |= field;
            if (field == 0 || !readable) {
                p.skipChildren();
                continue;
            }
            switch (field) {
                case 1 -> at = breadcrumbTime(p, t);
                case 2 -> type = scalarOrNull(p, t);
                case 4 -> category = scalarOrNull(p, t);
                case 8 -> level = scalarOrNull(p, t);
                case 16 -> message = scalarOrNull(p, t);
                default -> {
                    data = crumbData(p, t);
                    readable = data != null;
                }
            }
        }
        if (!readable) {
            return UNREADABLE;
        }
        Breadcrumb b = new Breadcrumb();
        b.setTimestamp(at);
        b.setType(scrubber.text(type));
        b.setCategory(scrubber.text(category));
        b.setLevel(scrubber.text(level));
        b.setMessage(scrubber.text(message));
        b.setData(data);
        return b;
    }

    /**
     * A breadcrumb's data as the tree mapper keeps it, each value scrubbed; null (having read all
     * of it) when a key repeats: the tree keeps the last value in the first one's place, which the
     * tree path applies.
     */
    private Map<String, String> crumbData(JsonParser p, JsonToken t) throws IOException {
        if (t != JsonToken.START_OBJECT) {
            p.skipChildren();
            return Map.of();
        }
        Map<String, String> raw = null;
        Set<String> unkept = null; // keys of nulls and of values past the limit, to see repeats
        boolean repeated = false;
        for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
            JsonToken v = p.nextToken();
            if ((raw != null && raw.containsKey(name)) || (unkept != null && unkept.contains(name))) {
                repeated = true;
            }
            if (v == JsonToken.VALUE_NULL || (raw != null && raw.size() == Scrubber.MAX_CRUMB_DATA_KEYS)) {
                p.skipChildren();
                if (unkept == null) {
                    unkept = new HashSet<>();
                }
                unkept.add(name);
                continue;
            }
            if (raw == null) {
                raw = new LinkedHashMap<>();
            }
            raw.put(name, textOrJson(p, v));
        }
        if (repeated) {
            return null;
        }
        if (raw == null) {
            return Map.of();
        }
        // scrubbed once read whole: a repeat found later leaves the line to the tree path
        raw.replaceAll(scrubber::crumbDataValue);
        return raw;
    }

    private Instant breadcrumbTime(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
            return SentryEventMapper.epochSeconds(node(p).asDouble());
        }
        if (t == JsonToken.VALUE_STRING) {
            try {
                return SentryEventMapper.breadcrumbTime(SentryEventMapper.parseIso(p.getText()));
            } catch (DateTimeException e) {
                return null;
            }
        }
        p.skipChildren();
        return null;
    }

    /** Tags, headers, env: an object or a list of [key, value] pairs; values scrubbed by their key. */
    private Map<String, String> pairs(JsonParser p, JsonToken t) throws IOException {
        Map<String, String> map = new LinkedHashMap<>();
        if (t == JsonToken.VALUE_NULL) {
            return map;
        }
        if (t == JsonToken.START_OBJECT) {
            Set<String> nulls = null;
            for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
                JsonToken v = p.nextToken();
                if (map.containsKey(name) || (nulls != null && nulls.contains(name))) {
                    throw Unhandled.LINE;
                }
                if (v == JsonToken.VALUE_NULL) {
                    if (nulls == null) {
                        nulls = new HashSet<>();
                    }
                    nulls.add(name);
                } else {
                    map.put(name, scrubber.mapValue(name, textOrJson(p, v)));
                }
            }
            return map;
        }
        if (t != JsonToken.START_ARRAY) {
            throw Unhandled.LINE;
        }
        // pairs go into the map in order on both paths: a repeated key keeps its first place
        for (JsonToken pair = p.nextToken(); pair != JsonToken.END_ARRAY; pair = p.nextToken()) {
            if (pair != JsonToken.START_ARRAY || p.nextToken() != JsonToken.VALUE_STRING) {
                throw Unhandled.LINE; // "must be a [key, value] pair"
            }
            String key = p.getText();
            JsonToken v = p.nextToken();
            if (v == JsonToken.END_ARRAY) {
                throw Unhandled.LINE;
            }
            if (v != JsonToken.VALUE_NULL) {
                map.put(key, scrubber.mapValue(key, textOrJson(p, v)));
            }
            if (p.nextToken() != JsonToken.END_ARRAY) {
                throw Unhandled.LINE;
            }
        }
        return map;
    }

    /** Contexts, extra: each value as JSON text, scrubbed as JSON. */
    private Map<String, String> jsonValues(JsonParser p, JsonToken t) throws IOException {
        Map<String, String> map = new LinkedHashMap<>();
        if (t == JsonToken.VALUE_NULL) {
            return map;
        }
        if (t != JsonToken.START_OBJECT) {
            throw Unhandled.LINE;
        }
        for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
            p.nextToken();
            if (map.containsKey(name)) {
                throw Unhandled.LINE;
            }
            // the tree's own rendering of the value (quoting, numbers), then the scrubber's walk
            map.put(name, scrubber.jsonMapValue(name, node(p).toString()));
        }
        return map;
    }

    private List<String> stringList(JsonParser p, JsonToken t) throws IOException {
        List<String> list = new ArrayList<>();
        if (t == JsonToken.VALUE_NULL) {
            return list;
        }
        if (t != JsonToken.START_ARRAY) {
            throw Unhandled.LINE;
        }
        for (JsonToken v = p.nextToken(); v != JsonToken.END_ARRAY; v = p.nextToken()) {
            if (v == JsonToken.VALUE_NULL) {
                throw Unhandled.LINE; // "must be a list of strings"
            }
            list.add(scrubber.text(text(p, v)));
        }
        return list;
    }

    /**
     * A field read as the tree mapper's {@code textAt}: null for null, a string's text, another
     * scalar's text as the tree renders it; an object or a list is invalid.
     */
    private String text(JsonParser p, JsonToken t) throws IOException {
        return switch (t) {
            case VALUE_STRING -> p.getText();
            case VALUE_NULL -> null;
            case START_OBJECT, START_ARRAY -> throw Unhandled.LINE;
            default -> node(p).asText();
        };
    }

    /** The tree mapper's {@code textOf}: like {@link #text} but an object or a list is null. */
    private String scalarOrNull(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
            p.skipChildren();
            return null;
        }
        return text(p, t);
    }

    /** The tree mapper's {@code textOrJson}: a string's text, anything else as JSON. */
    private String textOrJson(JsonParser p, JsonToken t) throws IOException {
        return switch (t) {
            case VALUE_STRING -> p.getText();
            case VALUE_NULL -> null;
            default -> SentryEventMapper.textOrJson(node(p));
        };
    }

    /** The value at the parser as the tree path's node, for the rare values read through one. */
    private JsonNode node(JsonParser p) throws IOException {
        return json.readTree(p);
    }

    /** A boolean, or null for anything else (read past). */
    private static Boolean bool(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_TRUE) {
            return Boolean.TRUE;
        }
        if (t == JsonToken.VALUE_FALSE) {
            return Boolean.FALSE;
        }
        p.skipChildren();
        return null;
    }
}
