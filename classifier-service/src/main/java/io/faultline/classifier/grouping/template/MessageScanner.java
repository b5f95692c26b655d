package io.faultline.classifier.grouping.template;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a message into whitespace tokens and replaces the variable ones by {@link #WILDCARD}.
 * Hand-written (no regular expressions) because it runs once per message on the hot path.
 */
final class MessageScanner {

    static final String WILDCARD = "<*>";

    List<String> scan(String message) {
        List<String> out = new ArrayList<>();
        int n = message.length();
        int i = 0;
        while (i < n) {
            while (i < n && isSpace(message.charAt(i))) i++;
            if (i >= n) break;
            int start = i;
            while (i < n && !isSpace(message.charAt(i))) i++;
            emitToken(message, start, i, out);
        }
        return out;
    }

    private void emitToken(String s, int start, int end, List<String> out) {
        // padded labels such as "machine check enable..........0": a run of dots separates label from value
        for (int k = start; k + 1 < end; k++) {
            if (s.charAt(k) == '.' && s.charAt(k + 1) == '.') {
                int runEnd = k;
                while (runEnd < end && s.charAt(runEnd) == '.') runEnd++;
                if (k > start) emitToken(s, start, k, out);
                if (runEnd < end) emitToken(s, runEnd, end, out);
                else if (k == start) add(out, s.substring(start, end));
                return;
            }
        }
        add(out, mask(s, start, end));
    }

    private static void add(List<String> out, String token) {
        if (token == WILDCARD && !out.isEmpty() && out.get(out.size() - 1) == WILDCARD) return;
        out.add(token);
    }

    static String mask(String s, int start, int end) {
        int eq = -1;
        int colon = -1;
        boolean digit = false;
        boolean at = false;
        for (int k = start; k < end; k++) {
            char c = s.charAt(k);
            if (c >= '0' && c <= '9') digit = true;
            else if (c == '=' && eq < 0) eq = k;
            else if (c == ':' && colon < 0) colon = k;
            else if (c == '@') at = true;
        }
        if (colon > start && colon + 2 < end && s.charAt(colon + 1) == '/' && s.charAt(colon + 2) == '/') {
            return WILDCARD; // URL
        }
        if (eq > start) {
            // key=value: variable-looking values are masked; plain words stay as evidence (state=RUNNING)
            if (eq + 1 == end || isVariableValue(s, eq + 1, end)) return s.substring(start, eq + 1) + WILDCARD;
            return s.substring(start, end);
        }
        if (colon > start && colon + 1 < end && isWord(s, start, colon) && isVariable(s, colon + 1, end)) {
            return s.substring(start, colon + 1) + WILDCARD;
        }
        if (digit || at && isEmail(s, start, end)) return WILDCARD;
        if (isPath(s, start, end) || isDateWord(s, start, end) || isHostName(s, start, end) || isEmptyBrackets(s, start, end)) {
            return WILDCARD;
        }
        return s.substring(start, end);
    }

    /** Values after '=' are masked unless they are a plain word; dotted names, hosts, paths count as variable. */
    static boolean isVariableValue(String s, int start, int end) {
        for (int k = start; k < end; k++) {
            char c = s.charAt(k);
            if (c == '.' || c == '/' || c == ':' || c == '@') return true;
        }
        return isVariable(s, start, end);
    }

    static boolean isVariable(String s, int start, int end) {
        for (int k = start; k < end; k++) {
            char c = s.charAt(k);
            if (c >= '0' && c <= '9') return true;
        }
        return isPath(s, start, end) || isHostName(s, start, end);
    }

    /** An empty value between brackets or quotes, e.g. the unresolved host in {@code from 1.2.3.4 () at}. */
    private static boolean isEmptyBrackets(String s, int start, int end) {
        if (end - start != 2) return false;
        char a = s.charAt(start);
        char b = s.charAt(start + 1);
        return (a == '(' && b == ')') || (a == '[' && b == ']') || (a == '{' && b == '}') || (a == '\'' && b == '\'')
                || (a == '"' && b == '"') || (a == '<' && b == '>');
    }

    /**
     * A fully qualified host name: at least three lower-case labels, the last a 2-3 letter top-level domain
     * (names without digits escape the digit rule, e.g. {@code troi.example-tech.com}).
     */
    static boolean isHostName(String s, int start, int end) {
        while (start < end && !isLabelChar(s.charAt(start))) start++;
        while (end > start && !isLabelChar(s.charAt(end - 1))) end--;
        int dots = 0;
        int lastDot = -1;
        for (int k = start; k < end; k++) {
            char c = s.charAt(k);
            if (c == '.') {
                if (k == start || k == lastDot + 1) return false;
                dots++;
                lastDot = k;
            } else if (!isLabelChar(c)) {
                return false;
            }
        }
        int tld = end - lastDot - 1;
        if (dots < 2 || tld < 2 || tld > 3) return false;
        for (int k = lastDot + 1; k < end; k++) {
            if (s.charAt(k) < 'a' || s.charAt(k) > 'z') return false;
        }
        return true;
    }

    private static boolean isLabelChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    }

    private static boolean isWord(String s, int start, int end) {
        for (int k = start; k < end; k++) {
            char c = s.charAt(k);
            if (!Character.isLetter(c) && c != '_' && c != '-' && c != '.') return false;
        }
        return true;
    }

    private static boolean isEmail(String s, int start, int end) {
        int at = s.indexOf('@', start);
        return at > start && s.indexOf('.', at) > at && s.indexOf('.', at) < end - 1;
    }

    private static boolean isPath(String s, int start, int end) {
        char c = s.charAt(start);
        if (c == '/' || c == '\\') return end - start > 1;
        return end - start > 2 && Character.isLetter(c) && s.charAt(start + 1) == ':' && s.charAt(start + 2) == '\\';
    }

    private static final String[] DATE_WORDS = {
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Mon", "Tue", "Wed", "Thu",
        "Fri", "Sat", "Sun"
    };

    private static boolean isDateWord(String s, int start, int end) {
        if (end - start != 3) return false;
        for (String w : DATE_WORDS) {
            if (s.startsWith(w, start)) return true;
        }
        return false;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B;
    }
}
