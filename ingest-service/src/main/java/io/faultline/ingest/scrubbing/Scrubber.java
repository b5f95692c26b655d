package io.faultline.ingest.scrubbing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.faultline.schemas.Breadcrumb;
import io.faultline.schemas.DebugImage;
import io.faultline.schemas.ErrorEvent;
import io.faultline.schemas.ExceptionValue;
import io.faultline.schemas.LogEntry;
import io.faultline.schemas.Mechanism;
import io.faultline.schemas.RequestInfo;
import io.faultline.schemas.SdkInfo;
import io.faultline.schemas.StackFrame;
import io.faultline.schemas.UserInfo;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Removes secrets and personal data from an event before it leaves ingest, in the spirit of
 * Sentry's server-side data scrubbing: values under sensitive keys (passwords, tokens, auth and
 * cookie headers, ...) anywhere in the event; in every string, {@code key=value} pairs and bearer
 * tokens, private key blocks, cloud and service credentials that announce themselves by their
 * shape (AWS, Google, Slack, GitHub, Stripe, JWTs), Luhn-valid card numbers and mod-97-valid
 * IBANs; and the same inside percent-encoded and base64-wrapped text. The replacement is the
 * visible marker {@value #FILTERED}, so a reader sees that something was there. User id, email,
 * user name and IP become a keyed HMAC: still countable ("users affected"), no longer readable.
 *
 * <p>Every detector is a hand-written scan that looks at each character a bounded number of times,
 * so a text costs time linear in its length whatever it holds. Regular expressions were quadratic
 * here: the key=value pattern tried every start position of a long word and ran to its end from
 * each (16k letters before {@code password=1} took 3.4 s, on the event loop).
 */
public final class Scrubber {

    public static final String FILTERED = "[Filtered]";

    static final List<String> DEFAULT_KEYS = List.of(
            "password",
            "passwd",
            "pwd",
            "passphrase",
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
            "xsrf",
            // Azure storage and service bus connection strings
            "accountkey",
            "sharedaccesskey");

    /**
     * Names that are sensitive only as the whole name: the signature of an Azure SAS token or a
     * presigned URL, where a substring match would also take "signal" and "design".
     */
    static final Set<String> EXACT_KEYS = Set.of("sig", "signature", "x-amz-signature", "x-goog-signature");

    /** Keys of user data that name a person: hashed like the user's id and email. */
    static final Set<String> PERSONAL_USER_DATA = Set.of(
            "name",
            "full_name",
            "fullname",
            "first_name",
            "last_name",
            "username",
            "user_name",
            "email",
            "e-mail",
            "mail",
            "phone",
            "ip",
            "ip_address");

    /** Nested encodings followed: a base64 text inside a percent-encoded one is the deepest seen. */
    private static final int MAX_DEPTH = 2;

    /** Characters of one base64 token decoded at most: the start of a longer one tells enough. */
    private static final int MAX_BASE64 = 64 * 1024;

    /** Shorter base64 tokens are ordinary words as often as not, and hold no secret worth a scan. */
    private static final int MIN_BASE64 = 16;

    private static final Words SCHEME_WORDS = new Words(List.of("bearer", "basic", "digest", "token"));

    /** What may stand shortly before an AWS secret access key: its name or its access key id. */
    private static final Words AWS_CONTEXT = new Words(
            List.of("aws", "secret", "akia", "asia", "agpa", "aida", "aroa", "aipa", "anpa", "anva", "abia", "acca"));

    private static final String[] AWS_KEY_PREFIXES = {
        "AKIA", "ASIA", "AGPA", "AIDA", "AROA", "AIPA", "ANPA", "ANVA", "ABIA", "ACCA"
    };

    private final Words keyWords;
    /** The key words, the exact keys and the scheme words together: a text without any skips two scans. */
    private final Words anyWords;
    /** Key words that hold a character a key cannot ("private key"): found by looking back from the separator. */
    private final List<String> spacedKeys;

    private final SecretKeySpec hmacKey;
    private final boolean everyScan;
    private final ThreadLocal<Mac> macs;
    private final ObjectMapper json = new ObjectMapper();

    /**
     * @param extraKeys field names to scrub besides the defaults (substring match, any case)
     * @param userHmacKey the key to hash user fields with; null keeps them readable (tests only:
     *     the intake always has one)
     */
    public Scrubber(Collection<String> extraKeys, String userHmacKey) {
        this(
                userHmacKey == null || userHmacKey.isBlank() ? null : userHmacKey.getBytes(StandardCharsets.UTF_8),
                extraKeys);
    }

    /** A scrubber that hashes user fields with a key of raw bytes (a generated one). */
    public static Scrubber withUserKey(Collection<String> extraKeys, byte[] userHmacKey) {
        return new Scrubber(java.util.Objects.requireNonNull(userHmacKey), extraKeys);
    }

    /** A scrubber that runs every scan whatever a text's {@link #shape} (for tests). */
    static Scrubber withEveryScan(Collection<String> extraKeys, String userHmacKey) {
        return new Scrubber(userHmacKey.getBytes(StandardCharsets.UTF_8), extraKeys, true);
    }

    private Scrubber(byte[] userHmacKey, Collection<String> extraKeys) {
        this(userHmacKey, extraKeys, false);
    }

    private Scrubber(byte[] userHmacKey, Collection<String> extraKeys, boolean everyScan) {
        this.everyScan = everyScan;
        List<String> all = new ArrayList<>(DEFAULT_KEYS);
        extraKeys.stream()
                .map(k -> k.trim().toLowerCase(Locale.ROOT))
                .filter(k -> !k.isEmpty())
                .forEach(all::add);
        this.keyWords = new Words(all);
        List<String> any = new ArrayList<>(all);
        any.addAll(SCHEME_WORDS.all);
        any.addAll(EXACT_KEYS);
        this.anyWords = new Words(any);
        this.spacedKeys = all.stream()
                .filter(k -> k.chars().anyMatch(c -> !keyChar((char) c)))
                .toList();
        this.hmacKey = userHmacKey == null ? null : new SecretKeySpec(userHmacKey, "HmacSHA256");
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    /**
     * Scrubs the event in place and returns it. In place because the event is ingest's own fresh
     * mapping, never shared; and because Avro's deep copy trips over Quarkus' split class loaders.
     * Every string of the event is looked at: SDKs put whatever they have into any of them.
     */
    public ErrorEvent scrub(ErrorEvent e) {
        e.setPlatform(text(e.getPlatform()));
        e.setLogger(text(e.getLogger()));
        e.setMessage(text(e.getMessage()));
        e.setTransaction(text(e.getTransaction()));
        e.setServerName(text(e.getServerName()));
        e.setRelease(text(e.getRelease()));
        e.setEnvironment(text(e.getEnvironment()));
        LogEntry log = e.getLogentry();
        if (log != null) {
            log.setMessage(text(log.getMessage()));
            log.setFormatted(text(log.getFormatted()));
            log.setParams(texts(log.getParams()));
        }
        for (ExceptionValue x : e.getExceptions()) {
            x.setType(text(x.getType()));
            x.setValue(text(x.getValue()));
            x.setModule(text(x.getModule()));
            x.setThreadId(text(x.getThreadId()));
            Mechanism m = x.getMechanism();
            if (m != null) {
                m.setType(text(m.getType()));
            }
            for (StackFrame f : x.getFrames()) {
                f.setFilename(text(f.getFilename()));
                f.setAbsPath(text(f.getAbsPath()));
                f.setModule(text(f.getModule()));
                f.setFunction(text(f.getFunction()));
                f.setContextLine(text(f.getContextLine()));
            }
        }
        for (Breadcrumb b : e.getBreadcrumbs()) {
            b.setType(text(b.getType()));
            b.setCategory(text(b.getCategory()));
            b.setLevel(text(b.getLevel()));
            b.setMessage(text(b.getMessage()));
            b.setData(crumbData(b.getData()));
        }
        for (DebugImage d : e.getDebugImages()) {
            d.setCodeFile(text(d.getCodeFile())); // scrubbed as the frames' absPath, so they still match
        }
        RequestInfo r = e.getRequest();
        if (r != null) {
            r.setUrl(text(r.getUrl()));
            r.setMethod(text(r.getMethod()));
            r.setQueryString(jsonOrText(r.getQueryString()));
            r.setData(jsonOrText(r.getData()));
            r.setHeaders(plainMap(r.getHeaders()));
            r.setEnv(plainMap(r.getEnv()));
        }
        UserInfo u = e.getUser();
        if (u != null) {
            u.setId(pseudonym(u.getId()));
            u.setEmail(pseudonym(u.getEmail()));
            u.setUsername(pseudonym(u.getUsername()));
            u.setIpAddress(pseudonym(u.getIpAddress()));
            u.setSegment(text(u.getSegment()));
            u.setData(userData(u.getData()));
        }
        SdkInfo sdk = e.getSdk();
        if (sdk != null) {
            sdk.setName(text(sdk.getName()));
            sdk.setVersion(text(sdk.getVersion()));
        }
        e.setFingerprint(texts(e.getFingerprint()));
        e.setTags(plainMap(e.getTags()));
        e.setExtra(jsonMap(e.getExtra()));
        e.setContexts(jsonMap(e.getContexts()));
        return e;
    }

    /** Keys kept of one breadcrumb's data: an http crumb has a handful, more is an SDK dumping state. */
    public static final int MAX_CRUMB_DATA_KEYS = 20;

    /** Characters kept of one breadcrumb data value (a URL, a serialized object); the rest becomes "…". */
    public static final int MAX_CRUMB_DATA_VALUE = 1024;

    boolean sensitiveKey(String key) {
        return key != null && (keyWords.foundIn(key) || EXACT_KEYS.contains(key.toLowerCase(Locale.ROOT)));
    }

    /**
     * One value of a plain map (tags, headers, env) as {@link #scrub} leaves it: the marker under a
     * sensitive key, else the text scrubbed. For mappers that scrub while they read.
     */
    public String mapValue(String key, String value) {
        return sensitiveKey(key) ? FILTERED : text(value);
    }

    /** One value of a user's data as {@link #scrub} leaves it: a person's name or address hashed. */
    public String userDataValue(String key, String value) {
        if (key != null && PERSONAL_USER_DATA.contains(key.toLowerCase(Locale.ROOT))) {
            return pseudonym(value);
        }
        return mapValue(key, value);
    }

    /** One value of a map of JSON texts (extra, contexts) as {@link #scrub} leaves it. */
    public String jsonMapValue(String key, String jsonText) {
        return sensitiveKey(key) ? quoted(FILTERED) : jsonOrText(jsonText);
    }

    /**
     * One value of a breadcrumb's data as {@link #scrub} leaves it: scrubbed as extra's are (a
     * value may be a URL, a token or an object as JSON), then clipped to {@link
     * #MAX_CRUMB_DATA_VALUE} characters. Clipped after scrubbing, so a cut never hides a secret.
     */
    public String crumbDataValue(String key, String value) {
        String scrubbed = sensitiveKey(key) ? FILTERED : jsonOrText(value);
        if (scrubbed == null || scrubbed.length() <= MAX_CRUMB_DATA_VALUE) {
            return scrubbed;
        }
        int end = MAX_CRUMB_DATA_VALUE;
        if (Character.isHighSurrogate(scrubbed.charAt(end - 1))) {
            end--; // never half a code point: PostgreSQL text cannot hold it
        }
        return scrubbed.substring(0, end) + "\u2026";
    }

    private Map<String, String> crumbData(Map<String, String> map) {
        if (map == null || map.isEmpty()) {
            return map;
        }
        Map<String, String> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(k, crumbDataValue(k, v)));
        return out;
    }

    /**
     * Free text: key=value pairs, auth schemes, key blocks, credentials, card numbers and IBANs,
     * also where they are percent-encoded or base64-wrapped.
     */
    public String text(String s) {
        return text(s, false);
    }

    private String text(String s, boolean form) {
        if (s == null || s.isEmpty()) {
            return s;
        }
        Spans found = scan(s, 0, form, null);
        return found == null ? s : found.replace(s);
    }

    /**
     * The spans of {@code s} that hold a secret, added to {@code found} (null until one is found:
     * almost no text holds a secret, and those that do not allocate nothing).
     *
     * @param form whether {@code +} stands for a space (query strings and form bodies)
     */
    private Spans scan(String s, int depth, boolean form, Spans found) {
        int shape = everyScan ? -1 : shape(s);
        found = privateKeyBlocks(s, found);
        if ((shape & (SEPARATOR | SPACE)) != 0 && anyWords.foundIn(s, 0, s.length())) {
            if ((shape & SPACE) != 0 && SCHEME_WORDS.foundIn(s, 0, s.length())) {
                found = schemeTokens(s, found);
            }
            if ((shape & SEPARATOR) != 0) {
                found = keyValues(s, found);
            }
        }
        if ((shape & CARD) != 0) {
            found = cardNumbers(s, found);
        }
        if ((shape & IBAN) != 0) {
            found = ibans(s, found);
        }
        if ((shape & CREDENTIAL) != 0) {
            found = credentials(s, found);
        }
        if ((shape & BASE64) != 0) {
            found = base64Runs(s, depth, found);
        }
        if ((shape & ESCAPE) != 0 && depth < MAX_DEPTH) {
            found = percentEncoded(s, depth, form, found);
        }
        return found;
    }

    static final int SEPARATOR = 1;
    static final int SPACE = 2;
    static final int CARD = 4;
    static final int IBAN = 8;
    static final int BASE64 = 16;
    static final int ESCAPE = 32;
    static final int CREDENTIAL = 64;

    /** The first two characters of the tokens {@link #credentials} knows. */
    private static boolean credentialStart(char c, char next) {
        return switch (c) {
            case 'A' -> "KSGIRNBC".indexOf(next) >= 0;
            case 'x' -> next == 'o';
            case 'g' -> next == 'h' || next == 'i';
            case 's', 'r' -> next == 'k';
            case 'w', 'h' -> next == 'h' || next == 'o';
            case 'e' -> next == 'y';
            default -> false;
        };
    }

    /**
     * What one pass over the text shows a detector needs before it can match, so that most texts
     * (a function name, an environment) skip most scans: a {@code =} or {@code :} (key=value), a
     * space (auth schemes), 13 digits in a chain where neighbours are at most one space or dash
     * apart (cards), two capitals and two digits with room for an IBAN after them, a run of 16
     * base64 characters, a {@code %} or {@code +} (percent-encoding), the start of a token whose
     * prefix names its issuer.
     */
    static int shape(String s) {
        int flags = 0;
        int n = s.length();
        int chain = 0;
        boolean afterDigit = false;
        int run = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (digit(c)) {
                if (++chain >= 13) {
                    flags |= CARD;
                }
                afterDigit = true;
                if (i >= 3
                        && i + 12 <= n
                        && digit(s.charAt(i - 1))
                        && capital(s.charAt(i - 2))
                        && capital(s.charAt(i - 3))) {
                    flags |= IBAN;
                }
            } else if ((c == ' ' || c == '-') && afterDigit) {
                afterDigit = false;
            } else {
                chain = 0;
                afterDigit = false;
            }
            if (base64Char(c)) {
                if (++run >= MIN_BASE64) {
                    flags |= BASE64;
                }
            } else {
                run = 0;
            }
            if (i + 10 <= n && (i == 0 || !alnum(s.charAt(i - 1))) && credentialStart(c, s.charAt(i + 1))) {
                flags |= CREDENTIAL;
            }
            if (c == '=' || c == ':') {
                flags |= SEPARATOR;
            } else if (space(c)) {
                flags |= SPACE;
            } else if (c == '%' || c == '+') {
                flags |= ESCAPE;
            }
        }
        return flags;
    }

    // ---- private key blocks -----------------------------------------------------------------

    /**
     * {@code -----BEGIN ... PRIVATE KEY-----} to its END line, or to the end of the text when the
     * END is missing (a truncated key is still a key). Each search starts past the last one's
     * find, and a label is at most 80 characters: every character is looked at a few times.
     */
    private static Spans privateKeyBlocks(String s, Spans found) {
        int from = 0;
        while (true) {
            int begin = s.indexOf("-----BEGIN ", from);
            if (begin < 0) {
                return found;
            }
            int close = s.indexOf("-----", begin + 11);
            if (close < 0) {
                return found;
            }
            if (!privateKeyLabel(s, begin + 11, close)) {
                from = begin + 11;
                continue;
            }
            int end = endOfKeyBlock(s, close + 5);
            found = Spans.add(found, begin, end);
            if (end >= s.length()) {
                return found;
            }
            from = end;
        }
    }

    private static int endOfKeyBlock(String s, int from) {
        while (true) {
            int end = s.indexOf("-----END ", from);
            if (end < 0) {
                return s.length();
            }
            int close = s.indexOf("-----", end + 9);
            if (close < 0) {
                return s.length();
            }
            if (privateKeyLabel(s, end + 9, close)) {
                return close + 5;
            }
            from = end + 9;
        }
    }

    /** "RSA PRIVATE KEY", "PRIVATE KEY", "PGP PRIVATE KEY BLOCK": capitals and spaces naming a private key. */
    private static boolean privateKeyLabel(String s, int from, int to) {
        if (to - from > 80 || to - from < 11) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c != ' ' && !capital(c)) {
                return false;
            }
        }
        int at = s.indexOf("PRIVATE KEY", from);
        return at >= 0 && at + 11 <= to;
    }

    // ---- auth schemes and key=value ---------------------------------------------------------

    /** {@code Bearer <token>}, {@code Basic}, {@code Digest}, {@code token}: the token filtered, the scheme kept. */
    private static Spans schemeTokens(String s, Spans found) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = (char) (s.charAt(i) | 0x20);
            if (c != 'b' && c != 'd' && c != 't' || i > 0 && letterOrDigit(s.charAt(i - 1))) {
                continue;
            }
            int length = 0;
            for (String w : SCHEME_WORDS.all) {
                if (s.regionMatches(true, i, w, 0, w.length())) {
                    length = w.length();
                    break;
                }
            }
            if (length == 0) {
                continue;
            }
            int start = i + length;
            while (start < n && space(s.charAt(start))) {
                start++;
            }
            if (start == i + length) {
                continue;
            }
            int end = start;
            while (end < n && schemeTokenChar(s.charAt(end))) {
                end++;
            }
            if (end - start >= 6) {
                found = Spans.add(found, start, end);
                i = end - 1;
            }
        }
        return found;
    }

    /**
     * {@code name=value}, {@code name: value}, {@code "name": "value"} where the name holds a key
     * word: the value is filtered up to a space, quote, {@code &}, {@code ,}, {@code ;} or {@code
     * }}. From each separator the scan looks back over the name before it and forward over the
     * value, and the next separator looked at lies past both: linear in the text.
     */
    private Spans keyValues(String s, Spans found) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c != '=' && c != ':') {
                continue;
            }
            int keyEnd = i;
            while (keyEnd > 0 && space(s.charAt(keyEnd - 1))) {
                keyEnd--;
            }
            if (keyEnd > 0 && s.charAt(keyEnd - 1) == '"') {
                keyEnd--;
            }
            int keyStart = keyEnd;
            while (keyStart > 0 && keyChar(s.charAt(keyStart - 1))) {
                keyStart--;
            }
            if (!sensitiveName(s, keyStart, keyEnd)) {
                continue;
            }
            int start = i + 1;
            while (start < n && space(s.charAt(start))) {
                start++;
            }
            if (start < n && s.charAt(start) == '"') {
                start++;
            }
            int end = start;
            while (end < n && valueChar(s.charAt(end))) {
                end++;
            }
            if (end == start || s.startsWith(FILTERED, start)) {
                continue;
            }
            found = Spans.add(found, start, end);
            i = end - 1;
        }
        return found;
    }

    private boolean sensitiveName(String s, int start, int end) {
        if (start < end && keyWords.foundIn(s, start, end)) {
            return true;
        }
        int length = end - start;
        if (length >= 3 && length <= 16) {
            for (String exact : EXACT_KEYS) {
                if (exact.length() == length && s.regionMatches(true, start, exact, 0, length)) {
                    return true;
                }
            }
        }
        // "private key=...": the key word ends within the name, its start lies before it
        for (String w : spacedKeys) {
            for (int at = end; at >= start; at--) {
                int from = at - w.length();
                if (from >= 0 && s.regionMatches(true, from, w, 0, w.length())) {
                    return true;
                }
            }
        }
        return false;
    }

    // ---- card numbers and IBANs ---------------------------------------------------------------

    /**
     * 13 to 19 digits, single spaces or dashes between them, not inside a word, Luhn-valid. At
     * each start every end where a number may stop (13 digits or more, no word character behind)
     * is a candidate, longest first, so a neighbouring number that lengthens the run does not hide
     * the card; and every start is tried, also inside a number found or refused, so overlapping
     * readings of a run of digit groups are all filtered (overlapping spans merge). The Luhn sums
     * of all prefixes are kept as the digits are read (one sum for each parity), so each start
     * reads at most 37 characters once.
     */
    private static Spans cardNumbers(String s, Spans found) {
        int n = s.length();
        int[] ends = new int[20];
        boolean[] valid = new boolean[20];
        for (int i = 0; i < n; i++) {
            if (!digit(s.charAt(i)) || i > 0 && wordChar(s.charAt(i - 1))) {
                continue;
            }
            int digits = 0;
            int candidates = 0;
            // evenSum doubles the digits at even indexes from the start, oddSum those at odd ones;
            // a number of L digits doubles every second digit from its right end, i.e. the
            // indexes whose parity differs from that of L - 1
            int evenSum = 0;
            int oddSum = 0;
            int p = i;
            while (true) {
                int d = s.charAt(p) - '0';
                int doubled = d * 2 > 9 ? d * 2 - 9 : d * 2;
                if (digits % 2 == 0) {
                    evenSum += doubled;
                    oddSum += d;
                } else {
                    evenSum += d;
                    oddSum += doubled;
                }
                digits++;
                p++;
                if (digits >= 13 && (p == n || !wordChar(s.charAt(p)))) {
                    // the last digit (index digits - 1) is not doubled
                    int sum = (digits - 1) % 2 == 0 ? oddSum : evenSum;
                    ends[candidates] = p;
                    valid[candidates++] = sum % 10 == 0;
                }
                if (digits == 19 || p == n) {
                    break;
                }
                char next = s.charAt(p);
                if ((next == ' ' || next == '-') && p + 1 < n && digit(s.charAt(p + 1))) {
                    p++;
                } else if (!digit(next)) {
                    break;
                }
            }
            for (int c = candidates - 1; c >= 0; c--) {
                if (valid[c]) {
                    found = Spans.add(found, i, ends[c]);
                    break;
                }
            }
        }
        return found;
    }

    /**
     * Two capitals, two digits, 11 to 30 capitals or digits (single spaces between), mod-97-valid.
     * As for cards, every end where an IBAN may stop is a candidate, longest first, and the check
     * number of every prefix is kept as the characters are read: a capital or a number written
     * right behind an IBAN does not hide it, and every start is tried, so a candidate that fails
     * its check hides nothing inside or behind it.
     */
    private static Spans ibans(String s, Spans found) {
        int n = s.length();
        int[] ends = new int[31];
        boolean[] valid = new boolean[31];
        for (int i = 0; i + 15 <= n; i++) {
            if (!capital(s.charAt(i))
                    || !capital(s.charAt(i + 1))
                    || !digit(s.charAt(i + 2))
                    || !digit(s.charAt(i + 3))
                    || i > 0 && alnum(s.charAt(i - 1))) {
                continue;
            }
            // the check moves the first four characters to the end: their value, 6 decimal digits
            // (two letters of two digits each, two digits), is appended to each prefix's remainder
            int tail = ((s.charAt(i) - 'A' + 10) * 100 + (s.charAt(i + 1) - 'A' + 10)) * 100
                    + (s.charAt(i + 2) - '0') * 10
                    + (s.charAt(i + 3) - '0');
            int count = 0;
            int candidates = 0;
            int mod = 0;
            int p = i + 4;
            while (count < 30 && p < n) {
                char c = s.charAt(p);
                if (c == ' ' && p + 1 < n && ibanChar(s.charAt(p + 1))) {
                    p++;
                    c = s.charAt(p);
                } else if (!ibanChar(c)) {
                    break;
                }
                p++;
                mod = digit(c) ? (mod * 10 + (c - '0')) % 97 : (mod * 100 + (c - 'A' + 10)) % 97;
                count++;
                if (count >= 11 && (p == n || !alnum(s.charAt(p)))) {
                    ends[candidates] = p;
                    valid[candidates++] = (int) (((long) mod * 1_000_000 + tail) % 97) == 1;
                }
            }
            for (int c = candidates - 1; c >= 0; c--) {
                if (valid[c]) {
                    found = Spans.add(found, i, ends[c]);
                    break;
                }
            }
        }
        return found;
    }

    // ---- credentials recognised by their shape ----------------------------------------------

    /**
     * Tokens whose prefix names their issuer: AWS access key ids, Google API keys, Slack tokens
     * and webhooks, GitHub and Stripe tokens, JWTs. A token starts where no letter or digit stands
     * before it. A token found is skipped whole; a start that finds none read at most a few dozen
     * characters (its prefix and a body too short): each character is read a bounded number of times.
     */
    private static Spans credentials(String s, Spans found) {
        int n = s.length();
        for (int i = 0; i + 10 <= n; i++) {
            char c = s.charAt(i);
            if (i > 0 && alnum(s.charAt(i - 1))) {
                continue;
            }
            int end =
                    switch (c) {
                        case 'A' -> Math.max(awsAccessKeyId(s, i), googleApiKey(s, i));
                        case 'x' -> slackToken(s, i);
                        case 'g' -> gitHubToken(s, i);
                        case 's', 'r' -> stripeKey(s, i);
                        case 'w' -> prefixed(s, i, "whsec_", 10, false);
                        case 'e' -> jwt(s, i);
                        case 'h' -> slackWebhook(s, i);
                        default -> -1;
                    };
            if (end > 0) {
                int start = c == 'h' ? i + slackWebhookPath(s, i) : i;
                found = Spans.add(found, start, end);
                i = end - 1;
            }
        }
        return found;
    }

    private static int awsAccessKeyId(String s, int i) {
        if (i + 20 > s.length()) {
            return -1;
        }
        boolean known = false;
        for (String prefix : AWS_KEY_PREFIXES) {
            if (s.startsWith(prefix, i)) {
                known = true;
                break;
            }
        }
        if (!known) {
            return -1;
        }
        for (int p = i + 4; p < i + 20; p++) {
            char c = s.charAt(p);
            if (!capital(c) && (c < '2' || c > '7')) {
                return -1;
            }
        }
        return i + 20 == s.length() || !alnum(s.charAt(i + 20)) ? i + 20 : -1;
    }

    private static int googleApiKey(String s, int i) {
        if (!s.startsWith("AIza", i) || i + 39 > s.length()) {
            return -1;
        }
        for (int p = i + 4; p < i + 39; p++) {
            char c = s.charAt(p);
            if (!alnum(c) && c != '_' && c != '-') {
                return -1;
            }
        }
        return i + 39 == s.length() || !urlSafeChar(s.charAt(i + 39)) ? i + 39 : -1;
    }

    /** xoxb-, xoxa-, xoxp-, xoxr-, xoxs- and at least 10 more letters, digits or dashes. */
    private static int slackToken(String s, int i) {
        if (!s.startsWith("xox", i)
                || i + 5 > s.length()
                || "baprs".indexOf(s.charAt(i + 3)) < 0
                || s.charAt(i + 4) != '-') {
            return -1;
        }
        int end = i + 5;
        while (end < s.length() && (alnum(s.charAt(end)) || s.charAt(end) == '-')) {
            end++;
        }
        return end - (i + 5) >= 10 ? end : -1;
    }

    private static int slackWebhook(String s, int i) {
        int path = slackWebhookPath(s, i);
        if (path < 0) {
            return -1;
        }
        int end = i + path;
        while (end < s.length() && (urlSafeChar(s.charAt(end)) || s.charAt(end) == '/')) {
            end++;
        }
        return end > i + path ? end : -1;
    }

    /** Where the secret part of a Slack webhook URL starting at {@code i} begins, relative to i. */
    private static int slackWebhookPath(String s, int i) {
        if (s.startsWith("hooks.slack.com/services/", i)) {
            return 25;
        }
        if (s.startsWith("hooks.slack.com/workflows/", i)) {
            return 26;
        }
        return -1;
    }

    /** ghp_, gho_, ghu_, ghs_, ghr_ with 36 or more letters and digits; github_pat_ fine-grained tokens. */
    private static int gitHubToken(String s, int i) {
        if (s.startsWith("github_pat_", i)) {
            return prefixed(s, i, "github_pat_", 22, true);
        }
        if (i + 4 > s.length()
                || s.charAt(i + 1) != 'h'
                || s.charAt(i + 3) != '_'
                || "pousr".indexOf(s.charAt(i + 2)) < 0) {
            return -1;
        }
        return prefixed(s, i, s.substring(i, i + 4), 36, false);
    }

    /** sk_live_, rk_live_, sk_test_, rk_test_: secret and restricted Stripe keys (publishable pk_ are public). */
    private static int stripeKey(String s, int i) {
        for (String prefix : new String[] {"sk_live_", "rk_live_", "sk_test_", "rk_test_"}) {
            if (s.startsWith(prefix, i)) {
                return prefixed(s, i, prefix, 10, false);
            }
        }
        return -1;
    }

    /** The end of {@code prefix} and at least {@code min} letters and digits (and underscores). */
    private static int prefixed(String s, int i, String prefix, int min, boolean underscores) {
        if (!s.startsWith(prefix, i)) {
            return -1;
        }
        int start = i + prefix.length();
        int end = start;
        while (end < s.length() && (alnum(s.charAt(end)) || underscores && s.charAt(end) == '_')) {
            end++;
        }
        return end - start >= min ? end : -1;
    }

    /** eyJ... . eyJ... . signature: a JSON header and payload in base64url, the signature possibly empty. */
    private static int jwt(String s, int i) {
        if (!s.startsWith("eyJ", i) || i > 0 && urlSafeChar(s.charAt(i - 1))) {
            return -1;
        }
        int header = urlSafeRun(s, i);
        if (header - i < 10 || header >= s.length() || s.charAt(header) != '.' || !s.startsWith("eyJ", header + 1)) {
            return -1;
        }
        int payload = urlSafeRun(s, header + 1);
        if (payload - header < 5 || payload >= s.length() || s.charAt(payload) != '.') {
            return -1;
        }
        return urlSafeRun(s, payload + 1);
    }

    private static int urlSafeRun(String s, int from) {
        int end = from;
        while (end < s.length() && urlSafeChar(s.charAt(end))) {
            end++;
        }
        return end;
    }

    // ---- base64 ---------------------------------------------------------------------------------

    /**
     * Runs of base64 characters: an AWS secret access key (40 characters, next to its name or its
     * access key id), and any run that decodes to text holding a secret, filtered whole. Runs do
     * not overlap, so each character is decoded at most once per depth.
     */
    private Spans base64Runs(String s, int depth, Spans found) {
        int n = s.length();
        int i = 0;
        while (i < n) {
            if (!base64Char(s.charAt(i))) {
                i++;
                continue;
            }
            int start = i;
            while (i < n && base64Char(s.charAt(i))) {
                i++;
            }
            int end = i;
            if (end - start < MIN_BASE64) {
                continue;
            }
            int padded = end;
            while (padded < n && padded < end + 2 && s.charAt(padded) == '=') {
                padded++;
            }
            if (awsSecretKey(s, start, end, padded) || depth < MAX_DEPTH && decodesToSecret(s, start, end, depth)) {
                found = Spans.add(found, start, padded);
            }
            i = padded;
        }
        return found;
    }

    /**
     * 40 characters of both cases and a digit or symbol, with "aws", "secret" or an access key id
     * in the 64 characters before: a commit hash (40 lower-case hex digits) or a checksum never is.
     */
    private static boolean awsSecretKey(String s, int start, int end, int padded) {
        if (end - start != 40 || padded != end || end < s.length() && s.charAt(end) == '=') {
            return false;
        }
        boolean lower = false;
        boolean upper = false;
        boolean other = false;
        for (int i = start; i < end; i++) {
            char c = s.charAt(i);
            if (c == '-' || c == '_') {
                return false;
            }
            lower |= c >= 'a' && c <= 'z';
            upper |= capital(c);
            other |= digit(c) || c == '+' || c == '/';
        }
        return lower && upper && other && AWS_CONTEXT.foundIn(s, Math.max(0, start - 64), start);
    }

    /**
     * Whether the run decodes to text that holds a secret; failing that, each part of it between
     * slashes (a base64url token in a URL path, where the slash is no base64 character).
     */
    private boolean decodesToSecret(String s, int start, int end, int depth) {
        if (decodedHoldsSecret(s, start, end, depth)) {
            return true;
        }
        int slash = s.indexOf('/', start);
        if (slash < 0 || slash >= end) {
            return false;
        }
        for (int from = start; from < end; ) {
            int to = s.indexOf('/', from);
            to = to < 0 || to > end ? end : to;
            if (to - from >= MIN_BASE64 && decodedHoldsSecret(s, from, to, depth)) {
                return true;
            }
            from = to + 1;
        }
        return false;
    }

    private boolean decodedHoldsSecret(String s, int start, int end, int depth) {
        boolean standard = false;
        boolean urlSafe = false;
        for (int i = start; i < end; i++) {
            char c = s.charAt(i);
            standard |= c == '+' || c == '/';
            urlSafe |= c == '-' || c == '_';
        }
        if (standard && urlSafe) {
            return false;
        }
        int length = Math.min(end - start, MAX_BASE64);
        // most runs are words, paths or binary and fail within a few bytes: checked before any allocation
        if (decodeText(s, start, start + length, null) < 0) {
            return false;
        }
        byte[] decoded = new byte[length * 3 / 4 + 1];
        int count = decodeText(s, start, start + length, decoded);
        return scan(new String(decoded, 0, count, StandardCharsets.ISO_8859_1), depth + 1, false, null) != null;
    }

    /**
     * Decodes base64 (either alphabet) into {@code into} (or nowhere), and returns the bytes
     * decoded; -1 when they are not text: a control character, no letter at all, or less than
     * three quarters ASCII.
     */
    private static int decodeText(String s, int from, int to, byte[] into) {
        int out = 0;
        int bits = 0;
        int buffered = 0;
        boolean letter = false;
        int ascii = 0;
        for (int i = from; i < to; i++) {
            bits = bits << 6 | sextet(s.charAt(i));
            buffered += 6;
            if (buffered >= 8) {
                buffered -= 8;
                int b = (bits >> buffered) & 0xff;
                if (b < 0x20 && b != '\t' && b != '\n' && b != '\r' || b == 0x7f) {
                    return -1; // binary: a key, an image, or an ordinary word that is no base64
                }
                letter |= b >= 'A' && b <= 'Z' || b >= 'a' && b <= 'z';
                ascii += b < 0x80 ? 1 : 0;
                if (into != null) {
                    // the secrets looked for are ASCII: other bytes only need to stay apart from
                    // them, and as one inert character they spare the word finder its slow path
                    into[out] = (byte) (b < 0x80 ? b : 0x1a);
                }
                out++;
            }
        }
        // a word or an identifier taken for base64 decodes to bytes of which about 37% are
        // printable ASCII; text that may hold a secret is mostly ASCII (keys, JSON, user:password)
        return letter && ascii * 4 >= out * 3 ? out : -1;
    }

    private static int sextet(char c) {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a' + 26;
        }
        if (c >= '0' && c <= '9') {
            return c - '0' + 52;
        }
        return c == '+' || c == '-' ? 62 : 63;
    }

    // ---- percent-encoding -------------------------------------------------------------------

    /**
     * The text with its {@code %XX} escapes and {@code +} as a space decoded, scanned in turn; what
     * is found there is filtered in the encoded text, whose positions are kept per decoded
     * character. A text with escapes is a URL or form whatever field it came in, where {@code +}
     * is a space (a literal one is {@code %2B}); in a query string or form body one {@code +} is
     * reason enough to decode. Bytes decode to one character each: the secrets looked for are ASCII.
     */
    private Spans percentEncoded(String s, int depth, boolean form, Spans found) {
        int n = s.length();
        boolean escaped = false;
        for (int i = 0; i + 2 < n && !escaped; i++) {
            escaped = s.charAt(i) == '%' && hex(s.charAt(i + 1)) >= 0 && hex(s.charAt(i + 2)) >= 0;
        }
        if (!escaped && !(form && s.indexOf('+') >= 0)) {
            return found;
        }
        StringBuilder decoded = new StringBuilder(n);
        int[] at = new int[n + 1];
        for (int i = 0; i < n; ) {
            at[decoded.length()] = i;
            char c = s.charAt(i);
            if (c == '%' && i + 2 < n && hex(s.charAt(i + 1)) >= 0 && hex(s.charAt(i + 2)) >= 0) {
                decoded.append((char) (hex(s.charAt(i + 1)) * 16 + hex(s.charAt(i + 2))));
                i += 3;
            } else {
                decoded.append(c == '+' ? ' ' : c);
                i++;
            }
        }
        at[decoded.length()] = n;
        Spans inner = scan(decoded.toString(), depth + 1, form, null);
        if (inner == null) {
            return found;
        }
        for (int k = 0; k < inner.count; k++) {
            found = Spans.add(found, at[inner.start(k)], at[inner.end(k)]);
        }
        return found;
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    // ---- characters -------------------------------------------------------------------------

    private static boolean capital(char c) {
        return c >= 'A' && c <= 'Z';
    }

    private static boolean digit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean alnum(char c) {
        return c >= 'a' && c <= 'z' || capital(c) || digit(c);
    }

    /** What a regular expression's {@code \w} matches. */
    private static boolean wordChar(char c) {
        return alnum(c) || c == '_';
    }

    /** What stands inside a word for a regular expression's {@code \b}: any script's letters too. */
    private static boolean letterOrDigit(char c) {
        return c < 128 ? wordChar(c) : Character.isLetterOrDigit(c);
    }

    private static boolean keyChar(char c) {
        return wordChar(c) || c == '.' || c == '-';
    }

    private static boolean urlSafeChar(char c) {
        return alnum(c) || c == '_' || c == '-';
    }

    private static boolean base64Char(char c) {
        return alnum(c) || c == '+' || c == '/' || c == '_' || c == '-';
    }

    private static boolean ibanChar(char c) {
        return capital(c) || digit(c);
    }

    /** What a regular expression's {@code \s} matches. */
    private static boolean space(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B;
    }

    private static boolean valueChar(char c) {
        return !space(c) && c != '"' && c != '&' && c != ',' && c != ';' && c != '}';
    }

    private static boolean schemeTokenChar(char c) {
        return alnum(c) || "._~+/=:-".indexOf(c) >= 0;
    }

    // ---- structured values --------------------------------------------------------------------

    private List<String> texts(List<String> values) {
        if (values.isEmpty()) {
            return values;
        }
        List<String> out = new ArrayList<>(values.size());
        for (String v : values) {
            out.add(text(v));
        }
        return out;
    }

    private Map<String, String> plainMap(Map<String, String> map) {
        if (map.isEmpty()) {
            return map;
        }
        Map<String, String> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(k, mapValue(k, v)));
        return out;
    }

    private Map<String, String> userData(Map<String, String> map) {
        if (map.isEmpty()) {
            return map;
        }
        Map<String, String> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(k, userDataValue(k, v)));
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

    /**
     * A value that may be JSON or text (a request's query string and data) as {@link #scrub} leaves
     * it; as text, {@code +} is a space in its percent-decoded form, as in a query string.
     */
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
        return text(value, true);
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
            return luhn(digits, 0, digits.length()) ? TextNode.valueOf(FILTERED) : node;
        }
        return node;
    }

    private String quoted(String s) {
        return "\"" + s + "\"";
    }

    /** A user's id, email, name or IP as {@link #scrub} leaves it: a keyed hash. */
    public String pseudonym(String value) {
        if (value == null || hmacKey == null) {
            return value;
        }
        Mac mac = macs.get();
        return "hmac:" + HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)), 0, 16);
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(hmacKey);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    static boolean luhn(String candidate) {
        return luhn(candidate, 0, candidate.length());
    }

    private static boolean luhn(String s, int from, int to) {
        int sum = 0;
        int n = 0;
        for (int i = to - 1; i >= from; i--) {
            char c = s.charAt(i);
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

    /** Spans of a text to filter, as found by the detectors in any order; overlapping ones merge. */
    static final class Spans {

        /** start << 32 | end: sorting them sorts by start. */
        private long[] spans = new long[4];

        private int count;

        static Spans add(Spans to, int start, int end) {
            Spans s = to == null ? new Spans() : to;
            if (s.count == s.spans.length) {
                s.spans = Arrays.copyOf(s.spans, s.count * 2);
            }
            s.spans[s.count++] = (long) start << 32 | end;
            return s;
        }

        int start(int k) {
            return (int) (spans[k] >>> 32);
        }

        int end(int k) {
            return (int) spans[k];
        }

        String replace(String s) {
            Arrays.sort(spans, 0, count);
            StringBuilder out = new StringBuilder(s.length());
            int kept = 0;
            int k = 0;
            while (k < count) {
                int start = start(k);
                int end = end(k);
                for (k++; k < count && start(k) <= end; k++) {
                    end = Math.max(end, end(k));
                }
                out.append(s, kept, start).append(FILTERED);
                kept = end;
            }
            return out.append(s, kept, s.length()).toString();
        }
    }

    /**
     * Finds any of a few words in a text, ignoring case, in one pass without lower-casing the
     * text: only positions whose character can start a word are compared. Case is folded per
     * character, which accepts at least what an ASCII case-insensitive comparison does.
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

        Words(Collection<String> words) {
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
            String[] more = known == null ? new String[1] : Arrays.copyOf(known, known.length + 1);
            more[more.length - 1] = word;
            byStart[start] = more;
        }

        boolean foundIn(String text) {
            return foundIn(text, 0, text.length());
        }

        /** Whether a word lies wholly within {@code [from, to)} of the text. */
        boolean foundIn(String text, int from, int to) {
            for (int i = from; i < to; i++) {
                char c = text.charAt(i);
                String[] candidates = c < 128 ? byStart[c] : null;
                if (candidates != null && mayStartWord(c, text, i, to)) {
                    for (String w : candidates) {
                        if (w.length() <= to - i && text.regionMatches(true, i, w, 0, w.length())) {
                            return true;
                        }
                    }
                }
                // a non-ASCII character may fold to an ASCII one; a word may start non-ASCII
                if (c >= 128 || !anywhere.isEmpty()) {
                    for (String w : c >= 128 ? all : anywhere) {
                        if (w.length() <= to - i && text.regionMatches(true, i, w, 0, w.length())) {
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
        private boolean mayStartWord(char c, String text, int i, int to) {
            if (unpaired[c] || i + 1 >= to) {
                return true; // at the end: the comparison is short and rare
            }
            char next = text.charAt(i + 1);
            return next >= 128 || startPairs[asciiLower(c) * 128 + asciiLower(next)];
        }
    }
}
