package io.faultline.classifier.grouping.fingerprint;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads a rule file into {@link FingerprintRule}s. The file is first read into a small tree that
 * remembers the line of every node (Jackson's own trees forget it), so that each error can point at
 * the line, the rule and the field an operator has to fix.
 */
final class FingerprintRulesParser {

    private static final YAMLFactory YAML = new YAMLFactory();
    private static final Set<String> RULE_KEYS = Set.of("id", "match", "fingerprint", "title");

    private final String source;

    private FingerprintRulesParser(String source) {
        this.source = source;
    }

    static List<FingerprintRule> parse(InputStream in, String source) {
        return new FingerprintRulesParser(source).rules(readTree(in, source));
    }

    // ---- a located tree ------------------------------------------------------------------------

    sealed interface Node permits Scalar, Mapping, Sequence {
        int line();
    }

    /** @param text null for a YAML null */
    record Scalar(String text, int line) implements Node {}

    record Entry(String key, int line, Node value) {}

    record Mapping(List<Entry> entries, int line) implements Node {}

    record Sequence(List<Node> items, int line) implements Node {}

    private static Node readTree(InputStream in, String source) {
        String text;
        try {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read fingerprint rules from " + source, e);
        }
        try (JsonParser parser = YAML.createParser(text)) {
            if (parser.nextToken() == null) {
                return null;
            }
            return readNode(parser, source);
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new InvalidFingerprintRulesException(
                    source,
                    line,
                    0,
                    null,
                    null,
                    "not valid YAML or JSON: " + e.getOriginalMessage() + hint(text, line),
                    e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read fingerprint rules from " + source, e);
        }
    }

    /** The most common mistake gets named: YAML reads an unquoted {{ default }} as a nested mapping. */
    private static String hint(String text, int line) {
        List<String> lines = text.lines().toList();
        if (line < 1 || line > lines.size()) {
            return "";
        }
        String offending = lines.get(line - 1);
        boolean unquotedVariable =
                offending.contains("{{") && !offending.contains("\"{{") && !offending.contains("'{{");
        return unquotedVariable ? " (quote variables: \"{{ default }}\"; unquoted braces are a YAML mapping)" : "";
    }

    private static Node readNode(JsonParser parser, String source) throws IOException {
        int line = parser.currentTokenLocation().getLineNr();
        JsonToken token = parser.currentToken();
        if (token == JsonToken.START_OBJECT) {
            List<Entry> entries = new ArrayList<>();
            Set<String> keys = new HashSet<>();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String key = parser.currentName();
                int keyLine = parser.currentTokenLocation().getLineNr();
                if (!keys.add(key)) {
                    throw new InvalidFingerprintRulesException(
                            source, keyLine, 0, null, key, "the key appears twice in the same mapping", null);
                }
                parser.nextToken();
                entries.add(new Entry(key, keyLine, readNode(parser, source)));
            }
            return new Mapping(List.copyOf(entries), line);
        }
        if (token == JsonToken.START_ARRAY) {
            List<Node> items = new ArrayList<>();
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                items.add(readNode(parser, source));
            }
            return new Sequence(List.copyOf(items), line);
        }
        return new Scalar(token == JsonToken.VALUE_NULL ? null : parser.getText(), line);
    }

    // ---- rules ---------------------------------------------------------------------------------

    private List<FingerprintRule> rules(Node root) {
        if (root == null) {
            return List.of();
        }
        Node list = root;
        if (root instanceof Mapping mapping) {
            list = null;
            for (Entry entry : mapping.entries()) {
                if (!entry.key().equals("rules")) {
                    throw error(entry.line(), 0, null, entry.key(), "unknown top-level key; expected 'rules'");
                }
                list = entry.value();
            }
            if (list == null || (list instanceof Scalar scalar && scalar.text() == null)) {
                return List.of();
            }
        }
        if (!(list instanceof Sequence sequence)) {
            throw error(list.line(), 0, null, "rules", "expected a list of rules");
        }
        List<FingerprintRule> rules = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < sequence.items().size(); i++) {
            Node item = sequence.items().get(i);
            int number = i + 1;
            FingerprintRule rule;
            if (item instanceof Scalar scalar && scalar.text() != null) {
                rule = new SentryRuleSyntax(this, scalar.text(), scalar.line(), number).rule();
            } else if (item instanceof Mapping mapping) {
                rule = mappingRule(mapping, number);
            } else {
                throw error(item.line(), number, null, null, "a rule is a mapping or one line of Sentry rule syntax");
            }
            if (!ids.add(rule.id())) {
                throw error(item.line(), number, rule.id(), "id", "another rule already has this id");
            }
            rules.add(rule);
        }
        return List.copyOf(rules);
    }

    private FingerprintRule mappingRule(Mapping rule, int number) {
        String id = null;
        for (Entry entry : rule.entries()) {
            if (entry.key().equals("id")) {
                id = text(entry.value(), number, null, "id");
                if (id.isBlank()) {
                    throw error(
                            entry.line(),
                            number,
                            null,
                            "id",
                            "an id must not be blank; leave it out to use the matchers");
                }
            }
        }
        List<FingerprintRule.Matcher> matchers = null;
        List<String> fingerprint = null;
        String title = null;
        for (Entry entry : rule.entries()) {
            switch (entry.key()) {
                case "id" -> {}
                case "match" -> matchers = matchers(entry, number, id);
                case "fingerprint" -> fingerprint = fingerprint(entry.value(), number, id);
                case "title" -> title = title(text(entry.value(), number, id, "title"), entry.line(), number, id);
                default -> throw error(
                        entry.line(),
                        number,
                        id,
                        entry.key(),
                        "unknown field; expected one of "
                                + RULE_KEYS.stream().sorted().collect(Collectors.joining(", ")));
            }
        }
        if (matchers == null || matchers.isEmpty()) {
            throw error(rule.line(), number, id, "match", "a rule needs at least one matcher");
        }
        if (fingerprint == null) {
            throw error(rule.line(), number, id, "fingerprint", "a rule needs a fingerprint");
        }
        String effectiveId = id != null ? id : defaultId(matchers);
        return new FingerprintRule(effectiveId, matchers, fingerprint, title, source + ":" + rule.line());
    }

    private List<FingerprintRule.Matcher> matchers(Entry match, int number, String id) {
        if (!(match.value() instanceof Mapping mapping)) {
            throw error(match.value().line(), number, id, "match", "expected a mapping of matcher: glob");
        }
        List<FingerprintRule.Matcher> matchers = new ArrayList<>();
        for (Entry entry : mapping.entries()) {
            boolean negated = entry.key().startsWith("!");
            String key = negated ? entry.key().substring(1) : entry.key();
            String field = "match." + entry.key();
            if (key.equals("tags")) {
                if (!(entry.value() instanceof Mapping tags)) {
                    throw error(entry.line(), number, id, field, "expected a mapping of tag name: glob");
                }
                for (Entry tag : tags.entries()) {
                    boolean tagNegated = negated != tag.key().startsWith("!");
                    String tagName = tag.key().startsWith("!") ? tag.key().substring(1) : tag.key();
                    matchers.add(matcher(
                            FingerprintRule.Field.TAG,
                            tagName,
                            tag.value(),
                            tagNegated,
                            number,
                            id,
                            field + "." + tag.key()));
                }
                continue;
            }
            if (key.startsWith("tags.") && key.length() > "tags.".length()) {
                matchers.add(matcher(
                        FingerprintRule.Field.TAG, key.substring(5), entry.value(), negated, number, id, field));
                continue;
            }
            FingerprintRule.Field matched = FingerprintRule.Field.byName(key);
            if (matched == null || matched == FingerprintRule.Field.TAG) {
                throw error(
                        entry.line(),
                        number,
                        id,
                        field,
                        "unknown matcher; expected one of " + FingerprintRule.Field.knownNames());
            }
            matchers.add(matcher(matched, null, entry.value(), negated, number, id, field));
        }
        return matchers;
    }

    private FingerprintRule.Matcher matcher(
            FingerprintRule.Field field, String tag, Node value, boolean negated, int number, String id, String name) {
        List<Node> patterns = value instanceof Sequence sequence ? sequence.items() : List.of(value);
        if (patterns.isEmpty()) {
            throw error(value.line(), number, id, name, "expected at least one glob");
        }
        List<Glob> globs = new ArrayList<>();
        for (Node pattern : patterns) {
            String text = text(pattern, number, id, name);
            if (text.isEmpty()) {
                throw error(pattern.line(), number, id, name, "an empty glob matches nothing; use \"*\" for anything");
            }
            globs.add(Glob.of(text, field.ignoreCase));
        }
        return new FingerprintRule.Matcher(field, tag, globs, negated);
    }

    private List<String> fingerprint(Node value, int number, String id) {
        List<Node> entries = value instanceof Sequence sequence ? sequence.items() : List.of(value);
        if (entries.isEmpty()) {
            throw error(value.line(), number, id, "fingerprint", "expected at least one entry");
        }
        List<String> fingerprint = new ArrayList<>();
        for (Node entry : entries) {
            if (entry instanceof Mapping) {
                throw error(
                        entry.line(),
                        number,
                        id,
                        "fingerprint",
                        "an entry must be text; quote variables (\"{{ default }}\"), unquoted braces are a YAML mapping");
            }
            String text = text(entry, number, id, "fingerprint");
            fingerprint.add(fingerprintEntry(text, entry.line(), number, id));
        }
        return List.copyOf(fingerprint);
    }

    String fingerprintEntry(String text, int line, int number, String id) {
        if (text.isBlank()) {
            throw error(line, number, id, "fingerprint", "an entry must not be blank");
        }
        var variable = FingerprintVariables.variableIn(text);
        if (variable.isPresent() && !FingerprintVariables.isKnown(variable.get())) {
            throw error(line, number, id, "fingerprint", unknownVariable(variable.get()));
        }
        if (variable.isEmpty() && text.contains("{{")) {
            throw error(
                    line,
                    number,
                    id,
                    "fingerprint",
                    "a variable must be a whole entry, e.g. \"{{ type }}\", not part of '" + text + "'");
        }
        return text;
    }

    String title(String title, int line, int number, String id) {
        for (String variable : FingerprintVariables.variablesMentioned(title)) {
            if (!FingerprintVariables.isKnown(variable) || variable.equals(FingerprintVariables.DEFAULT)) {
                throw error(line, number, id, "title", unknownVariable(variable));
            }
        }
        return title;
    }

    private static String unknownVariable(String name) {
        return "unknown variable {{ " + name + " }}; known: "
                + FingerprintVariables.NAMES.stream().sorted().collect(Collectors.joining(", "))
                + ", tags.<name>";
    }

    private String text(Node node, int number, String id, String field) {
        if (node instanceof Scalar scalar && scalar.text() != null) {
            return scalar.text();
        }
        throw error(node.line(), number, id, field, "expected text");
    }

    static String defaultId(List<FingerprintRule.Matcher> matchers) {
        return matchers.stream().map(FingerprintRule.Matcher::toString).collect(Collectors.joining(" "));
    }

    String source() {
        return source;
    }

    InvalidFingerprintRulesException error(int line, int number, String id, String field, String problem) {
        return new InvalidFingerprintRulesException(source, line, number, id, field, problem, null);
    }
}
