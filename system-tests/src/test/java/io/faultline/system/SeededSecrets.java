package io.faultline.system;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The secrets the hostile corpus plants, each made of fresh random characters of the run's seed,
 * so that finding one anywhere (a topic, a table, a log, a file) is unambiguous. Every secret is
 * registered with the text to search for: its random core, which survives JSON, form and URL
 * encoding unchanged.
 */
final class SeededSecrets {

    enum Kind {
        PASSWORD,
        BEARER_TOKEN,
        CARD,
        IBAN,
        AWS_ACCESS_KEY_ID,
        AWS_SECRET_KEY,
        GCP_PRIVATE_KEY,
        GCP_API_KEY,
        AZURE_CONNECTION_STRING,
        SLACK_TOKEN,
        GITHUB_TOKEN,
        STRIPE_KEY,
        JWT,
        PEM_PRIVATE_KEY,
        PEM_PRIVATE_KEY_URL_ENCODED,
        BASE64_WRAPPED,
        USER_ID,
        USER_EMAIL,
        USER_NAME,
        USER_IP
    }

    /**
     * One planted secret: {@code value} is what the request carries, {@code needles} what must not
     * be found anywhere afterwards (lower case: the search ignores ASCII case).
     */
    record Secret(Kind kind, String value, List<String> needles, String where) {}

    private static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    private final ConcurrentLinkedQueue<Secret> planted = new ConcurrentLinkedQueue<>();

    List<Secret> planted() {
        return new ArrayList<>(planted);
    }

    /** A fresh secret of {@code kind}, registered as planted at {@code where}. */
    Secret plant(SplittableRandom rnd, Kind kind, String where) {
        Secret s = make(rnd, kind, where);
        planted.add(s);
        return s;
    }

    static Secret make(SplittableRandom rnd, Kind kind, String where) {
        return switch (kind) {
            case PASSWORD -> whole(kind, "Pw" + chars(rnd, ALNUM, 16), where);
            case BEARER_TOKEN -> whole(kind, "tok" + chars(rnd, ALNUM, 29), where);
            case CARD -> {
                String digits = luhn(rnd, "4" + digits(rnd, 14));
                String shown =
                        switch (rnd.nextInt(3)) {
                            case 0 -> digits;
                            case 1 -> group(digits, ' ');
                            default -> group(digits, '-');
                        };
                yield secret(kind, shown, where, shown);
            }
            case IBAN -> {
                String iban = iban(rnd);
                String shown = rnd.nextBoolean() ? iban : group(iban, ' ');
                yield secret(kind, shown, where, shown);
            }
            case AWS_ACCESS_KEY_ID -> whole(kind, "AKIA" + chars(rnd, BASE32, 16), where);
            case AWS_SECRET_KEY -> whole(kind, chars(rnd, ALNUM, 40), where);
            case GCP_PRIVATE_KEY -> {
                String body = chars(rnd, ALNUM, 64);
                String pem = "-----BEGIN PRIVATE KEY-----\n" + body + "\n" + chars(rnd, ALNUM, 64)
                        + "\n-----END PRIVATE KEY-----\n";
                String json = "{\"type\":\"service_account\",\"project_id\":\"fz-"
                        + chars(rnd, ALNUM, 8).toLowerCase(Locale.ROOT)
                        + "\",\"private_key_id\":\"" + chars(rnd, ALNUM, 40).toLowerCase(Locale.ROOT)
                        + "\",\"private_key\":" + quote(pem) + ",\"client_email\":\"svc@fz.iam.gserviceaccount.com\"}";
                yield secret(kind, json, where, body);
            }
            case GCP_API_KEY -> whole(kind, "AIza" + chars(rnd, ALNUM, 35), where);
            case AZURE_CONNECTION_STRING -> {
                String key = chars(rnd, ALNUM, 86);
                String value = "DefaultEndpointsProtocol=https;AccountName=fz"
                        + chars(rnd, ALNUM, 8).toLowerCase(Locale.ROOT) + ";AccountKey=" + key
                        + "==;EndpointSuffix=core.windows.net";
                yield secret(kind, value, where, key);
            }
            case SLACK_TOKEN -> whole(
                    kind, "xoxb-" + digits(rnd, 11) + "-" + digits(rnd, 13) + "-" + chars(rnd, ALNUM, 24), where);
            case GITHUB_TOKEN -> whole(kind, "ghp_" + chars(rnd, ALNUM, 36), where);
            case STRIPE_KEY -> whole(kind, "sk_live_" + chars(rnd, ALNUM, 24), where);
            case JWT -> {
                Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
                String header =
                        b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
                String payload = b64.encodeToString(("{\"sub\":\"" + chars(rnd, ALNUM, 12) + "\",\"iat\":1700000000}")
                        .getBytes(StandardCharsets.UTF_8));
                String jwt = header + "." + payload + "." + chars(rnd, ALNUM, 43);
                yield secret(kind, jwt, where, jwt);
            }
            case PEM_PRIVATE_KEY -> {
                String body = chars(rnd, ALNUM, 64);
                String pem = "-----BEGIN RSA PRIVATE KEY-----\n" + body + "\n" + chars(rnd, ALNUM, 64)
                        + "\n-----END RSA PRIVATE KEY-----";
                yield secret(kind, pem, where, body);
            }
            case PEM_PRIVATE_KEY_URL_ENCODED -> {
                String body = chars(rnd, ALNUM, 64);
                String pem = "-----BEGIN PRIVATE KEY-----\n" + body + "\n" + chars(rnd, ALNUM, 64)
                        + "\n-----END PRIVATE KEY-----";
                yield secret(kind, URLEncoder.encode(pem, StandardCharsets.UTF_8), where, body);
            }
            case BASE64_WRAPPED -> {
                String inner = "apikey:" + chars(rnd, ALNUM, 24);
                String wrapped = Base64.getEncoder().encodeToString(inner.getBytes(StandardCharsets.UTF_8));
                // the wrapped text as sent, and the inner secret should anything decode and keep it
                yield secret(kind, wrapped, where, wrapped.replace("=", ""), inner.substring(7));
            }
            case USER_ID -> whole(kind, "uid" + chars(rnd, ALNUM, 17), where);
            case USER_EMAIL -> {
                String email = "fz" + chars(rnd, ALNUM, 12).toLowerCase(Locale.ROOT) + "@m"
                        + chars(rnd, ALNUM, 8).toLowerCase(Locale.ROOT) + ".example";
                yield secret(kind, email, where, email);
            }
            case USER_NAME -> whole(kind, "fzuser_" + chars(rnd, ALNUM, 12), where);
            case USER_IP -> {
                // three digits per octet: long enough that no other bytes spell it by chance
                String ip = (100 + rnd.nextInt(27)) + "." + (100 + rnd.nextInt(155)) + "." + (100 + rnd.nextInt(155))
                        + "." + (100 + rnd.nextInt(154));
                yield secret(kind, ip, where, ip);
            }
        };
    }

    /** A secret searched for as a whole. */
    private static Secret whole(Kind kind, String value, String where) {
        return secret(kind, value, where, value);
    }

    private static Secret secret(Kind kind, String value, String where, String... needles) {
        List<String> lower = new ArrayList<>();
        for (String n : needles) {
            lower.add(n.toLowerCase(Locale.ROOT));
        }
        return new Secret(kind, value, List.copyOf(lower), where);
    }

    static String chars(SplittableRandom rnd, String alphabet, int n) {
        StringBuilder out = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            out.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
        }
        return out.toString();
    }

    static String digits(SplittableRandom rnd, int n) {
        return chars(rnd, "0123456789", n);
    }

    /** {@code prefix} plus the Luhn check digit. */
    static String luhn(SplittableRandom rnd, String prefix) {
        for (int check = 0; ; check++) {
            if (luhnValid(prefix + check)) {
                return prefix + check;
            }
        }
    }

    static boolean luhnValid(String digits) {
        int sum = 0;
        for (int i = 0; i < digits.length(); i++) {
            int d = digits.charAt(digits.length() - 1 - i) - '0';
            if (i % 2 == 1) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
        }
        return sum % 10 == 0;
    }

    /** A German IBAN with a correct ISO 13616 check number. */
    static String iban(SplittableRandom rnd) {
        String bban = digits(rnd, 18);
        String rearranged = bban + "1314" + "00"; // D=13, E=14
        int mod = 0;
        for (int i = 0; i < rearranged.length(); i++) {
            mod = (mod * 10 + (rearranged.charAt(i) - '0')) % 97;
        }
        int check = 98 - mod;
        return "DE" + (check < 10 ? "0" : "") + check + bban;
    }

    static boolean ibanValid(String iban) {
        String s = iban.replace(" ", "");
        String rearranged = s.substring(4) + s.substring(0, 4);
        int mod = 0;
        for (char c : rearranged.toCharArray()) {
            String v = Character.isLetter(c) ? Integer.toString(c - 'A' + 10) : Character.toString(c);
            for (char d : v.toCharArray()) {
                mod = (mod * 10 + (d - '0')) % 97;
            }
        }
        return mod == 1;
    }

    private static String group(String s, char sep) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            if (i > 0 && i % 4 == 0) {
                out.append(sep);
            }
            out.append(s.charAt(i));
        }
        return out.toString();
    }

    /** {@code s} as a JSON string; lone surrogates stay as they are, which is the point of some cases. */
    static String quote(String s) {
        return "\""
                + new String(com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance()
                        .quoteAsString(s)) + "\"";
    }
}
