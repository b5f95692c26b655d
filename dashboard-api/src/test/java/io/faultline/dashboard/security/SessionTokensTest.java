package io.faultline.dashboard.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SessionTokensTest {

    private static final Optional<String> SECRET = Optional.of("0123456789abcdef0123456789abcdef");
    private static final Instant NOW = Instant.parse("2026-01-01T10:00:00Z");

    private SessionTokens at(Instant instant) {
        return new SessionTokens(SECRET, Duration.ofHours(8), Clock.fixed(instant, ZoneOffset.UTC));
    }

    @Test
    void anIssuedTokenNamesItsUserAndRole() {
        String token = at(NOW).issue("ada", Role.OPERATOR);

        Principal who = at(NOW).verify(token).orElseThrow();
        assertThat(who.name()).isEqualTo("ada");
        assertThat(who.role()).isEqualTo(Role.OPERATOR);
        assertThat(who.csrfToken()).isNotBlank().isNotEqualTo(token);
    }

    @Test
    void tamperedOrExpiredTokensAreRejected() {
        String token = at(NOW).issue("ada", Role.VIEWER);

        assertThat(at(NOW).verify(token.replace(".viewer.", ".admin."))).isEmpty();
        assertThat(at(NOW.plus(Duration.ofHours(9))).verify(token)).isEmpty();
        assertThat(new SessionTokens(
                                Optional.of("another-secret-another-secret-xx"),
                                Duration.ofHours(8),
                                Clock.fixed(NOW, ZoneOffset.UTC))
                        .verify(token))
                .isEmpty();
        assertThat(at(NOW).verify("garbage")).isEmpty();
    }

    @Test
    void eachSessionHasItsOwnCsrfToken() {
        SessionTokens tokens = at(NOW);
        String a = tokens.verify(tokens.issue("ada", Role.ADMIN)).orElseThrow().csrfToken();
        String b = tokens.verify(tokens.issue("ada", Role.ADMIN)).orElseThrow().csrfToken();
        assertThat(a).isNotEqualTo(b);
    }
}
