package io.faultline.impact.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.faultline.impact.repository.GroupSearch.Column;
import io.faultline.impact.repository.GroupSearch.Malformed;
import io.faultline.impact.repository.GroupSearch.Seen;
import io.faultline.impact.repository.GroupSearch.Status;
import io.faultline.impact.repository.GroupSearch.Tag;
import io.faultline.impact.repository.GroupSearch.Text;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GroupSearchTest {

    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    private static List<GroupSearch.Term> parse(String q) {
        return GroupSearch.parse(q, NOW).terms();
    }

    @Test
    void everyKeyBecomesItsTypedTerm() {
        assertThat(parse("is:unresolved level:ERROR severity:critical category:payment impact:revenue_blocking"
                        + " workflow:checkout release:shop@1.4.2 environment:production"))
                .containsExactly(
                        new Status("unresolved", false),
                        new Tag("level", "error", false),
                        new Column("severity", "critical", false),
                        new Column("category", "payment", false),
                        new Column("business_impact", "revenue_blocking", false),
                        new Column("workflow", "checkout", false),
                        new Tag("release", "shop@1.4.2", false),
                        new Tag("environment", "production", false));
    }

    @Test
    void customTagsQuotesNegationAndFreeText() {
        assertThat(parse(
                        "tag:customer_tier=gold browser:\"Chrome 131\" !server_name:web-1 Timeout \"connection refused\""
                                + " !healthcheck"))
                .containsExactly(
                        new Tag("customer_tier", "gold", false),
                        new Tag("browser", "Chrome 131", false),
                        new Tag("server_name", "web-1", true),
                        new Text("Timeout", false),
                        new Text("connection refused", false),
                        new Text("healthcheck", true));
        assertThat(parse("tag:\"note=a \\\"quoted\\\" = sign\""))
                .containsExactly(new Tag("note", "a \"quoted\" = sign", false));
    }

    @Test
    void timesRelativeAndAbsolute() {
        assertThat(parse("firstSeen:-24h lastSeen:+1h lastSeen:>2026-05-01 firstSeen:<=2026-05-02T10:00:00Z"
                        + " lastSeen:>-2w"))
                .containsExactly(
                        new Seen("first_seen", NOW.minus(Duration.ofHours(24)), true, false),
                        new Seen("last_seen", NOW.minus(Duration.ofHours(1)), false, false),
                        new Seen("last_seen", Instant.parse("2026-05-01T00:00:00Z"), true, false),
                        new Seen("first_seen", Instant.parse("2026-05-02T10:00:00Z"), false, false),
                        new Seen("last_seen", NOW.minus(Duration.ofDays(14)), true, false));
    }

    @Test
    void blankIsNoFilter() {
        assertThat(GroupSearch.parse(null, NOW).isEmpty()).isTrue();
        assertThat(GroupSearch.parse("   ", NOW).isEmpty()).isTrue();
    }

    @Test
    void malformedTermsNameTheTokenAndWhy() {
        assertMalformed("is:unresolved level:loud", "level:loud", "level must be one of");
        assertMalformed("severity:urgent", "severity:urgent", "severity must be one of");
        assertMalformed("is:open", "is:open", "is must be one of");
        assertMalformed("firstSeen:yesterday", "firstSeen:yesterday", "takes -24h");
        assertMalformed("firstSeen:-24x", "firstSeen:-24x", "takes -24h");
        assertMalformed("lastSeen:-99999999w", "lastSeen:-99999999w", "takes -24h");
        assertMalformed("lastSeen:>10000-01-01T00:00:00Z", "lastSeen:>10000-01-01T00:00:00Z", "takes -24h");
        assertMalformed("release:", "release:", "has no value");
        assertMalformed("tag:nokey", "tag:nokey", "key=value");
        assertMalformed("tag:=v", "tag:=v", "key=value");
        assertMalformed("browser:\"Chrome 131", "browser:\"Chrome 131", "never closed");
        assertMalformed("\"a\"b", "\"a\"b", "closing quote");
        assertMalformed("release:" + "x".repeat(201), "release:" + "x".repeat(201), "at most 200");
        assertMalformed("bad\u0000byte", "bad\u0000byte", "control characters");
        List<String> many = new ArrayList<>();
        for (int i = 0; i <= GroupSearch.MAX_TERMS; i++) {
            many.add("w" + i);
        }
        assertMalformed(String.join(" ", many), "w" + GroupSearch.MAX_TERMS, "at most " + GroupSearch.MAX_TERMS);
    }

    private static void assertMalformed(String query, String token, String why) {
        assertThatThrownBy(() -> GroupSearch.parse(query, NOW))
                .isInstanceOf(Malformed.class)
                .satisfies(e -> assertThat(((Malformed) e).token()).isEqualTo(token))
                .hasMessageContaining("'" + token + "'")
                .hasMessageContaining(why);
    }

    @Test
    void likeWildcardsTypedByTheUserMatchThemselves() {
        assertThat(GroupQueries.likeEscaped("100%_done\\")).isEqualTo("100\\%\\_done\\\\");
    }
}
