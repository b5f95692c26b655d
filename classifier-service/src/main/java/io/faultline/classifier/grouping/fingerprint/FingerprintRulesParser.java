package io.faultline.classifier.grouping.fingerprint;

import io.faultline.schemas.rulefile.Glob;
import io.faultline.schemas.rulefile.RuleFault;
import io.faultline.schemas.rulefile.RuleNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads a rule file into {@link FingerprintRule}s. Every error points at the line, the rule and the
 * field an operator has to fix: the shared {@link RuleNode} remembers the line of every node.
 */
final class FingerprintRulesParser {

    private static final Set<String> RULE_KEYS = Set.of("id", "match", "fingerprint", "title");

    private final String source;

    private FingerprintRulesParser(String source) {
        this.source = source;
    }

    static List<FingerprintRule> parse(InputStream in, String source) {
        String text;
        try {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read fingerprint rules from " + source, e);
        }
        FingerprintRulesParser parser = new FingerprintRulesParser(source);
        return parser.rules(RuleNode.read(text, parser.inFile(text)));
    }

    /** Faults in the file itself; a YAML syntax error gets a hint for its most common cause. */
    private RuleFault.Reporter inFile(String text) {
        return f -> f.cause() == null
                ? inRule(0, null).report(f)
                : new InvalidFingerprintRulesException(
                        source, f.line(), 0, null, null, f.problem() + hint(text, f.line()), f.cause());
    }

    /** Faults of rule #{@code number} (0: none), whose {@code id} may be unknown yet. */
    private RuleFault.Reporter inRule(int number, String id) {
        return f -> error(f.line(), number, id, f.field().isEmpty() ? null : f.field(), f.problem());
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

    // ---- rules ---------------------------------------------------------------------------------

    private List<FingerprintRule> rules(RuleNode root) {
        if (root.isMissing()) {
            return List.of();
        }
        RuleNode list = root;
        if (root.isMapping()) {
            for (Map.Entry<String, RuleNode> entry : root.fields().entrySet()) {
                if (!entry.getKey().equals("rules")) {
                    throw entry.getValue().fault("unknown top-level key; expected 'rules'");
                }
            }
            list = root.get("rules");
            if (list.isAbsent()) {
                return List.of();
            }
        }
        if (!list.isList()) {
            throw error(list.line(), 0, null, "rules", "expected a list of rules");
        }
        List<FingerprintRule> rules = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        List<RuleNode> items = list.items();
        for (int i = 0; i < items.size(); i++) {
            RuleNode item = items.get(i);
            int number = i + 1;
            FingerprintRule rule;
            if (item.isValue()) {
                rule = new SentryRuleSyntax(this, item.text(), item.line(), number).rule();
            } else if (item.isMapping()) {
                rule = mappingRule(item, number);
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

    private FingerprintRule mappingRule(RuleNode item, int number) {
        String id = null;
        if (item.has("id")) {
            RuleNode idNode = item.within(inRule(number, null)).get("id");
            id = text(idNode, number, null, "id");
            if (id.isBlank()) {
                throw idNode.fault("an id must not be blank; leave it out to use the matchers");
            }
        }
        RuleNode rule = item.within(inRule(number, id)).mapping(RULE_KEYS);
        List<FingerprintRule.Matcher> matchers =
                rule.has("match") ? matchers(rule.get("match"), number, id) : List.of();
        if (matchers.isEmpty()) {
            throw error(rule.line(), number, id, "match", "a rule needs at least one matcher");
        }
        if (!rule.has("fingerprint")) {
            throw error(rule.line(), number, id, "fingerprint", "a rule needs a fingerprint");
        }
        List<String> fingerprint = fingerprint(rule.get("fingerprint"), number, id);
        String title = null;
        if (rule.has("title")) {
            RuleNode titleNode = rule.get("title");
            title = title(text(titleNode, number, id, "title"), titleNode.line(), number, id);
        }
        String effectiveId = id != null ? id : defaultId(matchers);
        return new FingerprintRule(effectiveId, matchers, fingerprint, title, source + ":" + rule.line());
    }

    private List<FingerprintRule.Matcher> matchers(RuleNode match, int number, String id) {
        if (!match.isMapping()) {
            throw match.fault("expected a mapping of matcher: glob");
        }
        List<FingerprintRule.Matcher> matchers = new ArrayList<>();
        for (Map.Entry<String, RuleNode> entry : match.fields().entrySet()) {
            boolean negated = entry.getKey().startsWith("!");
            String key = negated ? entry.getKey().substring(1) : entry.getKey();
            RuleNode value = entry.getValue();
            if (key.equals("tags")) {
                if (!value.isMapping()) {
                    throw value.fault("expected a mapping of tag name: glob");
                }
                for (Map.Entry<String, RuleNode> tag : value.fields().entrySet()) {
                    boolean tagNegated = negated != tag.getKey().startsWith("!");
                    String tagName = tag.getKey().startsWith("!") ? tag.getKey().substring(1) : tag.getKey();
                    matchers.add(matcher(FingerprintRule.Field.TAG, tagName, tag.getValue(), tagNegated, number, id));
                }
                continue;
            }
            if (key.startsWith("tags.") && key.length() > "tags.".length()) {
                matchers.add(matcher(FingerprintRule.Field.TAG, key.substring(5), value, negated, number, id));
                continue;
            }
            FingerprintRule.Field matched = FingerprintRule.Field.byName(key);
            if (matched == null || matched == FingerprintRule.Field.TAG) {
                throw value.fault("unknown matcher; expected one of " + FingerprintRule.Field.knownNames());
            }
            matchers.add(matcher(matched, null, value, negated, number, id));
        }
        return matchers;
    }

    private FingerprintRule.Matcher matcher(
            FingerprintRule.Field field, String tag, RuleNode value, boolean negated, int number, String id) {
        List<RuleNode> patterns = value.isList() ? value.items() : List.of(value);
        if (patterns.isEmpty()) {
            throw value.fault("expected at least one glob");
        }
        List<Glob> globs = new ArrayList<>();
        for (RuleNode pattern : patterns) {
            // an item's fault names the matcher, not its position in the list
            String text = text(pattern, number, id, value.path());
            if (text.isEmpty()) {
                throw error(
                        pattern.line(),
                        number,
                        id,
                        value.path(),
                        "an empty glob matches nothing; use \"*\" for anything");
            }
            globs.add(Glob.of(text, field.ignoreCase));
        }
        return new FingerprintRule.Matcher(field, tag, globs, negated);
    }

    private List<String> fingerprint(RuleNode value, int number, String id) {
        List<RuleNode> entries = value.isList() ? value.items() : List.of(value);
        if (entries.isEmpty()) {
            throw error(value.line(), number, id, "fingerprint", "expected at least one entry");
        }
        List<String> fingerprint = new ArrayList<>();
        for (RuleNode entry : entries) {
            if (entry.isMapping()) {
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

    private String text(RuleNode node, int number, String id, String field) {
        if (node.isValue()) {
            return node.text();
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
