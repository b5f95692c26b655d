package io.faultline.classifier.grouping.fingerprint;

import io.faultline.schemas.rulefile.Glob;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One rule in Sentry's fingerprint-rule syntax, so rules copied from a Sentry project keep working:
 *
 * <pre>
 * error.type:DatabaseUnavailable -> system-down
 * !stack.module:"com.example.health.*" error.value:"*timed out*" -> timeout, {{ default }} title="Timeout"
 * </pre>
 *
 * Matchers are {@code [!]key:value} (value quoted when it holds spaces), then {@code ->}, the
 * comma-separated fingerprint, then optional {@code title="..."} and {@code id="..."} attributes.
 */
final class SentryRuleSyntax {

    private static final Pattern ATTRIBUTE = Pattern.compile("\\G([A-Za-z_]+)=");

    private final FingerprintRulesParser parser;
    private final String text;
    private final int line;
    private final int number;
    private int pos;

    SentryRuleSyntax(FingerprintRulesParser parser, String text, int line, int number) {
        this.parser = parser;
        this.text = text;
        this.line = line;
        this.number = number;
    }

    FingerprintRule rule() {
        if (!text.contains("->")) {
            throw error("expression", "missing '->' between the matchers and the fingerprint in '" + text + "'");
        }
        List<FingerprintRule.Matcher> matchers = new ArrayList<>();
        skipSpaces();
        while (!text.startsWith("->", pos)) {
            if (pos >= text.length()) {
                throw error("expression", "missing '->' between the matchers and the fingerprint in '" + text + "'");
            }
            matchers.add(matcher());
            skipSpaces();
        }
        if (matchers.isEmpty()) {
            throw error("expression", "a rule needs at least one matcher before '->'");
        }
        String matcherText = text.substring(0, pos).strip().replaceAll("\\s+", " ");
        pos += 2;
        List<String> fingerprint = new ArrayList<>();
        String title = null;
        String id = null;
        skipSpaces();
        while (pos < text.length()) {
            Matcher attribute = ATTRIBUTE.matcher(text);
            if (attribute.find(pos) && attribute.start() == pos) {
                String name = attribute.group(1);
                pos = attribute.end();
                if (pos >= text.length() || text.charAt(pos) != '"') {
                    throw error(name, "expected a quoted value after " + name + "=");
                }
                String value = quoted(name);
                switch (name) {
                    case "title" -> title = parser.title(value, line, number, id);
                    case "id" -> id = value;
                    default -> throw error(name, "unknown attribute; expected title or id");
                }
            } else if (title != null || id != null) {
                throw error("fingerprint", "the fingerprint must come before the attributes");
            } else {
                fingerprint.add(parser.fingerprintEntry(fingerprintValue(), line, number, id));
                skipSpaces();
                if (pos < text.length() && text.charAt(pos) == ',') {
                    pos++;
                }
            }
            skipSpaces();
        }
        if (fingerprint.isEmpty()) {
            throw error("fingerprint", "a rule needs a fingerprint after '->'");
        }
        // as written, so an operator finds the rule behind "rule=..." by searching the file
        String effectiveId = id != null ? id : matcherText;
        return new FingerprintRule(effectiveId, matchers, fingerprint, title, parser.source() + ":" + line);
    }

    private FingerprintRule.Matcher matcher() {
        boolean negated = text.charAt(pos) == '!';
        if (negated) {
            pos++;
        }
        int start = pos;
        while (pos < text.length() && text.charAt(pos) != ':' && !Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
        String key = text.substring(start, pos);
        if (pos >= text.length() || text.charAt(pos) != ':') {
            throw error("matcher '" + key + "'", "expected key:value");
        }
        pos++;
        String field = "matcher '" + key + "'";
        String value = pos < text.length() && text.charAt(pos) == '"' ? quoted(field) : bare();
        if (value.isEmpty()) {
            throw error(field, "an empty glob matches nothing; use \"*\" for anything");
        }
        if (key.startsWith("tags.") && key.length() > "tags.".length()) {
            return new FingerprintRule.Matcher(
                    FingerprintRule.Field.TAG, key.substring(5), List.of(Glob.of(value, false)), negated);
        }
        FingerprintRule.Field matched = FingerprintRule.Field.byName(key);
        if (matched == null || matched == FingerprintRule.Field.TAG) {
            throw error(field, "unknown matcher; expected one of " + FingerprintRule.Field.knownNames());
        }
        return new FingerprintRule.Matcher(matched, null, List.of(Glob.of(value, matched.ignoreCase)), negated);
    }

    private String fingerprintValue() {
        if (text.charAt(pos) == '"') {
            return quoted("fingerprint");
        }
        if (text.startsWith("{{", pos)) {
            int end = text.indexOf("}}", pos);
            if (end < 0) {
                throw error("fingerprint", "unclosed '{{' in '" + text.substring(pos) + "'");
            }
            String variable = text.substring(pos, end + 2);
            pos = end + 2;
            return variable;
        }
        int start = pos;
        while (pos < text.length() && text.charAt(pos) != ',' && !Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
        return text.substring(start, pos);
    }

    private String bare() {
        int start = pos;
        while (pos < text.length() && !Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
        return text.substring(start, pos);
    }

    /** A double-quoted string; a backslash escapes the next character. */
    private String quoted(String field) {
        StringBuilder value = new StringBuilder();
        pos++;
        while (pos < text.length()) {
            char c = text.charAt(pos++);
            if (c == '"') {
                return value.toString();
            }
            if (c == '\\' && pos < text.length()) {
                char escaped = text.charAt(pos++);
                // keep glob escapes (\*, \?) for the glob; unescape quotes and backslashes only
                if (escaped != '"' && escaped != '\\') {
                    value.append('\\');
                }
                value.append(escaped);
            } else {
                value.append(c);
            }
        }
        throw error(field, "unclosed quote");
    }

    private void skipSpaces() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private InvalidFingerprintRulesException error(String field, String problem) {
        return parser.error(line, number, null, field, problem);
    }
}
