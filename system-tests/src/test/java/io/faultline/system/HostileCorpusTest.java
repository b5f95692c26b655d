package io.faultline.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.faultline.system.HostileCorpus.Target;
import io.faultline.system.SeededSecrets.Kind;
import io.faultline.system.SeededSecrets.Secret;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The fuzz corpus is deterministic for a seed, its secrets are real-looking, and the scan finds them. */
class HostileCorpusTest {

    private static final HostileCorpus.Stack STACK = new HostileCorpus.Stack(
            "1",
            "k".repeat(32),
            "a".repeat(32),
            "cookie",
            "g1",
            Map.of(Target.INGEST, 1, Target.DASHBOARD, 2, Target.IMPACT, 3));

    private static final java.time.Instant NOW = java.time.Instant.parse("2026-12-06T03:00:00Z");

    @Test
    void aSeedGivesTheSameCasesAndAnotherSeedOthers() {
        HostileCorpus a = new HostileCorpus(42, STACK, new SeededSecrets(), 1_000_000, NOW);
        HostileCorpus b = new HostileCorpus(42, STACK, new SeededSecrets(), 1_000_000, NOW);
        HostileCorpus c = new HostileCorpus(43, STACK, new SeededSecrets(), 1_000_000, NOW);
        int differ = 0;
        // past the fixed cases, which hold the 150 MB bombs
        for (int i = a.fixedCount(); i < a.fixedCount() + 300; i++) {
            assertThat(a.get(i).bytes()).isEqualTo(b.get(i).bytes());
            if (!java.util.Arrays.equals(a.get(i).bytes(), c.get(i).bytes())) {
                differ++;
            }
        }
        assertThat(differ).isGreaterThan(250);
    }

    @Test
    void theRandomCasesCoverEveryFamilyAndTheirSecretsAreUnique() {
        SeededSecrets secrets = new SeededSecrets();
        HostileCorpus corpus = new HostileCorpus(7, STACK, secrets, 1_000_000, NOW);
        Set<String> families = new HashSet<>();
        for (int i = corpus.fixedCount(); i < corpus.fixedCount() + 3000; i++) {
            families.add(corpus.get(i).family());
        }
        assertThat(families)
                .contains(
                        "native-secret",
                        "native-batch",
                        "native-mutant",
                        "native-garbage",
                        "native-encoded",
                        "store",
                        "envelope",
                        "traffic",
                        "auth",
                        "admin",
                        "dashboard-query",
                        "group-action",
                        "impact-query",
                        "method-path");
        List<Secret> planted = secrets.planted();
        Set<Kind> kinds = new HashSet<>();
        Set<String> needles = new HashSet<>();
        for (Secret s : planted) {
            kinds.add(s.kind());
            for (String n : s.needles()) {
                assertThat(needles.add(n))
                        .as("needle %s of %s unique", n, s.kind())
                        .isTrue();
            }
        }
        assertThat(kinds).containsExactlyInAnyOrder(Kind.values());
    }

    @Test
    void theSecretsHaveTheirRealShapes() {
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < 200; i++) {
            String card = SeededSecrets.make(r, Kind.CARD, "t").value().replaceAll("[ -]", "");
            assertThat(card).hasSize(16);
            assertThat(SeededSecrets.luhnValid(card)).as(card).isTrue();
            assertThat(SeededSecrets.ibanValid(
                            SeededSecrets.make(r, Kind.IBAN, "t").value()))
                    .isTrue();
            assertThat(SeededSecrets.make(r, Kind.AWS_ACCESS_KEY_ID, "t").value())
                    .matches("AKIA[A-Z2-7]{16}");
            assertThat(SeededSecrets.make(r, Kind.GCP_API_KEY, "t").value()).matches("AIza[0-9A-Za-z]{35}");
            assertThat(SeededSecrets.make(r, Kind.SLACK_TOKEN, "t").value()).startsWith("xoxb-");
            assertThat(SeededSecrets.make(r, Kind.GITHUB_TOKEN, "t").value()).matches("ghp_[0-9A-Za-z]{36}");
            assertThat(SeededSecrets.make(r, Kind.STRIPE_KEY, "t").value()).startsWith("sk_live_");
            assertThat(SeededSecrets.make(r, Kind.JWT, "t").value()).matches("eyJ[\\w-]+\\.eyJ[\\w-]+\\.[\\w-]+");
            assertThat(SeededSecrets.make(r, Kind.AZURE_CONNECTION_STRING, "t").value())
                    .contains(";AccountKey=");
            assertThat(SeededSecrets.make(r, Kind.PEM_PRIVATE_KEY_URL_ENCODED, "t")
                            .value())
                    .startsWith("-----BEGIN+PRIVATE+KEY-----%0A");
        }
        assertThat(SeededSecrets.luhnValid("4111111111111111")).isTrue();
        assertThat(SeededSecrets.luhnValid("4111111111111112")).isFalse();
        assertThat(SeededSecrets.ibanValid("DE89370400440532013000")).isTrue();
    }

    @Test
    void theScanFindsEverySecretIgnoringCaseAndAcrossChunkBoundaries() throws Exception {
        SplittableRandom r = new SplittableRandom(3);
        List<Secret> secrets = new ArrayList<>();
        for (Kind k : Kind.values()) {
            secrets.add(SeededSecrets.make(r, k, "t"));
        }
        NeedleScanner scanner = new NeedleScanner(secrets, Secret::needles);
        // 9 MB of noise with each secret's first needle, upper-cased, across the 4 MB chunk boundary too
        byte[] data = HostileCorpus.randomBytes(r, 9 * 1024 * 1024);
        int at = 4 * 1024 * 1024 - 20;
        for (Secret s : secrets) {
            byte[] needle =
                    s.needles().get(0).toUpperCase(java.util.Locale.ROOT).getBytes(StandardCharsets.UTF_8);
            System.arraycopy(needle, 0, data, at, needle.length);
            at += needle.length + 1000;
        }
        Set<Secret> found = new HashSet<>();
        scanner.scan(new ByteArrayInputStream(data), (Secret s, String n) -> found.add(s));
        assertThat(found).containsExactlyInAnyOrderElementsOf(secrets);

        Set<Secret> none = new HashSet<>();
        scanner.scan(HostileCorpus.randomBytes(r, 1024 * 1024), (Secret s, String n) -> none.add(s));
        assertThat(none).isEmpty();
    }

    @Test
    void theRawClientTellsAnAnswerFromAHang() throws Exception {
        byte[] settings = {0, 0, 0, 4, 0, 0, 0, 0, 0};
        assertThat(againstServer(settings).outcome())
                .as("an HTTP/2 SETTINGS frame answers")
                .isEqualTo(RawHttp.Outcome.NON_HTTP);
        assertThat(againstServer(new byte[0]).outcome()).as("silence").isEqualTo(RawHttp.Outcome.HANG);
        assertThat(againstServer("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc".getBytes(StandardCharsets.UTF_8))
                        .outcome())
                .as("a body that never ends")
                .isEqualTo(RawHttp.Outcome.HANG);
        RawHttp.Exchange chunked =
                againstServer("HTTP/1.1 400 Bad\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
                        .getBytes(StandardCharsets.UTF_8));
        assertThat(chunked.outcome()).isEqualTo(RawHttp.Outcome.ANSWERED);
        assertThat(chunked.status()).isEqualTo(400);
        assertThat(chunked.body()).isEqualTo("abc");
        assertThat(againstServer("HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n\r\n"
                                .getBytes(StandardCharsets.UTF_8))
                        .status())
                .isEqualTo(101);
    }

    /** One exchange with a server that answers {@code answer} and then keeps the connection open. */
    private static RawHttp.Exchange againstServer(byte[] answer) throws Exception {
        try (java.net.ServerSocket server =
                new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                try (java.net.Socket s = server.accept()) {
                    s.getOutputStream().write(answer);
                    s.getOutputStream().flush();
                    s.getInputStream().read(new byte[1024]);
                    s.setSoTimeout(3000);
                    while (s.getInputStream().read() >= 0) {
                        // hold the connection until the client gives up
                    }
                } catch (java.io.IOException e) {
                    // the client closed
                }
            });
            t.start();
            RawHttp.Exchange e = RawHttp.exchange(
                    "127.0.0.1",
                    server.getLocalPort(),
                    RawHttp.request("GET", "/", "x", HostileCorpus.headers(), null),
                    0,
                    null,
                    1000);
            t.join();
            return e;
        }
    }
}
