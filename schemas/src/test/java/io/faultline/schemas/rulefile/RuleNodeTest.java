package io.faultline.schemas.rulefile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class RuleNodeTest {

    /** Words a fault as {@code line N: field: problem}, so the tests see every part of it. */
    static final class Fault extends RuntimeException {
        Fault(RuleFault f) {
            super("line " + f.line() + ": " + (f.field().isEmpty() ? "" : f.field() + ": ") + f.problem(), f.cause());
        }
    }

    private static RuleNode read(String yaml) {
        return RuleNode.read(yaml, Fault::new);
    }

    @Test
    void anUnknownFieldIsNamedWithItsPathLineAndTheFieldsAllowed() {
        RuleNode root = read(
                """
                rules:
                  - id: a
                    match:
                      tpye: x
                """);
        RuleNode match = root.get("rules").items().get(0).get("match");

        assertThatThrownBy(() -> match.mapping(Set.of("type", "message")))
                .isInstanceOf(Fault.class)
                .hasMessage("line 4: rules[0].match.tpye: unknown field (expected one of: message, type)");
    }

    @Test
    void aScopeRestartsThePathAndWordsItsOwnFaults() {
        RuleNode rule = read("rules:\n  - {id: a, actions: [{name: x, timeout: soon}]}\n")
                .get("rules")
                .items()
                .get(0)
                .within(f -> new IllegalStateException("rule 'a': " + f.field() + ": " + f.problem()));

        assertThatThrownBy(
                        () -> rule.get("actions").items().get(0).get("timeout").duration(Duration.ZERO))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("rule 'a': actions[0].timeout: 'soon' is not a duration (e.g. 500ms, 10s, 5m, 1h)");
    }

    @Test
    void aValueOfTheWrongTypeSaysWhatWasExpected() {
        RuleNode root = read(
                """
                enabled: yes please
                attempts: 2.5
                rate: many
                name: {first: a}
                list: 3
                map: [a]
                names: [a, [b]]
                """);

        assertThatThrownBy(() -> root.get("enabled").bool(false)).hasMessage("line 1: enabled: must be true or false");
        assertThatThrownBy(() -> root.get("attempts").integer(1))
                .hasMessage("line 2: attempts: must be a whole number");
        assertThatThrownBy(() -> root.get("rate").number(1)).hasMessage("line 3: rate: must be a number");
        assertThatThrownBy(() -> root.get("name").text()).hasMessage("line 4: name: must be a single value");
        assertThatThrownBy(() -> root.get("list").items()).hasMessage("line 5: list: must be a list");
        assertThatThrownBy(() -> root.get("map").fields()).hasMessage("line 6: map: must be a mapping");
        assertThatThrownBy(() -> root.get("names").texts()).hasMessage("line 7: names[1]: must be a single value");
    }

    @Test
    void aMissingRequiredFieldIsNamedAtItsParentsLine() {
        RuleNode root = read("first: 1\nsecond:\n  name: \"  \"\n");

        assertThatThrownBy(() -> root.get("second").get("id").requiredText())
                .hasMessage("line 2: second.id: is required");
        assertThatThrownBy(() -> root.get("second").get("name").requiredText())
                .hasMessage("line 3: second.name: is required");
        assertThatThrownBy(() -> root.get("first").requiredString())
                .hasMessage("line 1: first: is required (a non-empty string)");
        assertThat(read("id: a").get("id").requiredString()).isEqualTo("a");
        assertThatThrownBy(() -> root.get("second").get("weight").requiredNumber())
                .hasMessage("line 2: second.weight: is required (a number)");
        assertThat(root.get("second").get("id").text("fallback")).isEqualTo("fallback");
        assertThat(root.get("second").get("id").texts()).isEmpty();
    }

    @Test
    void absentAndNullFieldsTakeTheFallbackButStayDistinguishable() {
        RuleNode root = read("window:\nretries: 3\n");

        assertThat(root.has("window")).isTrue();
        assertThat(root.get("window").isAbsent()).isTrue();
        assertThat(root.get("window").isMissing()).isFalse();
        assertThat(root.get("nothing").isMissing()).isTrue();
        assertThat(root.get("window").duration(Duration.ofMinutes(10))).isEqualTo(Duration.ofMinutes(10));
        assertThat(root.get("retries").integer(1)).isEqualTo(3);
    }

    @Test
    void durationsAreSecondsOrANumberWithAUnitAndNeverNegative() {
        RuleNode root = read("{a: 30, b: 500ms, c: 10s, d: 5m, e: 1h, f: -5, g: 1.5s, h: 10 s, i: PT5M}");

        assertThat(root.get("a").duration(null)).isEqualTo(Duration.ofSeconds(30));
        assertThat(root.get("b").duration(null)).isEqualTo(Duration.ofMillis(500));
        assertThat(root.get("c").duration(null)).isEqualTo(Duration.ofSeconds(10));
        assertThat(root.get("d").duration(null)).isEqualTo(Duration.ofMinutes(5));
        assertThat(root.get("e").duration(null)).isEqualTo(Duration.ofHours(1));
        assertThatThrownBy(() -> root.get("f").duration(null)).hasMessage("line 1: f: must not be negative");
        for (String key : List.of("g", "h", "i")) {
            assertThatThrownBy(() -> root.get(key).duration(null)).hasMessageContaining("is not a duration");
        }
    }

    @Test
    void aDurationTooLongForAnyClockIsAFaultOfItsFieldNotACrash() {
        RuleNode root = read("{a: 99999999999999999999s, b: 99999999999999999999, c: 9999999999999999h}");

        for (String key : List.of("a", "b", "c")) {
            assertThatThrownBy(() -> root.get(key).duration(null))
                    .hasMessageStartingWith("line 1: " + key + ": ")
                    .hasMessageContaining("too long");
        }
    }

    @Test
    void aKeyWrittenTwiceIsAnErrorNotASilentReplacement() {
        assertThatThrownBy(() -> read("rules:\n  - id: a\n    match: {type: A}\n    match: {type: B}\n"))
                .hasMessage("line 4: rules[0].match: the key appears twice in the same mapping");
    }

    @Test
    void textThatIsNotYamlSaysWhereAndKeepsTheCause() {
        assertThatThrownBy(() -> read("rules: [ {id: a\n"))
                .isInstanceOf(Fault.class)
                .hasMessageStartingWith("line ")
                .hasMessageContaining(": not valid YAML or JSON: ")
                .hasCauseInstanceOf(com.fasterxml.jackson.core.JsonProcessingException.class);
    }

    @Test
    void anEmptyFileIsAMissingRoot() {
        assertThat(read("").isMissing()).isTrue();
        assertThat(read("# only a comment\n").isMissing()).isTrue();
        assertThat(read("").get("rules").items()).isEmpty();
    }

    @Test
    void valuesAreTypedAsYamlWritesThemAndNestedValuesKeepTheirJson() {
        RuleNode root = read("{n: 404, b: true, s: '404', body: {k: [1, x]}}");

        assertThat(root.get("n").json().isInt()).isTrue();
        assertThat(root.get("n").text()).isEqualTo("404");
        assertThat(root.get("b").bool(false)).isTrue();
        assertThat(root.get("s").json().isTextual()).isTrue();
        assertThat(root.get("body").json().toString()).isEqualTo("{\"k\":[1,\"x\"]}");
        assertThat(root.get("body").fields().keySet()).containsExactly("k");
    }

    @Test
    void aRegularExpressionThatDoesNotCompileSaysWhy() {
        RuleNode root = read("ok: 'a.*b'\nbad: '(unclosed'\n");

        assertThat(root.get("ok").regex(Pattern.DOTALL).matcher("a\nb").matches())
                .isTrue();
        assertThatThrownBy(() -> root.get("bad").regex(0))
                .hasMessageStartingWith("line 2: bad: invalid regular expression: Unclosed group near index 9");
    }

    @Test
    void globsMatchTheWholeValueWithStarQuestionMarkAndEscapes() {
        assertThat(Glob.of("/api/booking*").matches("/api/bookings/3")).isTrue();
        assertThat(Glob.of("/api/booking*").matches("/v2/api/bookings")).isFalse();
        assertThat(Glob.of("booking.?").matches("booking.x")).isTrue();
        assertThat(Glob.of("booking.?").matches("bookingAxy")).isFalse();
        // every other character is literal, regex syntax included
        assertThat(Glob.of("a+b(c)[d]").matches("a+b(c)[d]")).isTrue();
        assertThat(Glob.of("a.c").matches("abc")).isFalse();
        assertThat(Glob.of("*timed out*").matches("read\ntimed out\n")).isTrue();
        // a backslash makes the next character literal
        assertThat(Glob.of("100\\%\\*").matches("100%*")).isTrue();
        assertThat(Glob.of("100\\%\\*").matches("100%x")).isFalse();
        assertThat(Glob.of("Timeout*", true).matches("TIMEOUT: db")).isTrue();
        assertThat(Glob.of("Timeout*").matches("TIMEOUT: db")).isFalse();
        assertThat(Glob.of("*").matches(null)).isFalse();
        assertThat(Glob.of("").matches("")).isTrue();
    }

    @Test
    void aGlobMatchesAsItsRegularExpressionDoes() {
        java.util.Random random = new java.util.Random(23);
        String letters = "ab*?\\";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder pattern = new StringBuilder();
            for (int n = random.nextInt(7); n > 0; n--) {
                pattern.append(letters.charAt(random.nextInt(letters.length())));
            }
            StringBuilder value = new StringBuilder();
            for (int n = random.nextInt(8); n > 0; n--) {
                value.append("abAB*".charAt(random.nextInt(5)));
            }
            boolean ignoreCase = random.nextBoolean();
            Glob glob = Glob.of(pattern.toString(), ignoreCase);
            assertThat(glob.matches(value.toString()))
                    .as("'%s' (ignore case %s) on '%s'", pattern, ignoreCase, value)
                    .isEqualTo(glob.regex().matcher(value).matches());
        }
    }

    @Test
    void aValueThatNearlyMatchesManyStarsIsDecidedWithoutBacktracking() {
        // as a regular expression (.*a.*a.*a.*a.*a.*a.*b) this backtracks some 10^19 steps
        String value = "a".repeat(5_000);
        assertThat(Glob.of("*a*a*a*a*a*a*b").matches(value)).isFalse();
        assertThat(Glob.of("*a*a*a*a*a*a*").matches(value)).isTrue();
    }

    @Test
    void globsAreReadFromAValueOrAList() {
        RuleNode root = read("one: 'db-*'\nmany: ['a?', 'b*']\n");

        assertThat(root.get("one").glob(false).matches("db-primary")).isTrue();
        assertThat(root.get("many").globs(false)).extracting(Glob::pattern).containsExactly("a?", "b*");
        assertThat(root.get("none").globs(false)).isEmpty();
    }
}
