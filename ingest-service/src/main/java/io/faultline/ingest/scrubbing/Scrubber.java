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

    private final List<String> keys;
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
        this.keys = List.copyOf(all);
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
        if (key == null) {
            return false;
        }
        String k = key.toLowerCase(Locale.ROOT);
        for (String s : keys) {
            if (k.contains(s)) {
                return true;
            }
        }
        return false;
    }

    /** Free text: key=value pairs, auth schemes, key blocks, card numbers and IBANs. */
    public String text(String s) {
        if (s == null || s.isEmpty()) {
            return s;
        }
        // Each pattern runs only where it could match: almost no text holds a secret, and the
        // key=value pattern backtracks at every position of the text it scans.
        String lower = s.toLowerCase(Locale.ROOT);
        String out = s;
        if (s.contains("-----BEGIN ")) {
            out = PRIVATE_KEY_BLOCK.matcher(out).replaceAll(FILTERED);
        }
        if (lower.contains("bearer")
                || lower.contains("basic")
                || lower.contains("digest")
                || lower.contains("token")) {
            out = TOKEN_SCHEME.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + " " + FILTERED));
        }
        if (containsKey(lower)) {
            out = keyValue.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + m.group(2) + FILTERED));
        }
        int digits = digits(out);
        if (digits >= 13) {
            out = replaceValid(CARD, out, Scrubber::luhn);
        }
        if (digits >= 2 && out.length() >= 15) {
            out = replaceValid(IBAN, out, Scrubber::iban);
        }
        return out;
    }

    private boolean containsKey(String lower) {
        for (String k : keys) {
            if (lower.contains(k)) {
                return true;
            }
        }
        return false;
    }

    private static int digits(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                n++;
            }
        }
        return n;
    }

    private Map<String, String> plainMap(Map<String, String> map) {
        Map<String, String> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(k, sensitiveKey(k) ? FILTERED : text(v)));
        return out;
    }

    /** Values that are JSON texts (extra, contexts): walked as JSON so nested keys are seen. */
    private Map<String, String> jsonMap(Map<String, String> map) {
        Map<String, String> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(k, sensitiveKey(k) ? quoted(FILTERED) : jsonOrText(v)));
        return out;
    }

    private String jsonOrText(String value) {
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

    private String pseudonym(String value) {
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
}
