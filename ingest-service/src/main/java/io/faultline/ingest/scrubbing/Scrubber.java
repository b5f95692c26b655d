package io.faultline.ingest.scrubbing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.faultline.schemas.Breadcrumb;
import io.faultline.schemas.ErrorEvent;
import io.faultline.schemas.ExceptionValue;
import io.faultline.schemas.LogEntry;
import io.faultline.schemas.RequestInfo;
import io.faultline.schemas.StackFrame;
import io.faultline.schemas.UserInfo;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Removes secrets and personal data from an event before it leaves ingest, in the spirit of
 * Sentry's server-side data scrubbing: values under sensitive keys (passwords, tokens, auth and
 * cookie headers, ...) anywhere in the event, {@code key=value} pairs and bearer tokens inside
 * free text, Luhn-valid card numbers and mod-97-valid IBANs in every string. The replacement is
 * the visible marker {@value #FILTERED}, so a reader sees that something was there. User id,
 * email and IP become a keyed HMAC when a key is configured: still countable ("users affected"),
 * no longer readable.
 */
public final class Scrubber {

    public static final String FILTERED = "[Filtered]";

    static final List<String> DEFAULT_KEYS = List.of(
            "password",
            "passwd",
            "pwd",
            "secret",
            "api_key",
            "apikey",
            "api-key",
            "auth",
            "credentials",
            "token",
            "bearer",
            "private_key",
            "privatekey",
            "private-key",
            "private key",
            "session",
            "cookie",
            "csrf",
            "xsrf");

    private static final Pattern CARD = Pattern.compile("(?<![\\w])(?:\\d[ -]?){12,18}\\d(?![\\w])");
    private static final Pattern IBAN =
            Pattern.compile("(?<![A-Za-z0-9])[A-Z]{2}\\d{2}(?: ?[A-Z0-9]){11,30}(?![A-Za-z0-9])");
    private static final Pattern TOKEN_SCHEME =
            Pattern.compile("(?i)\\b(bearer|basic|digest|token)\\s+[A-Za-z0-9._~+/=:-]{6,}");
    private static final Pattern PRIVATE_KEY_BLOCK = Pattern.compile(
            "-----BEGIN [A-Z ]*PRIVATE KEY-----.*?(-----END [A-Z ]*PRIVATE KEY-----|$)", Pattern.DOTALL);

    private static final Words SCHEME_WORDS = new Words(List.of("bearer", "basic", "digest", "token"));

    private final Words keyWords;
    /** The key words and the scheme words together. */
    private final Words anyWords;

    private final Pattern keyValue;
    private final SecretKeySpec hmacKey;
    private final ObjectMapper json = new ObjectMapper();

    /**
     * @param extraKeys field names to scrub besides the defaults (substring match, any case)
     * @param userHmacKey the key to hash user id, email and IP with; null keeps them readable
     */
    public Scrubber(Collection<String> extraKeys, String userHmacKey) {
        List<String> all = new ArrayList<>(DEFAULT_KEYS);
        extraKeys.stream()
                .map(k -> k.trim().toLowerCase(Locale.ROOT))
                .filter(k -> !k.isEmpty())
                .forEach(all::add);
        this.keyWords = new Words(all);
        List<String> any = new ArrayList<>(all);
        any.addAll(SCHEME_WORDS.all);
        this.anyWords = new Words(any);
        String alternatives = String.join("|", all.stream().map(Pattern::quote).toList());
        // name=value, name: value, "name": "value" inside free text, query strings and form bodies
        this.keyValue = Pattern.compile("(?i)([\\w.\\-]*(?:" + alternatives + ")[\\w.\\-]*)(\"?\\s*[:=]\\s*\"?)"
                + "(?!\\[Filtered\\])([^\\s\"&,;}]+)");
        this.hmacKey = userHmacKey == null || userHmacKey.isBlank()
                ? null
                : new SecretKeySpec(userHmacKey.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    /**
     * Scrubs the event in place and returns it. In place because the event is ingest's own fresh
     * mapping, never shared; and because Avro's deep copy trips over Quarkus' split class loaders.
     */
    public ErrorEvent scrub(ErrorEvent e) {
        e.setMessage(text(e.getMessage()));
        e.setTransaction(text(e.getTransaction()));
        e.setServerName(text(e.getServerName()));
        LogEntry log = e.getLogentry();
        if (log != null) {
            log.setMessage(text(log.getMessage()));
            log.setFormatted(text(log.getFormatted()));
            log.setParams(log.getParams().stream().map(this::text).toList());
        }
        for (ExceptionValue x : e.getExceptions()) {
            x.setValue(text(x.getValue()));
            for (StackFrame f : x.getFrames()) {
                f.setContextLine(text(f.getContextLine()));
            }
        }
        for (Breadcrumb b : e.getBreadcrumbs()) {
            b.setMessage(text(b.getMessage()));
        }
        RequestInfo r = e.getRequest();
        if (r != null) {
            r.setUrl(text(r.getUrl()));
            r.setQueryString(jsonOrText(r.getQueryString()));
            r.setData(jsonOrText(r.getData()));
            r.setHeaders(plainMap(r.getHeaders()));
            r.setEnv(plainMap(r.getEnv()));
        }
        UserInfo u = e.getUser();
        if (u != null) {
            u.setId(pseudonym(u.getId()));
            u.setEmail(pseudonym(u.getEmail()));
            u.setIpAddress(pseudonym(u.getIpAddress()));
            u.setData(plainMap(u.getData()));
        }
        e.setTags(plainMap(e.getTags()));
        e.setExtra(jsonMap(e.getExtra()));
        e.setContexts(jsonMap(e.getContexts()));
        return e;
    }

    boolean sensitiveKey(String key) {
        return key != null && keyWords.foundIn(key);
    }

    /**
     * One value of a plain map (tags, headers, env, user data) as {@link #scrub} leaves it: the
     * marker under a sensitive key, else the text scrubbed. For mappers that scrub while they read.
     */
    public String mapValue(String key, String value) {
        return sensitiveKey(key) ? FILTERED : text(value);
    }

    /** One value of a map of JSON texts (extra, contexts) as {@link #scrub} leaves it. */
    public String jsonMapValue(String key, String jsonText) {
        return sensitiveKey(key) ? quoted(FILTERED) : jsonOrText(jsonText);
    }

    /** Free text: key=value pairs, auth schemes, key blocks, card numbers and IBANs. */
    public String text(String s) {
        if (s == null || s.isEmpty()) {
            return s;
        }
        // Each pattern runs only where a one-pass scan shows it could match: almost no text holds
        // a secret, and the patterns try every position of the text they scan (the key=value one
        // backtracking at each). The scans are supersets of the patterns, so a text they pass
        // over holds no match; ScrubberTest checks that against the patterns run unconditionally.
        String out = s;
        if (s.contains("-----BEGIN ")) {
            out = PRIVATE_KEY_BLOCK.matcher(out).replaceAll(FILTERED);
        }
        // one scan for both word lists: most texts hold neither
        if (anyWords.foundIn(out)) {
            if (SCHEME_WORDS.foundIn(out)) {
                out = TOKEN_SCHEME.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + " " + FILTERED));
            }
            if ((out.indexOf('=') >= 0 || out.indexOf(':') >= 0) && keyWords.foundIn(out)) {
                out = keyValue.matcher(out)
                        .replaceAll(m -> Matcher.quoteReplacement(m.group(1) + m.group(2) + FILTERED));
            }
        }
        if (longestDigitChain(out) >= 13) {
            out = replaceValid(CARD, out, Scrubber::luhn);
        }
        if (mayHoldIban(out)) {
            out = replaceValid(IBAN, out, Scrubber::iban);
        }
        return out;
    }

    /** Every pattern on every text: what {@link #text} must equal (for tests). */
    String textByPatternsOnly(String s) {
        if (s == null || s.isEmpty()) {
            return s;
        }
        String out = PRIVATE_KEY_BLOCK.matcher(s).replaceAll(FILTERED);
        out = TOKEN_SCHEME.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + " " + FILTERED));
        out = keyValue.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + m.group(2) + FILTERED));
        out = replaceValid(CARD, out, Scrubber::luhn);
        return replaceValid(IBAN, out, Scrubber::iban);
    }

    /**
     * The most digits in one chain where neighbours are at most one space or dash apart: a card
     * number ({@link #CARD}) needs 13.
     */
    static int longestDigitChain(String s) {
        int best = 0;
        int chain = 0;
        boolean afterDigit = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                chain++;
                best = Math.max(best, chain);
                afterDigit = true;
            } else if ((c == ' ' || c == '-') && afterDigit) {
                afterDigit = false;
            } else {
                chain = 0;
                afterDigit = false;
            }
        }
        return best;
    }

    /** Whether two capitals and two digits start a run long enough for {@link #IBAN}. */
    static boolean mayHoldIban(String s) {
        for (int i = 0; i + 15 <= s.length(); i++) {
            if (capital(s.charAt(i)) && capital(s.charAt(i + 1)) && digit(s.charAt(i + 2)) && digit(s.charAt(i + 3))) {
                return true;
            }
        }
        return false;
    }

    private static boolean capital(char c) {
        return c >= 'A' && c <= 'Z';
    }

    private static boolean digit(char c) {
        return c >= '0' && c <= '9';
    }

    private Map<String, String> plainMap(Map<String, String> map) {
        if (map.isEmpty()) {
            return map;
        }
        Map<String, String> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(k, mapValue(k, v)));
        return out;
    }

    /** Values that are JSON texts (extra, contexts): walked as JSON so nested keys are seen. */
    private Map<String, String> jsonMap(Map<String, String> map) {
        if (map.isEmpty()) {
            return map;
        }
        Map<String, String> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(k, jsonMapValue(k, v)));
        return out;
    }

    /** A value that may be JSON or text (a request's query string and data) as {@link #scrub} leaves it. */
    public String jsonOrText(String value) {
        if (value == null || value.isEmpty()) {
            return value;
        }
        char first = value.strip().isEmpty() ? ' ' : value.strip().charAt(0);
        if (first == '{' || first == '[' || first == '"') {
            try {
                JsonNode node = json.readTree(value);
                if (node != null) {
                    return json.writeValueAsString(walk(node));
                }
            } catch (Exception e) {
                // not JSON after all: scrub as text
            }
        }
        return text(value);
    }

    private JsonNode walk(JsonNode node) {
        if (node.isTextual()) {
            return TextNode.valueOf(text(node.asText()));
        }
        if (node.isArray()) {
            ArrayNode a = (ArrayNode) node;
            for (int i = 0; i < a.size(); i++) {
                a.set(i, walk(a.get(i)));
            }
            return a;
        }
        if (node.isObject()) {
            ObjectNode o = (ObjectNode) node;
            List<String> names = new ArrayList<>();
            for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
                names.add(it.next());
            }
            for (String name : names) {
                o.set(name, sensitiveKey(name) ? TextNode.valueOf(FILTERED) : walk(o.get(name)));
            }
            return o;
        }
        if (node.isNumber() && node.isIntegralNumber() && node.asText().length() >= 13) {
            String digits = node.asText();
            return luhn(digits) ? TextNode.valueOf(FILTERED) : node;
        }
        return node;
    }

    private String quoted(String s) {
        return "\"" + s + "\"";
    }

    /** A user's id, email or IP as {@link #scrub} leaves it: a keyed hash when a key is configured. */
    public String pseudonym(String value) {
        if (value == null || hmacKey == null) {
            return value;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(hmacKey);
            return "hmac:" + HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)), 0, 16);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private static String replaceValid(Pattern pattern, String s, java.util.function.Predicate<String> valid) {
        Matcher m = pattern.matcher(s);
        StringBuilder out = null;
        int last = 0;
        while (m.find()) {
            if (valid.test(m.group())) {
                if (out == null) {
                    out = new StringBuilder(s.length());
                }
                out.append(s, last, m.start()).append(FILTERED);
                last = m.end();
            }
        }
        if (out == null) {
            return s;
        }
        return out.append(s, last, s.length()).toString();
    }

    static boolean luhn(String candidate) {
        int sum = 0;
        int n = 0;
        for (int i = candidate.length() - 1; i >= 0; i--) {
            char c = candidate.charAt(i);
            if (c < '0' || c > '9') {
                continue;
            }
            int d = c - '0';
            if (n % 2 == 1) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            n++;
        }
        return n >= 13 && n <= 19 && sum % 10 == 0;
    }

    static boolean iban(String candidate) {
        String s = candidate.replace(" ", "");
        if (s.length() < 15 || s.length() > 34) {
            return false;
        }
        String rearranged = s.substring(4) + s.substring(0, 4);
        int mod = 0;
        for (int i = 0; i < rearranged.length(); i++) {
            char c = rearranged.charAt(i);
            int v = Character.isDigit(c) ? c - '0' : c - 'A' + 10;
            mod = (v < 10 ? mod * 10 + v : mod * 100 + v) % 97;
        }
        return mod == 1;
    }

    /**
     * Finds any of a few words in a text, ignoring case, in one pass without lower-casing the
     * text: only positions whose character can start a word are compared. Case is folded per
     * character, which accepts at least what the patterns' ASCII {@code (?i)} matches.
     */
    static final class Words {

        /** The words by their first character when that is ASCII (both cases), else in {@link #anywhere}. */
        private final String[][] byStart = new String[128][];

        /**
         * The ASCII pairs (lower case) that start a word: most positions whose character starts a
         * word are ruled out by the next one without comparing words ("s" is common, "se" less so).
         */
        private final boolean[] startPairs = new boolean[128 * 128];

        /** First characters of words that the pair check cannot rule out (one letter, non-ASCII second). */
        private final boolean[] unpaired = new boolean[128];

        private final List<String> anywhere;

        private final List<String> all;

        Words(List<String> words) {
            this.all = List.copyOf(words);
            List<String> anywhere = new ArrayList<>();
            for (String w : words) {
                char c = w.charAt(0);
                char lower = Character.toLowerCase(c);
                char upper = Character.toUpperCase(c);
                if (lower < 128 && upper < 128) {
                    add(lower, w);
                    if (upper != lower) {
                        add(upper, w);
                    }
                    char second = w.length() > 1 ? w.charAt(1) : 0;
                    if (second == 0 || Character.toLowerCase(second) >= 128 || Character.toUpperCase(second) >= 128) {
                        unpaired[lower] = true;
                        unpaired[upper] = true;
                    } else {
                        startPairs[asciiLower(lower) * 128 + asciiLower(Character.toLowerCase(second))] = true;
                    }
                } else {
                    anywhere.add(w);
                }
            }
            this.anywhere = List.copyOf(anywhere);
        }

        private static char asciiLower(char c) {
            return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
        }

        private void add(char start, String word) {
            String[] known = byStart[start];
            String[] more = known == null ? new String[1] : java.util.Arrays.copyOf(known, known.length + 1);
            more[more.length - 1] = word;
            byStart[start] = more;
        }

        boolean foundIn(String text) {
            int length = text.length();
            for (int i = 0; i < length; i++) {
                char c = text.charAt(i);
                String[] candidates = c < 128 ? byStart[c] : null;
                if (candidates != null && mayStartWord(c, text, i, length)) {
                    for (String w : candidates) {
                        if (text.regionMatches(true, i, w, 0, w.length())) {
                            return true;
                        }
                    }
                }
                // a non-ASCII character may fold to an ASCII one; a word may start non-ASCII
                if (c >= 128 || !anywhere.isEmpty()) {
                    for (String w : c >= 128 ? all : anywhere) {
                        if (text.regionMatches(true, i, w, 0, w.length())) {
                            return true;
                        }
                    }
                }
            }
            return false;
        }

        /**
         * Whether a word may start at {@code i}, whose ASCII character starts one: false when the
         * next character is ASCII and no word starts with the pair. An ASCII character matches
         * only its ASCII case variants ignoring case; a non-ASCII one may fold to anything.
         */
        private boolean mayStartWord(char c, String text, int i, int length) {
            if (unpaired[c] || i + 1 >= length) {
                return true; // at the end: the comparison is short and rare
            }
            char next = text.charAt(i + 1);
            return next >= 128 || startPairs[asciiLower(c) * 128 + asciiLower(next)];
        }
    }
}
