package io.faultline.schemas.rulefile;

import java.util.regex.Pattern;

/**
 * A shell-style pattern as operators write it in rule files: {@code *} any run of characters,
 * {@code ?} one character, a backslash escapes the next character; everything else is literal and
 * the whole value must match. Globs rather than regular expressions because an operator writes
 * route names and type names, and {@code *} and {@code ?} read the same in every file (Sentry's
 * fingerprint rules use this syntax too).
 */
public record Glob(String pattern, boolean ignoreCase, Pattern regex) {

    public static Glob of(String pattern) {
        return of(pattern, false);
    }

    public static Glob of(String pattern, boolean ignoreCase) {
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\\' && i + 1 < pattern.length()) {
                literal.append(pattern.charAt(++i));
            } else if (c == '*' || c == '?') {
                if (!literal.isEmpty()) {
                    regex.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                regex.append(c == '*' ? ".*" : ".");
            } else {
                literal.append(c);
            }
        }
        if (!literal.isEmpty()) {
            regex.append(Pattern.quote(literal.toString()));
        }
        int flags = Pattern.DOTALL | (ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0);
        return new Glob(pattern, ignoreCase, Pattern.compile(regex.toString(), flags));
    }

    public boolean matches(String value) {
        return value != null && regex.matcher(value).matches();
    }

    @Override
    public String toString() {
        return pattern;
    }
}
