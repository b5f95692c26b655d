package io.faultline.schemas.rulefile;

import java.util.regex.Pattern;

/**
 * A shell-style pattern as operators write it in rule files: {@code *} any run of characters,
 * {@code ?} one character, a backslash escapes the next character; everything else is literal and
 * the whole value must match. Globs rather than regular expressions because an operator writes
 * route names and type names, and {@code *} and {@code ?} read the same in every file (Sentry's
 * fingerprint rules use this syntax too).
 *
 * <p>{@link #matches} runs in time proportional to the value's length times the pattern's, never
 * more: the values come from clients, and a regular expression of the same glob ({@code .*a.*a.*b}
 * for {@code *a*a*b}) backtracks polynomially in the number of stars on a value that nearly matches.
 */
public final class Glob {

    /** A pattern element: a literal character, or one of these two. */
    private static final int ANY_ONE = -1;

    private static final int ANY_RUN = -2;

    private final String pattern;
    private final boolean ignoreCase;
    private final int[] elements;

    private Glob(String pattern, boolean ignoreCase, int[] elements) {
        this.pattern = pattern;
        this.ignoreCase = ignoreCase;
        this.elements = elements;
    }

    public static Glob of(String pattern) {
        return of(pattern, false);
    }

    public static Glob of(String pattern, boolean ignoreCase) {
        int[] elements = new int[pattern.length()];
        int n = 0;
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\\' && i + 1 < pattern.length()) {
                elements[n++] = fold(pattern.charAt(++i), ignoreCase);
            } else if (c == '*') {
                if (n == 0 || elements[n - 1] != ANY_RUN) { // ** is *
                    elements[n++] = ANY_RUN;
                }
            } else if (c == '?') {
                elements[n++] = ANY_ONE;
            } else {
                elements[n++] = fold(c, ignoreCase);
            }
        }
        return new Glob(pattern, ignoreCase, java.util.Arrays.copyOf(elements, n));
    }

    public String pattern() {
        return pattern;
    }

    public boolean ignoreCase() {
        return ignoreCase;
    }

    /** The same pattern as a regular expression, for callers that combine it with others. */
    public Pattern regex() {
        StringBuilder regex = new StringBuilder();
        for (int e : elements) {
            regex.append(e == ANY_RUN ? ".*" : e == ANY_ONE ? "." : Pattern.quote(String.valueOf((char) e)));
        }
        int flags = Pattern.DOTALL | (ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0);
        return Pattern.compile(regex.toString(), flags);
    }

    /**
     * Whether the whole value matches. Greedy with one resume point, the last star: on a mismatch
     * the star takes one more character and the rest is tried again from there, which is all a
     * later star could need (it would only take characters an earlier one leaves).
     */
    public boolean matches(String value) {
        if (value == null) {
            return false;
        }
        int v = 0;
        int p = 0;
        int starAt = -1;
        int resumeAt = 0;
        while (v < value.length()) {
            if (p < elements.length
                    && elements[p] != ANY_RUN
                    && (elements[p] == ANY_ONE || elements[p] == fold(value.charAt(v), ignoreCase))) {
                v++;
                p++;
            } else if (p < elements.length && elements[p] == ANY_RUN) {
                starAt = p++;
                resumeAt = v;
            } else if (starAt >= 0) {
                p = starAt + 1;
                v = ++resumeAt;
            } else {
                return false;
            }
        }
        while (p < elements.length && elements[p] == ANY_RUN) {
            p++;
        }
        return p == elements.length;
    }

    private static int fold(char c, boolean ignoreCase) {
        return ignoreCase ? Character.toLowerCase(Character.toUpperCase(c)) : c;
    }

    @Override
    public String toString() {
        return pattern;
    }
}
