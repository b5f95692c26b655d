package io.faultline.schemas.rulefile;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One node of a rule file (YAML, or JSON which is YAML too) that knows where it is: its line and
 * its path within the current scope, so that every typed read fails with an error naming the field,
 * worded by the parser's {@link RuleFault.Reporter}. The services' hand-edited files (runbooks,
 * classification rules, fingerprint rules, workflows) are all read through it, strictly: a key
 * written twice, an unknown field or a value of the wrong type is an error, never a criterion
 * silently ignored. A parser enters a scope ({@link #within}) for each entry it reports on by name,
 * e.g. one runbook, and paths restart there.
 *
 * <p>Jackson's own trees forget where a node was, so the file is read token by token into a tree
 * that remembers the line of every key and value, and the Jackson tree is kept alongside for values
 * that are passed on whole.
 */
public final class RuleNode {

    private static final YAMLFactory YAML = new YAMLFactory();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

    /** The largest count of a duration's unit: nine digits. */
    private static final long MAX_DURATION_COUNT = 999_999_999L;

    /** A node as read, with its line; for a field's value, the line of its key. */
    private record Located(JsonNode json, int line, Map<String, Located> fields, List<Located> items) {}

    private final Located at;
    private final int line;
    private final String path;
    private final RuleFault.Reporter reporter;

    private RuleNode(Located at, int line, String path, RuleFault.Reporter reporter) {
        this.at = at;
        this.line = line;
        this.path = path;
        this.reporter = reporter;
    }

    /**
     * Reads a whole file. An empty file (or one of comments only) is a missing root.
     *
     * @param reporter words the faults found in the text itself (not YAML, a key written twice)
     */
    public static RuleNode read(String text, RuleFault.Reporter reporter) {
        try (JsonParser parser = YAML.createParser(text)) {
            if (parser.nextToken() == null) {
                return new RuleNode(null, 0, "", reporter);
            }
            Located root = read(parser, "", parser.currentTokenLocation().getLineNr(), reporter);
            return new RuleNode(root, root.line(), "", reporter);
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw reporter.report(new RuleFault("", line, "not valid YAML or JSON: " + e.getOriginalMessage(), e));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a String cannot fail to be read
        }
    }

    private static Located read(JsonParser parser, String path, int line, RuleFault.Reporter reporter)
            throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.START_OBJECT) {
            ObjectNode json = NODES.objectNode();
            Map<String, Located> fields = new LinkedHashMap<>();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String key = parser.currentName();
                int keyLine = parser.currentTokenLocation().getLineNr();
                String keyPath = join(path, key);
                if (fields.containsKey(key)) {
                    // the second value would silently replace the first
                    throw reporter.report(
                            new RuleFault(keyPath, keyLine, "the key appears twice in the same mapping", null));
                }
                parser.nextToken();
                Located value = read(parser, keyPath, keyLine, reporter);
                fields.put(key, value);
                json.set(key, value.json());
            }
            return new Located(json, line, Collections.unmodifiableMap(fields), List.of());
        }
        if (token == JsonToken.START_ARRAY) {
            ArrayNode json = NODES.arrayNode();
            List<Located> items = new ArrayList<>();
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                Located item = read(
                        parser,
                        path + "[" + items.size() + "]",
                        parser.currentTokenLocation().getLineNr(),
                        reporter);
                items.add(item);
                json.add(item.json());
            }
            return new Located(json, line, Map.of(), List.copyOf(items));
        }
        return new Located(scalar(parser, token), line, Map.of(), List.of());
    }

    /** The value as {@code ObjectMapper.readTree} would type it. */
    private static JsonNode scalar(JsonParser parser, JsonToken token) throws IOException {
        return switch (token) {
            case VALUE_NULL -> NullNode.getInstance();
            case VALUE_TRUE -> BooleanNode.TRUE;
            case VALUE_FALSE -> BooleanNode.FALSE;
            case VALUE_NUMBER_INT -> switch (parser.getNumberType()) {
                case INT -> IntNode.valueOf(parser.getIntValue());
                case LONG -> LongNode.valueOf(parser.getLongValue());
                default -> BigIntegerNode.valueOf(parser.getBigIntegerValue());
            };
            case VALUE_NUMBER_FLOAT -> DoubleNode.valueOf(parser.getDoubleValue());
            default -> TextNode.valueOf(parser.getText());
        };
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    // ---- where -------------------------------------------------------------------------------

    /** This node as a new scope: its faults go to {@code reporter}, and paths restart from it. */
    public RuleNode within(RuleFault.Reporter reporter) {
        return new RuleNode(at, line, "", reporter);
    }

    /** The path within the current scope, "" for the scope itself. */
    public String path() {
        return path;
    }

    /** 1-based line of the node, or of its parent when the node is missing; 0 for an empty file. */
    public int line() {
        return line;
    }

    /** The fault of this node, for the caller to throw. */
    public RuntimeException fault(String problem) {
        return reporter.report(new RuleFault(path, line, problem, null));
    }

    // ---- shape -------------------------------------------------------------------------------

    /** The Jackson tree of this node; a missing node when absent from the file. */
    public JsonNode json() {
        return at == null ? MissingNode.getInstance() : at.json();
    }

    public boolean isMissing() {
        return at == null;
    }

    /** Missing, or written as YAML's null ({@code key:} with nothing after it). */
    public boolean isAbsent() {
        return at == null || at.json().isNull();
    }

    public boolean isMapping() {
        return at != null && at.json().isObject();
    }

    public boolean isList() {
        return at != null && at.json().isArray();
    }

    /** A single value that is not null: text, number or boolean. */
    public boolean isValue() {
        return at != null && at.json().isValueNode() && !at.json().isNull();
    }

    public boolean has(String key) {
        return at != null && at.fields().containsKey(key);
    }

    /** The field {@code key}, missing (with this node's line) if this is not a mapping or lacks it. */
    public RuleNode get(String key) {
        Located child = at == null ? null : at.fields().get(key);
        return new RuleNode(child, child == null ? line : child.line(), join(path, key), reporter);
    }

    /** This mapping, after checking that it holds no field outside {@code allowed}. */
    public RuleNode mapping(Collection<String> allowed) {
        if (!isMapping()) {
            throw fault("must be a mapping");
        }
        for (String key : at.fields().keySet()) {
            if (!allowed.contains(key)) {
                throw get(key).fault(
                                "unknown field (expected one of: " + String.join(", ", new TreeSet<>(allowed)) + ")");
            }
        }
        return this;
    }

    /** The fields of a mapping in file order; none when absent. */
    public Map<String, RuleNode> fields() {
        if (isAbsent()) {
            return Map.of();
        }
        if (!isMapping()) {
            throw fault("must be a mapping");
        }
        Map<String, RuleNode> fields = new LinkedHashMap<>();
        for (String key : at.fields().keySet()) {
            fields.put(key, get(key));
        }
        return fields;
    }

    /** The items of a list; none when absent. */
    public List<RuleNode> items() {
        if (isAbsent()) {
            return List.of();
        }
        if (!isList()) {
            throw fault("must be a list");
        }
        List<RuleNode> items = new ArrayList<>(at.items().size());
        for (int i = 0; i < at.items().size(); i++) {
            Located item = at.items().get(i);
            items.add(new RuleNode(item, item.line(), path + "[" + i + "]", reporter));
        }
        return items;
    }

    // ---- typed values ------------------------------------------------------------------------

    /** A single value as text (a number or boolean as written), null when absent. */
    public String text() {
        if (isAbsent()) {
            return null;
        }
        if (!isValue()) {
            throw fault("must be a single value");
        }
        return at.json().asText();
    }

    public String text(String fallback) {
        String text = text();
        return text == null ? fallback : text;
    }

    /** {@link #text()}, which must be there and not blank. */
    public String requiredText() {
        String text = text();
        if (text == null || text.isBlank()) {
            throw fault("is required");
        }
        return text;
    }

    /**
     * Text written as text (not a number or boolean), there and not blank: what names an entry
     * in error messages, such as a rule's id.
     */
    public String requiredString() {
        if (!isValue() || !at.json().isTextual() || at.json().asText().isBlank()) {
            throw fault("is required (a non-empty string)");
        }
        return at.json().asText();
    }

    /** A single value or a list of them, as text; none when absent. */
    public List<String> texts() {
        if (isAbsent()) {
            return List.of();
        }
        if (isValue()) {
            return List.of(at.json().asText());
        }
        if (!isList()) {
            throw fault("must be a value or a list of values");
        }
        List<String> texts = new ArrayList<>();
        for (RuleNode item : items()) {
            if (!item.isValue()) {
                throw item.fault("must be a single value");
            }
            texts.add(item.text());
        }
        return texts;
    }

    public boolean bool(boolean fallback) {
        if (isAbsent()) {
            return fallback;
        }
        if (!at.json().isBoolean()) {
            throw fault("must be true or false");
        }
        return at.json().booleanValue();
    }

    public int integer(int fallback) {
        if (isAbsent()) {
            return fallback;
        }
        if (!at.json().isIntegralNumber() || !at.json().canConvertToInt()) {
            throw fault("must be a whole number");
        }
        return at.json().intValue();
    }

    public double number(double fallback) {
        if (isAbsent()) {
            return fallback;
        }
        if (!at.json().isNumber()) {
            throw fault("must be a number");
        }
        return at.json().doubleValue();
    }

    public double requiredNumber() {
        if (isAbsent()) {
            throw fault("is required (a number)");
        }
        return number(0);
    }

    /**
     * A duration: a whole number of seconds, or a whole number with a unit ({@code 500ms},
     * {@code 10s}, {@code 5m}, {@code 1h}). Never negative.
     */
    public Duration duration(Duration fallback) {
        if (isAbsent()) {
            return fallback;
        }
        JsonNode v = at.json();
        if (v.isIntegralNumber()) {
            if (v.bigIntegerValue().signum() < 0) {
                // a negative window would judge an empty stretch and always pass
                throw fault("must not be negative");
            }
            if (!v.canConvertToLong() || v.longValue() > MAX_DURATION_COUNT) {
                throw fault("'" + v.asText() + "' is too long a duration (at most " + MAX_DURATION_COUNT + ")");
            }
            return Duration.ofSeconds(v.longValue());
        }
        Matcher m = DURATION.matcher(v.asText().trim());
        if (!v.isTextual() || !m.matches()) {
            throw fault("'" + v.asText() + "' is not a duration (e.g. 500ms, 10s, 5m, 1h)");
        }
        // at most nine digits: no unit overflows a Duration, nor a long of milliseconds, with them
        if (m.group(1).length() > 9) {
            throw fault("'" + v.asText() + "' is too long a duration (at most " + MAX_DURATION_COUNT + " of a unit)");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }

    /** A regular expression, which must be there and compile. */
    public Pattern regex(int flags) {
        String regex = requiredText();
        try {
            return Pattern.compile(regex, flags);
        } catch (PatternSyntaxException e) {
            throw fault("invalid regular expression: " + e.getDescription() + " near index " + e.getIndex() + " in '"
                    + regex + "'");
        }
    }

    /** A {@link Glob}, which must be there and not blank. */
    public Glob glob(boolean ignoreCase) {
        return Glob.of(requiredText(), ignoreCase);
    }

    /** A glob or a list of them ({@link #texts()}); none when absent. */
    public List<Glob> globs(boolean ignoreCase) {
        return texts().stream().map(g -> Glob.of(g, ignoreCase)).toList();
    }
}
