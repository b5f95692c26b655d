package io.faultline.ingest.scrubbing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.function.BiConsumer;

/**
 * Events with one secret each, generated from a seed: every kind of secret the scrubber knows, in
 * every field the mappers read (and some they drop), as an SDK would send it. Each secret comes
 * with the texts that must not be found in what ingest produces from it.
 */
public final class SecretCorpus {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Where a person's name or address is hashed whatever it looks like. */
    private static final java.util.Set<String> PERSONAL_FIELDS =
            java.util.Set.of("user.id", "user.email", "user.username", "user.ip_address", "user.name");

    /**
     * @param personal a person's data rather than a credential: only the user's identifying
     *     fields are hashed whatever they hold, so it is seeded there alone
     */
    public record Secret(String kind, String text, List<String> needles, boolean personal) {}

    /** One event's JSON (without event_id), the field and the secret seeded in it. */
    public record Seeded(String field, Secret secret, String json) {}

    private SecretCorpus() {}

    public static List<Seeded> events(long seed) {
        Random random = new Random(seed);
        List<Seeded> events = new ArrayList<>();
        for (Secret secret : secrets(random)) {
            for (Field field : fields()) {
                if (secret.personal() && !PERSONAL_FIELDS.contains(field.name())) {
                    continue;
                }
                ObjectNode event = JSON.createObjectNode();
                event.put("message", "corpus event");
                field.put().accept(event, secret.text());
                events.add(new Seeded(field.name(), secret, event.toString()));
            }
        }
        return events;
    }

    static List<Secret> secrets(Random random) {
        List<Secret> s = new ArrayList<>();
        String pw = core(random);
        s.add(new Secret("password", "login failed password=" + pw, List.of(pw), false));
        String apiKey = core(random);
        s.add(new Secret("api key", "{\"api_key\": \"" + apiKey + "\"}", List.of(apiKey), false));
        String bearer = core(random);
        s.add(new Secret("bearer", "Authorization: Bearer " + bearer, List.of(bearer), false));
        String akia = "AKIA" + chars(random, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16);
        s.add(new Secret("aws access key id", "s3 upload as " + akia + " denied", List.of(akia), false));
        String asia = "ASIA" + chars(random, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16);
        s.add(new Secret("aws session key id", asia, List.of(asia), false));
        String awsSecret = awsSecret(random);
        s.add(new Secret("aws secret access key", "AWS_SECRET_ACCESS_KEY " + awsSecret, List.of(awsSecret), false));
        String pairSecret = awsSecret(random);
        String pairId = "AKIA" + chars(random, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16);
        s.add(new Secret("aws key pair", pairId + "," + pairSecret, List.of(pairId, pairSecret), false));
        String gcpBody = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC" + chars(random, BASE64, 64);
        String gcpKeyId = chars(random, "0123456789abcdef", 40);
        String gcp = "{\"type\":\"service_account\",\"project_id\":\"demo\",\"private_key_id\":\"" + gcpKeyId
                + "\",\"private_key\":\"-----BEGIN PRIVATE KEY-----\\n" + gcpBody
                + "\\n-----END PRIVATE KEY-----\\n\",\"client_email\":\"ci@demo.iam.gserviceaccount.com\"}";
        s.add(new Secret("gcp service account", gcp, List.of(gcpBody.substring(32), gcpKeyId), false));
        String aiza = "AIza" + chars(random, ALNUM + "_-", 35);
        s.add(new Secret("google api key", "maps?key=" + aiza, List.of(aiza), false));
        String accountKey = chars(random, BASE64, 86) + "==";
        s.add(new Secret(
                "azure storage",
                "DefaultEndpointsProtocol=https;AccountName=demo;AccountKey=" + accountKey
                        + ";EndpointSuffix=core.windows.net",
                List.of(accountKey.substring(0, 40)),
                false));
        String busKey = chars(random, BASE64, 43) + "=";
        s.add(new Secret(
                "azure service bus",
                "Endpoint=sb://demo.servicebus.windows.net/;SharedAccessKeyName=Root;SharedAccessKey=" + busKey,
                List.of(busKey.substring(0, 30)),
                false));
        String sig = URLEncoder.encode(chars(random, BASE64, 43) + "=", StandardCharsets.UTF_8);
        s.add(new Secret(
                "azure sas",
                "https://demo.blob.core.windows.net/c/b.txt?sv=2021-08-06&se=2026-01-01T00%3A00Z&sr=b&sp=r&sig=" + sig,
                List.of(sig),
                false));
        String slack = "xoxb-" + chars(random, "0123456789", 12) + "-" + chars(random, "0123456789", 13) + "-"
                + chars(random, ALNUM, 24);
        s.add(new Secret("slack token", slack, List.of(slack), false));
        String hook = chars(random, ALNUM, 24);
        s.add(new Secret(
                "slack webhook",
                "https://hooks.slack.com/services/T" + chars(random, ALNUM, 8) + "/B" + chars(random, ALNUM, 8) + "/"
                        + hook,
                List.of(hook),
                false));
        String ghp = "ghp_" + chars(random, ALNUM, 36);
        s.add(new Secret("github token", "git clone https://" + ghp + "@github.com/x/y", List.of(ghp), false));
        String pat = "github_pat_" + chars(random, ALNUM, 22) + "_" + chars(random, ALNUM, 59);
        s.add(new Secret("github fine-grained token", pat, List.of(pat), false));
        String stripe = "sk_live_" + chars(random, ALNUM, 24);
        s.add(new Secret("stripe secret key", "stripe " + stripe, List.of(stripe), false));
        String whsec = "whsec_" + chars(random, ALNUM, 32);
        s.add(new Secret("stripe webhook secret", whsec, List.of(whsec), false));
        String jwtSignature = chars(random, ALNUM + "_-", 43);
        String jwt =
                "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkFkYSJ9." + jwtSignature;
        s.add(new Secret("jwt", "session " + jwt, List.of(jwtSignature), false));
        String card = card(random);
        s.add(new Secret("card", "charge " + card + " declined", List.of(card, card.replace(" ", "")), false));
        String iban = iban(random);
        s.add(new Secret("iban", "refund to " + iban, List.of(iban), false));
        String pemBody = "MIIEow" + chars(random, BASE64, 64);
        String pem = "-----BEGIN RSA PRIVATE KEY-----\n" + pemBody + "\n-----END RSA PRIVATE KEY-----\n";
        s.add(new Secret("private key", pem, List.of(pemBody.substring(6)), false));
        String encodedBody = "MIIEvg" + chars(random, BASE64, 64);
        String encodedPem = "-----BEGIN PRIVATE KEY-----\n" + encodedBody + "\n-----END PRIVATE KEY-----\n";
        String encodedNeedle = URLEncoder.encode(encodedBody.substring(6), StandardCharsets.UTF_8);
        s.add(new Secret(
                "url-encoded private key",
                "key=" + URLEncoder.encode(encodedPem, StandardCharsets.UTF_8),
                List.of(encodedNeedle.substring(0, 24)),
                false));
        String basicPassword = core(random);
        String basic = b64("deploy:" + basicPassword);
        s.add(new Secret("basic auth", "Basic " + basic, List.of(basic), false));
        String cookiePassword = core(random);
        String cookie = b64("{\"user\":\"ada\",\"password\":\"" + cookiePassword + "\"}");
        s.add(new Secret("base64 cookie", "st=" + cookie + "; theme=dark", List.of(cookie), false));
        String nestedPassword = core(random);
        s.add(new Secret(
                "percent-encoded pair", "next=%2Fhome%3Fpassword%3D" + nestedPassword, List.of(nestedPassword), false));
        String wrappedId = "AKIA" + chars(random, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16);
        String wrapped = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(("{\"aws_access_key_id\":\"" + wrappedId + "\"}").getBytes(StandardCharsets.UTF_8));
        s.add(new Secret("base64url-wrapped key id", wrapped, List.of(wrapped.substring(0, 30)), false));
        String name = "Ada" + chars(random, "abcdefghij", 6) + " Lovelace";
        s.add(new Secret("person", name, List.of(name), true));
        String email = "ada." + chars(random, "abcdefghij", 6) + "@example.com";
        s.add(new Secret("email", email, List.of(email), true));
        return s;
    }

    private record Field(String name, BiConsumer<ObjectNode, String> put) {}

    /** Every place of an event an SDK puts text, by the mappers' names; the last few the mappers drop. */
    private static List<Field> fields() {
        List<Field> f = new ArrayList<>();
        f.add(new Field("message", (e, v) -> e.put("message", v)));
        f.add(new Field("logentry.message", (e, v) -> e.putObject("logentry").put("message", v)));
        f.add(new Field(
                "logentry.formatted",
                (e, v) -> e.putObject("logentry").put("message", "%s").put("formatted", v)));
        f.add(new Field("logentry.params", (e, v) -> {
            ObjectNode log = e.putObject("logentry").put("message", "failed: %s");
            log.putArray("params").add(v);
        }));
        f.add(new Field("exception.type", (e, v) -> exception(e).put("type", v)));
        f.add(new Field("exception.value", (e, v) -> exception(e).put("value", v)));
        f.add(new Field("exception.module", (e, v) -> exception(e).put("module", v)));
        f.add(new Field("exception.thread_id", (e, v) -> exception(e).put("thread_id", v)));
        f.add(new Field(
                "exception.mechanism",
                (e, v) -> exception(e).putObject("mechanism").put("type", v)));
        for (String name : List.of("filename", "abs_path", "function", "module", "context_line")) {
            f.add(new Field("frame." + name, (e, v) -> frame(e).put(name, v)));
        }
        f.add(new Field("frame.vars", (e, v) -> frame(e).putObject("vars").put("note", v)));
        f.add(new Field(
                "frame.pre_context", (e, v) -> frame(e).putArray("pre_context").add(v)));
        f.add(new Field("breadcrumb.message", (e, v) -> breadcrumb(e).put("message", v)));
        f.add(new Field("breadcrumb.category", (e, v) -> breadcrumb(e).put("category", v)));
        f.add(new Field("breadcrumb.type", (e, v) -> breadcrumb(e).put("type", v)));
        f.add(new Field(
                "breadcrumb.data", (e, v) -> breadcrumb(e).putObject("data").put("note", v)));
        f.add(new Field("breadcrumb.data url", (e, v) -> breadcrumb(e)
                .putObject("data")
                .put("url", "https://api.example/pay?" + v)
                .put("status_code", 500)));
        f.add(new Field("breadcrumb.data nested", (e, v) -> breadcrumb(e)
                .putObject("data")
                .putObject("body")
                .putArray("args")
                .add(v)));
        f.add(new Field("debug_meta.code_file", (e, v) -> e.putObject("debug_meta")
                .putArray("images")
                .addObject()
                .put("type", "sourcemap")
                .put("code_file", "https://shop.example/assets/app.js?" + v)
                .put("debug_id", "8a5c1e0e-3f7b-4c3e-9a3d-2f0e6c1b7d4a")));
        f.add(new Field("request.url", (e, v) -> e.putObject("request").put("url", "https://shop.example/" + v)));
        f.add(new Field("request.method", (e, v) -> e.putObject("request").put("method", v)));
        f.add(new Field("request.query_string", (e, v) -> e.putObject("request").put("query_string", v)));
        f.add(new Field("request.query_string pairs", (e, v) -> {
            ArrayNode pairs = e.putObject("request").putArray("query_string");
            pairs.addArray().add("note").add(v);
        }));
        f.add(new Field("request.data", (e, v) -> e.putObject("request").put("data", v)));
        f.add(new Field(
                "request.data object",
                (e, v) -> e.putObject("request").putObject("data").put("note", v)));
        f.add(new Field("request.cookies", (e, v) -> e.putObject("request").put("cookies", "theme=dark; note=" + v)));
        f.add(new Field(
                "request.headers",
                (e, v) -> e.putObject("request").putObject("headers").put("X-Note", v)));
        f.add(new Field("request.headers pairs", (e, v) -> {
            ArrayNode pairs = e.putObject("request").putArray("headers");
            pairs.addArray().add("X-Note").add(v);
        }));
        f.add(new Field(
                "request.env", (e, v) -> e.putObject("request").putObject("env").put("NOTE", v)));
        f.add(new Field("user.id", (e, v) -> e.putObject("user").put("id", v)));
        f.add(new Field("user.email", (e, v) -> e.putObject("user").put("email", v)));
        f.add(new Field("user.username", (e, v) -> e.putObject("user").put("username", v)));
        f.add(new Field("user.ip_address", (e, v) -> e.putObject("user").put("ip_address", v)));
        f.add(new Field("user.name", (e, v) -> e.putObject("user").put("name", v)));
        f.add(new Field("user.data", (e, v) -> e.putObject("user").put("note", v)));
        f.add(new Field("tags", (e, v) -> e.putObject("tags").put("note", v)));
        f.add(new Field(
                "tags pairs",
                (e, v) -> e.putArray("tags").addArray().add("note").add(v)));
        f.add(new Field(
                "contexts", (e, v) -> e.putObject("contexts").putObject("app").put("note", v)));
        f.add(new Field("extra", (e, v) -> e.putObject("extra").put("note", v)));
        f.add(new Field(
                "extra nested",
                (e, v) -> e.putObject("extra").putObject("job").putArray("args").add(v)));
        f.add(new Field(
                "fingerprint",
                (e, v) -> e.putArray("fingerprint").add("{{ default }}").add(v)));
        for (String name :
                List.of("release", "environment", "transaction", "server_name", "logger", "platform", "dist")) {
            f.add(new Field(name, (e, v) -> e.put(name, v)));
        }
        f.add(new Field("sdk.name", (e, v) -> e.putObject("sdk").put("name", v).put("version", "1.0")));
        f.add(new Field(
                "sdk.version",
                (e, v) -> e.putObject("sdk").put("name", "sentry.java").put("version", v)));
        return f;
    }

    private static ObjectNode exception(ObjectNode event) {
        ObjectNode x = event.putObject("exception").putArray("values").addObject();
        x.put("type", "IllegalStateException");
        return x;
    }

    private static ObjectNode frame(ObjectNode event) {
        ObjectNode x = exception(event);
        return x.putObject("stacktrace").putArray("frames").addObject().put("function", "handle");
    }

    private static ObjectNode breadcrumb(ObjectNode event) {
        return event.putObject("breadcrumbs").putArray("values").addObject().put("category", "http");
    }

    private static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final String BASE64 = ALNUM + "+/";

    private static String chars(Random random, String alphabet, int n) {
        StringBuilder s = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            s.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return s.toString();
    }

    /** A password-like text no detector knows by its shape: only its key name gives it away. */
    private static String core(Random random) {
        return "S3cret-" + chars(random, ALNUM, 12);
    }

    /** 40 characters of both cases, digits and a slash, as AWS makes them. */
    private static String awsSecret(Random random) {
        return chars(random, "ABCDEFGHIJKLMNOPQRSTUVWXYZ", 4) + chars(random, "abcdefghijklmnopqrstuvwxyz", 4)
                + chars(random, "0123456789", 2) + "/" + chars(random, BASE64, 29);
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A Luhn-valid 16-digit number in groups of four. */
    private static String card(Random random) {
        int[] d = new int[16];
        d[0] = 4;
        for (int i = 1; i < 15; i++) {
            d[i] = random.nextInt(10);
        }
        int sum = 0;
        for (int i = 14; i >= 0; i--) {
            int v = d[i];
            if ((14 - i) % 2 == 0) {
                v *= 2;
                if (v > 9) {
                    v -= 9;
                }
            }
            sum += v;
        }
        d[15] = (10 - sum % 10) % 10;
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            if (i > 0 && i % 4 == 0) {
                s.append(' ');
            }
            s.append(d[i]);
        }
        return s.toString();
    }

    /** A German IBAN with valid check digits. */
    private static String iban(Random random) {
        String bban = chars(random, "0123456789", 18);
        // check digits: 98 - (BBAN + "DE00" as digits, D=13, E=14) mod 97
        int check =
                98 - new BigInteger(bban + "131400").mod(BigInteger.valueOf(97)).intValue();
        return String.format("DE%02d%s", check, bban);
    }
}
