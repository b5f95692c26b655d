package io.faultline.classifier.grouping.template;

/**
 * Splits a message into whitespace tokens and masks the variable ones. Hand-written (no regular expressions) and
 * allocation-free: it records token boundaries and a mask kind into a reusable {@link ScannedMessage}, so a message
 * whose masked form was seen before costs a few passes over its characters and a hash lookup.
 *
 * <p>Masking rules, the single global configuration of the miner:
 *
 * <ul>
 *   <li>any token holding a digit (numbers, hex, UUIDs, IPs, ports, versions, times, ids such as {@code blk_-42});
 *   <li>URLs ({@code scheme://}), paths ({@code /a/b}, {@code C:\x}), e-mail addresses, DNS names
 *       ({@code mail.example.com}), quoted values ({@code 'users'}), month and weekday names;
 *   <li>{@code key=value}: the value, unless it is a plain word (an enumerated setting such as {@code user=root} or
 *       {@code state=RUNNING} stays literal) outside a printed record ({@code {id=7, name=alice}}) and other than
 *       {@code true}, {@code false}, {@code null}; {@code word:value} when the value holds a digit;
 *   <li>a size or duration unit right after a number, in symbols or words and around brackets ({@code 5.2 KB} vs
 *       {@code 93.0 B}, {@code 1,024 bytes (1.00 KB)}, {@code <1 sec}, {@code 4 days});
 *   <li>an empty bracket pair ({@code ()}), i.e. an absent value.
 * </ul>
 *
 * A run of two or more dots separates a padded label from its value ({@code enable..........0}). Consecutive masked
 * tokens collapse into one, so variable-length values (dates, lists of numbers) do not change the token count; so do
 * masked tokens right after a keyed value ({@code domains:node-[0\ 5]}), and a pair of tokens repeating the pair before
 * it with a value in it (a list of records, see {@link ScannedMessage#add}). Past {@link #MAX_TOKENS} the rest of the
 * message is one variable.
 */
final class MessageScanner {

    static final String WILDCARD = "<*>";

    /** Tokens kept per message; the rest of a longer message is masked as one variable. */
    static final int MAX_TOKENS = 256;

    void scan(String message, ScannedMessage out) {
        out.reset(message);
        char[] s = out.chars();
        int n = message.length();
        int i = 0;
        boolean previousWasNumber = false;
        while (i < n) {
            while (i < n && isSpace(s[i])) i++;
            if (i >= n) break;
            if (out.size() >= MAX_TOKENS - 1) {
                // a dump pasted into a message: its tail is one variable rather than a template thousands long
                out.add(i, n, ScannedMessage.WILDCARD, i);
                break;
            }
            int start = i;
            boolean digit = false;
            boolean numeric = true;
            boolean dotRun = false;
            for (char previous = ' '; i < n; i++) {
                char c = s[i];
                if (isSpace(c)) break;
                if (c >= '0' && c <= '9') digit = true;
                else if (c == '.') dotRun |= previous == '.';
                else if (numeric && c != ',' && c != '-' && c != '+') {
                    numeric = isNumberAffix(c, i == start, i + 1 == n || isSpace(s[i + 1]));
                }
                previous = c;
            }
            // "5.2 KB" vs "93.0 B": human-readable sizes and durations rescale their unit with the value
            if (previousWasNumber && isUnit(s, start, i)) {
                previousWasNumber = false;
                continue;
            }
            previousWasNumber = digit && numeric;
            if (dotRun) emitToken(s, start, i, out);
            else mask(s, start, i, out);
        }
    }

    /**
     * Brackets and bounds around a number ({@code (1.00}, {@code <1}, {@code ~5}, {@code 42%)}) leave it a number, so
     * that the unit after it is part of the value: "1,024 bytes (1.00 KB)" and "0 bytes" are one variable each.
     */
    private static boolean isNumberAffix(char c, boolean first, boolean last) {
        if (first) return c == '(' || c == '[' || c == '<' || c == '>' || c == '~';
        return last && (c == ')' || c == ']' || c == '%' || c == ';' || c == ':');
    }

    private static void emitToken(char[] s, int start, int end, ScannedMessage out) {
        for (int k = start; k + 1 < end; k++) {
            if (s[k] == '.' && s[k + 1] == '.') {
                int runEnd = k;
                while (runEnd < end && s[runEnd] == '.') runEnd++;
                if (k > start) emitToken(s, start, k, out);
                if (runEnd < end) emitToken(s, runEnd, end, out);
                else if (k == start) out.add(start, end, ScannedMessage.LITERAL, end);
                return;
            }
        }
        mask(s, start, end, out);
    }

    private static void mask(char[] s, int start, int end, ScannedMessage out) {
        int eq = -1;
        int colon = -1;
        boolean digit = false;
        boolean at = false;
        boolean dot = false;
        for (int k = start; k < end; k++) {
            char c = s[k];
            if (c >= '0' && c <= '9') digit = true;
            else if (c == '=' && eq < 0) eq = k;
            else if (c == ':' && colon < 0) colon = k;
            else if (c == '@') at = true;
            else if (c == '.') dot = true;
        }
        boolean url = colon > start && colon + 2 < end && s[colon + 1] == '/' && s[colon + 2] == '/';
        if (url || isPath(s, start, end)) {
            out.add(start, end, ScannedMessage.WILDCARD, start);
        } else if (eq > start) {
            if (eq + 1 == end || isVariableValue(s, eq + 1, end)) out.add(start, end, ScannedMessage.KEYED, eq + 1);
            else out.add(start, end, ScannedMessage.LITERAL, end);
        } else if (colon > start
                && colon + 1 < end
                && isWord(s, start, colon)
                && isVariable(s, colon + 1, end)
                && !isHostName(s, start, colon)) {
            out.add(start, end, ScannedMessage.KEYED, colon + 1);
        } else if (digit
                || (at && isEmail(s, start, end))
                || (dot && isHostName(s, start, end))
                || isDateWord(s, start, end)
                || isEmptyBrackets(s, start, end)
                || isQuoted(s, start, end)) {
            out.add(start, end, ScannedMessage.WILDCARD, start);
        } else {
            out.add(start, end, ScannedMessage.LITERAL, end);
        }
    }

    static boolean isVariableValue(char[] s, int start, int end) {
        char last = s[end - 1];
        // a field of a printed record ("{id=7, name=alice, admin=false}") is data, whatever it spells
        if (last == ',' || last == '}' || last == ']' || last == ';') return true;
        if (isLiteralValue(s, start, end)) return true;
        for (int k = start; k < end; k++) {
            char c = s[k];
            if (c == '.' || c == '/' || c == ':' || c == '@') return true;
        }
        return isVariable(s, start, end);
    }

    /** {@code true}, {@code false}, {@code null}: a flag's or a field's value, never the wording of an event. */
    private static boolean isLiteralValue(char[] s, int start, int end) {
        int len = end - start;
        return (len == 4 && (regionMatches(s, start, "true", 4) || regionMatches(s, start, "null", 4)))
                || (len == 5 && regionMatches(s, start, "false", 5));
    }

    static boolean isVariable(char[] s, int start, int end) {
        for (int k = start; k < end; k++) {
            char c = s[k];
            if (c >= '0' && c <= '9') return true;
        }
        return isPath(s, start, end);
    }

    /** A quoted value such as {@code 'users'} or {@code "orders".}: quoting marks a name or value, not prose. */
    private static boolean isQuoted(char[] s, int start, int end) {
        while (end - start > 2 && isTrailingPunctuation(s[end - 1])) end--;
        if (end - start < 3) return false;
        char q = s[start];
        return (q == '\'' || q == '"' || q == '`') && s[end - 1] == q;
    }

    private static boolean isTrailingPunctuation(char c) {
        return c == '.' || c == ',' || c == ';' || c == ':' || c == ')' || c == ']';
    }

    /** An empty value between brackets or quotes, e.g. the unresolved host in {@code from 1.2.3.4 () at}. */
    private static boolean isEmptyBrackets(char[] s, int start, int end) {
        if (end - start != 2) return false;
        char a = s[start];
        char b = s[start + 1];
        return (a == '(' && b == ')')
                || (a == '[' && b == ']')
                || (a == '{' && b == '}')
                || (a == '\'' && b == '\'')
                || (a == '"' && b == '"')
                || (a == '<' && b == '>');
    }

    private static boolean isWord(char[] s, int start, int end) {
        for (int k = start; k < end; k++) {
            char c = s[k];
            if (!Character.isLetter(c) && c != '_' && c != '-' && c != '.') return false;
        }
        return true;
    }

    private static boolean isEmail(char[] s, int start, int end) {
        int at = start;
        while (at < end && s[at] != '@') at++;
        if (at == start || at >= end) return false;
        for (int k = at + 2; k < end - 1; k++) {
            if (s[k] == '.') return true;
        }
        return false;
    }

    private static final String[] TOP_LEVEL_DOMAINS = {
        "com",
        "net",
        "org",
        "edu",
        "gov",
        "mil",
        "int",
        "io",
        "info",
        "biz",
        "cloud",
        "dev",
        "app",
        "local",
        "internal",
        "lan",
        "localdomain",
        "arpa"
    };

    /**
     * A DNS name ({@code mail.example.com}, {@code db-1.eu.internal:}): lower-case labels ending in a top-level
     * domain, a generic one, or a country's under a registry's second level ({@code co.uk}, {@code edu.hk}). Package names ({@code org.apache.hadoop})
     * end in a word instead, file names ({@code setup.py}) have one dot, and class names have capitals.
     */
    static boolean isHostName(char[] s, int start, int end) {
        while (end - start > 1 && isTrailingPunctuation(s[end - 1])) end--;
        int dots = 0;
        int lastDot = -1;
        for (int k = start; k < end; k++) {
            char c = s[k];
            if (c == '.') {
                if (k == start || k == lastDot + 1 || k + 1 == end) return false;
                dots++;
                lastDot = k;
            } else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
                return false;
            }
        }
        if (dots == 0) return false;
        int len = end - lastDot - 1;
        if (len == 2 && dots >= 2) {
            // a country domain counts under a registry's second level (co.uk, edu.hk, com.au): a bare two-letter end
            // is as often a property key (mapred.job.id)
            int label = lastDot - 1;
            while (s[label] != '.') label--;
            boolean registry = lastDot - label == 3
                    && (s[label + 1] == 'a' && s[label + 2] == 'c' || s[label + 1] == 'c' && s[label + 2] == 'o');
            return registry || isTopLevelDomain(s, label + 1, lastDot);
        }
        return isTopLevelDomain(s, lastDot + 1, end);
    }

    private static boolean isTopLevelDomain(char[] s, int start, int end) {
        for (String tld : TOP_LEVEL_DOMAINS) {
            if (tld.length() == end - start && regionMatches(s, start, tld, end - start)) return true;
        }
        return false;
    }

    private static boolean isPath(char[] s, int start, int end) {
        char c = s[start];
        if (c == '/' || c == '\\') return end - start > 1;
        return end - start > 2 && Character.isLetter(c) && s[start + 1] == ':' && s[start + 2] == '\\';
    }

    private static final String[] UNITS = {
        "B", "KB", "kB", "MB", "GB", "TB", "PB", "KiB", "MiB", "GiB", "TiB", "bytes", "byte", "ns", "us", "ms", "msec",
        "millis", "s", "sec", "secs", "second", "seconds", "min", "mins", "minute", "minutes", "h", "hour", "hours",
        "day", "days"
    };

    private static boolean isUnit(char[] s, int start, int end) {
        int len = end - start;
        if (len > 1 && (s[end - 1] == ',' || s[end - 1] == ')' || s[end - 1] == '.')) len--;
        for (String u : UNITS) {
            if (u.length() == len && regionMatches(s, start, u, u.length())) return true;
        }
        return false;
    }

    private static final String[] DATE_WORDS = {
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday"
    };

    /** Month and weekday names, full or as their three-letter abbreviation, capitalised, optionally with a comma. */
    private static boolean isDateWord(char[] s, int start, int end) {
        if (end - start > 3 && s[end - 1] == ',') end--;
        int len = end - start;
        if (len < 3 || len > 9 || !Character.isUpperCase(s[start])) return false;
        for (String w : DATE_WORDS) {
            if ((len == 3 || len == w.length()) && regionMatches(s, start, w, len)) return true;
        }
        return false;
    }

    private static boolean regionMatches(char[] s, int start, String w, int len) {
        for (int k = 0; k < len; k++) {
            if (s[start + k] != w.charAt(k)) return false;
        }
        return true;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B;
    }
}
