package io.faultline.dashboard.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Stateless sessions: the cookie value is {@code name.role.expiry.nonce.mac}, HMAC-SHA256 signed
 * with {@code faultline.session.secret}. Without a configured secret a random one is made at start,
 * so sessions end when the process does (and do not carry across replicas). The CSRF token is a
 * second MAC over the nonce: the page reads it from {@code /api/v1/me} and echoes it in a header,
 * which a cross-site form cannot do.
 */
@ApplicationScoped
public class SessionTokens {

    private static final Logger LOG = Logger.getLogger(SessionTokens.class);
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private final byte[] secret;
    private final Duration lifetime;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    @Inject
    public SessionTokens(
            @ConfigProperty(name = "faultline.session.secret") Optional<String> secret,
            @ConfigProperty(name = "faultline.session.lifetime", defaultValue = "PT8H") Duration lifetime) {
        this(secret, lifetime, Clock.systemUTC());
    }

    SessionTokens(Optional<String> secret, Duration lifetime, Clock clock) {
        this.lifetime = lifetime;
        this.clock = clock;
        this.secret = secret.filter(s -> s.length() >= 32)
                .map(s -> s.getBytes(StandardCharsets.UTF_8))
                .orElseGet(() -> {
                    if (secret.isPresent()) {
                        LOG.warn("faultline.session.secret is shorter than 32 characters; using a random one");
                    }
                    byte[] bytes = new byte[32];
                    random.nextBytes(bytes);
                    return bytes;
                });
    }

    public Duration lifetime() {
        return lifetime;
    }

    public String issue(String name, Role role) {
        byte[] nonce = new byte[16];
        random.nextBytes(nonce);
        String body = B64.encodeToString(name.getBytes(StandardCharsets.UTF_8)) + "." + role.id() + "."
                + clock.instant().plus(lifetime).getEpochSecond() + "." + B64.encodeToString(nonce);
        return body + "." + mac("session", body);
    }

    /** The principal behind a cookie value, if it is intact and unexpired. */
    public Optional<Principal> verify(String token) {
        if (token == null) {
            return Optional.empty();
        }
        String[] parts = token.split("\\.");
        if (parts.length != 5) {
            return Optional.empty();
        }
        String body = String.join(".", parts[0], parts[1], parts[2], parts[3]);
        if (!MessageDigest.isEqual(
                mac("session", body).getBytes(StandardCharsets.US_ASCII),
                parts[4].getBytes(StandardCharsets.US_ASCII))) {
            return Optional.empty();
        }
        try {
            if (Long.parseLong(parts[2]) < clock.instant().getEpochSecond()) {
                return Optional.empty();
            }
            String name = new String(B64D.decode(parts[0]), StandardCharsets.UTF_8);
            return Optional.of(new Principal(
                    name,
                    Role.parse(parts[1]),
                    mac("csrf", parts[3]),
                    sessionId(parts[3]),
                    Instant.ofEpochSecond(Long.parseLong(parts[2]))));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * The id a session is revoked under: a digest of the cookie's nonce, so the list of ended
     * sessions (a topic every dashboard instance reads) holds nothing a cookie could be made from.
     */
    public static String sessionId(String nonce) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(nonce.getBytes(StandardCharsets.US_ASCII));
            return java.util.HexFormat.of().formatHex(digest, 0, 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime ships SHA-256", e);
        }
    }

    private String mac(String purpose, String value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update(purpose.getBytes(StandardCharsets.US_ASCII));
            mac.update((byte) 0);
            return B64.encodeToString(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
