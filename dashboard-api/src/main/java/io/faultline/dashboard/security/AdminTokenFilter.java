package io.faultline.dashboard.security;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Every {@code /api/} path is admin-only: it needs {@code Authorization: Bearer <admin token>}.
 * Without a configured token nothing under {@code /api/} is served at all, rather than served open.
 */
public class AdminTokenFilter {

    private final Optional<String> adminToken;

    public AdminTokenFilter(@ConfigProperty(name = "faultline.admin-token") Optional<String> adminToken) {
        this.adminToken = adminToken.filter(t -> !t.isBlank());
    }

    @ServerRequestFilter(preMatching = true)
    public Optional<Response> requireAdmin(ContainerRequestContext request) {
        if (!request.getUriInfo().getPath().startsWith("/api/")) {
            return Optional.empty();
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        String presented = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
                ? header.substring(7).trim()
                : null;
        if (presented == null
                || adminToken.isEmpty()
                || !MessageDigest.isEqual(
                        adminToken.get().getBytes(StandardCharsets.UTF_8),
                        presented.getBytes(StandardCharsets.UTF_8))) {
            return Optional.of(Response.status(Response.Status.UNAUTHORIZED)
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"faultline\"")
                    .type("application/problem+json")
                    .entity(Map.of(
                            "type", "https://faultline.dev/problems/unauthorized",
                            "title", "unauthorized",
                            "status", 401,
                            "detail", "send Authorization: Bearer <admin token>"))
                    .build());
        }
        return Optional.empty();
    }
}
