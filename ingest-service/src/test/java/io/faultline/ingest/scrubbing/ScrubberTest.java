package io.faultline.ingest.scrubbing;

import static org.assertj.core.api.Assertions.assertThat;

import io.faultline.schemas.ErrorEvent;
import io.faultline.schemas.UserInfo;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScrubberTest {

    private final Scrubber scrubber = new Scrubber(List.of("customer_ref"), "hmac-key");

    @Test
    void cardNumbersAreFilteredOnlyWhenLuhnValid() {
        assertThat(scrubber.text("paid with 4111 1111 1111 1111 today")).isEqualTo("paid with [Filtered] today");
        assertThat(scrubber.text("card 5500-0000-0000-0004")).isEqualTo("card [Filtered]");
        assertThat(scrubber.text("order 4111111111111112 failed")).isEqualTo("order 4111111111111112 failed");
        assertThat(scrubber.text("took 1234 ms")).isEqualTo("took 1234 ms");
    }

    @Test
    void ibansAreFilteredOnlyWhenChecksumValid() {
        assertThat(scrubber.text("refund to DE89 3704 0044 0532 0130 00 failed"))
                .isEqualTo("refund to [Filtered] failed");
        assertThat(scrubber.text("GB82WEST12345698765432")).isEqualTo("[Filtered]");
        assertThat(scrubber.text("GB82WEST12345698765433")).isEqualTo("GB82WEST12345698765433");
    }

    @Test
    void keyValuePairsAndTokensInFreeText() {
        assertThat(scrubber.text("login failed for bob password=hunter2 retry"))
                .isEqualTo("login failed for bob password=[Filtered] retry");
        assertThat(scrubber.text("GET /reset?token=abc123&lang=en")).isEqualTo("GET /reset?token=[Filtered]&lang=en");
        assertThat(scrubber.text("{\"api_key\": \"sk_live_xyz\"}")).isEqualTo("{\"api_key\": \"[Filtered]\"}");
        assertThat(scrubber.text("sent Authorization: Bearer eyJhbGciOi.abc.def"))
                .doesNotContain("eyJhbGciOi");
        assertThat(scrubber.text("customer_ref=C-77")).isEqualTo("customer_ref=[Filtered]");
        assertThat(scrubber.text("-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----"))
                .isEqualTo("[Filtered]");
        assertThat(scrubber.text("connection refused")).isEqualTo("connection refused");
    }

    @Test
    void eventFieldsAreScrubbedAndUsersPseudonymised() {
        ErrorEvent event = ErrorEvent.newBuilder()
                .setEventId("0".repeat(32))
                .setProjectId("1")
                .setTimestamp(Instant.EPOCH)
                .setReceivedAt(Instant.EPOCH)
                .setLevel("error")
                .setSource("native")
                .setMessage("boom")
                .setTags(Map.of("session_id", "s-1", "workflow", "booking"))
                .setExtra(Map.of(
                        "db",
                        "{\"url\":\"pg://x\",\"password\":\"p4ss\",\"nested\":[{\"secret\":1}]}",
                        "cookie",
                        "\"c=1\""))
                .setUser(UserInfo.newBuilder()
                        .setId("42")
                        .setEmail("bob@example.com")
                        .setIpAddress("10.0.0.1")
                        .setUsername("bob")
                        .build())
                .build();
        String hmacOf42 = scrubber.scrub(copy(event)).getUser().getId();
        assertThat(new Scrubber(List.of(), null).scrub(copy(event)).getUser().getId())
                .isEqualTo("42");
        ErrorEvent s = scrubber.scrub(event);
        assertThat(s.getTags()).containsEntry("session_id", "[Filtered]").containsEntry("workflow", "booking");
        assertThat(s.getExtra().get("db"))
                .contains("\"password\":\"[Filtered]\"")
                .contains("pg://x")
                .contains("\"secret\":\"[Filtered]\"");
        assertThat(s.getExtra().get("cookie")).isEqualTo("\"[Filtered]\"");
        assertThat(s.getUser().getId()).startsWith("hmac:").isNotEqualTo("42");
        assertThat(s.getUser().getEmail()).startsWith("hmac:").doesNotContain("bob@");
        assertThat(s.getUser().getId()).isEqualTo(hmacOf42); // stable: users can still be counted
    }

    /**
     * The one-pass scans in front of the patterns may only skip texts the patterns would leave
     * alone: on texts built from the fragments that make or break a match, scrubbing must equal
     * running every pattern unconditionally.
     */
    @Test
    void theScansInFrontOfThePatternsSkipNothingThePatternsWouldFilter() {
        String[] fragments = {
            "password",
            "PassWord",
            "api_key",
            "Token",
            "bearer ",
            "Basic ",
            "customer_REF",
            "auth",
            "session",
            "=",
            ": ",
            "\"",
            "&",
            " ",
            "-",
            "4111 1111 1111 1111",
            "5500-0000-0000-0004",
            "4111111111111111",
            "1234",
            "99",
            "DE89 3704 0044 0532 0130 00",
            "GB82WEST12345698765432",
            "GB82",
            "AB12",
            "x",
            "é",
            "\u0130",
            "\u212a",
            "eyJhbGciOi.abc.def",
            "-----BEGIN RSA PRIVATE KEY-----",
            "\n",
            "\t",
            "token\t",
            ":",
            "\u00a0",
            "ord_17",
            "ch_9"
        };
        java.util.Random random = new java.util.Random(20261130);
        int filtered = 0;
        for (int i = 0; i < 20_000; i++) {
            StringBuilder text = new StringBuilder();
            int parts = 1 + random.nextInt(8);
            for (int p = 0; p < parts; p++) {
                text.append(fragments[random.nextInt(fragments.length)]);
            }
            String t = text.toString();
            String expected = scrubber.textByPatternsOnly(t);
            assertThat(scrubber.text(t)).as(t).isEqualTo(expected);
            if (!expected.equals(t)) {
                filtered++;
            }
        }
        // the corpus exercises both sides: texts that hold secrets and texts that do not
        assertThat(filtered).isBetween(2_000, 18_000);
    }

    /** The word finder's shortcuts (first character, then pair) skip no position a word matches at. */
    @Test
    void wordsAreFoundWhereverACaseInsensitiveComparisonMatches() {
        List<String> words = new java.util.ArrayList<>(Scrubber.DEFAULT_KEYS);
        words.addAll(List.of("x", "k\u017f", "\u0130d", "zk"));
        Scrubber.Words finder = new Scrubber.Words(words);
        String alphabet = "pasSwWoOrdDtTkKeEnNiIxXzZ_- \u017f\u212a\u0130\u0131é";
        java.util.Random random = new java.util.Random(7);
        int found = 0;
        for (int n = 0; n < 50_000; n++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(9);
            for (int i = 0; i < length; i++) {
                text.append(
                        random.nextInt(6) == 0
                                ? prefix(words.get(random.nextInt(words.size())), 1 + random.nextInt(2))
                                : String.valueOf(alphabet.charAt(random.nextInt(alphabet.length()))));
            }
            String t = text.toString();
            boolean expected = false;
            for (int i = 0; i < t.length() && !expected; i++) {
                for (String w : words) {
                    if (t.regionMatches(true, i, w, 0, w.length())) {
                        expected = true;
                        break;
                    }
                }
            }
            assertThat(finder.foundIn(t)).as(t).isEqualTo(expected);
            found += expected ? 1 : 0;
        }
        assertThat(found).isBetween(5_000, 45_000);
    }

    private static String prefix(String word, int length) {
        return word.substring(0, Math.min(word.length(), length));
    }

    @Test
    void digitChainsAndIbanCandidatesAreFoundWhereThePatternsLook() {
        assertThat(Scrubber.longestDigitChain("4111 1111-1111 1111")).isEqualTo(16);
        assertThat(Scrubber.longestDigitChain("4111  1111")).isEqualTo(4);
        assertThat(Scrubber.longestDigitChain("took 1234 ms, 56 rows")).isEqualTo(4);
        assertThat(Scrubber.mayHoldIban("refund DE89 3704 0044 0532 0130 00")).isTrue();
        assertThat(Scrubber.mayHoldIban("HikariPool-1 - Connection is not available after 30000ms"))
                .isFalse();
    }

    private static ErrorEvent copy(ErrorEvent e) {
        return ErrorEvent.newBuilder(e).build();
    }
}
