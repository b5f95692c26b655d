package io.faultline.classifier.grouping.fingerprint;

import java.util.regex.Pattern;

/**
 * A glob as in Sentry's fingerprint rules: {@code *} any run of characters, {@code ?} one
 * character, a backslash escapes the next character; everything else is literal. The whole value
 * must match.
 */
public record Glob(String pattern, boolean ignoreCase, Pattern regex) {

    public static Glob of(String pattern, boolean ignoreCase) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\\' && i + 1 < pattern.length()) {
                regex.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
            } else if (c == '*') {
                regex.append(".*");
            } else if (c == '?') {
                regex.append('.');
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
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
