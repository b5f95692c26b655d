package io.faultline.ingest.service;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Finds the public key a Sentry SDK presented. SDKs send it in one of three places (see Sentry's
 * "Authentication" developer docs and Relay's {@code RequestMeta}): the {@code X-Sentry-Auth}
 * header ({@code Sentry sentry_key=..., sentry_version=7, ...}, also accepted in
 * {@code Authorization}), the {@code sentry_key} query parameter (browsers, to avoid a CORS
 * preflight), or the {@code dsn} in the envelope header. Presenting two different keys is refused,
 * as Relay refuses "multiple authorization payloads".
 */
public final class SentryCredentials {

    private SentryCredentials() {}

    /** The presented public key and, when it came from a DSN, the DSN's project id. */
    public record Presented(String publicKey, String dsnProjectId) {}

    /**
     * @throws IngestProblem 401 when no key was presented, 400 when the places disagree
     */
    public static Presented resolve(String xSentryAuth, String authorization, String queryKey, String dsn) {
        Set<String> keys = new LinkedHashSet<>();
        addIfPresent(keys, fromAuthHeader(xSentryAuth));
        if (authorization != null && authorization.trim().regionMatches(true, 0, "Sentry ", 0, 7)) {
            addIfPresent(keys, fromAuthHeader(authorization));
        }
        addIfPresent(keys, queryKey);
        String dsnProject = null;
        if (dsn != null && !dsn.isBlank()) {
            String[] parsed = parseDsn(dsn);
            addIfPresent(keys, parsed[0]);
            dsnProject = parsed[1];
        }
        if (keys.isEmpty()) {
            throw IngestProblem.unauthorized(
                    "missing authorization: send X-Sentry-Auth: Sentry sentry_key=<public key>, sentry_version=7");
        }
        if (keys.size() > 1) {
            throw new IngestProblem(
                    400,
                    "conflicting-auth",
                    "multiple authorization payloads with different keys",
                    java.util.List.of());
        }
        return new Presented(keys.iterator().next(), dsnProject);
    }

    /** {@code sentry_key} of an {@code X-Sentry-Auth} value, or null. */
    static String fromAuthHeader(String header) {
        if (header == null) {
            return null;
        }
        String value = header.trim();
        if (value.regionMatches(true, 0, "Sentry ", 0, 7)) {
            value = value.substring(7);
        }
        for (String part : value.split(",")) {
            int eq = part.indexOf('=');
            if (eq > 0 && part.substring(0, eq).trim().toLowerCase(Locale.ROOT).equals("sentry_key")) {
                String key = part.substring(eq + 1).trim();
                return key.isEmpty() ? null : key;
            }
        }
        return null;
    }

    /** {@code [public key, project id]} of {@code scheme://key[:secret]@host[:port]/[path/]project}. */
    public static String[] parseDsn(String dsn) {
        URI uri;
        try {
            uri = new URI(dsn.trim());
        } catch (URISyntaxException e) {
            throw IngestProblem.unauthorized("the envelope's dsn is not a URI: " + e.getMessage());
        }
        String userInfo = uri.getRawUserInfo();
        String path = uri.getPath();
        if (userInfo == null || userInfo.isEmpty() || path == null || path.length() < 2) {
            throw IngestProblem.unauthorized("the envelope's dsn has no public key or project id");
        }
        int colon = userInfo.indexOf(':');
        String key = colon >= 0 ? userInfo.substring(0, colon) : userInfo;
        String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        String project = trimmed.substring(trimmed.lastIndexOf('/') + 1);
        return new String[] {key, project};
    }

    private static void addIfPresent(Set<String> keys, String key) {
        if (key != null && !key.isBlank()) {
            keys.add(key.trim());
        }
    }
}
