package io.faultline.resolver.rest;

import io.faultline.resolver.config.ResolverConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;

/**
 * Guards the endpoints that change what the resolver does. With no token configured they are
 * closed, so a forgotten setting cannot leave them open.
 */
@ApplicationScoped
public class AdminTokenGuard {

    private static final String BEARER = "Bearer ";
    private final ResolverConfig config;

    public AdminTokenGuard(ResolverConfig config) {
        this.config = config;
    }

    public void check(String authorization) {
        String expected = config.adminToken().orElse(null);
        boolean ok = expected != null
                && !expected.isEmpty()
                && authorization != null
                && authorization.startsWith(BEARER)
                // constant-time: the comparison must not leak how much of a guess was right
                && MessageDigest.isEqual(
                        authorization.substring(BEARER.length()).getBytes(StandardCharsets.UTF_8),
                        expected.getBytes(StandardCharsets.UTF_8));
        if (!ok) {
            throw new WebApplicationException(Response.status(Response.Status.UNAUTHORIZED)
                    .entity(Map.of(
                            "error", "a valid admin token is required (Authorization: Bearer <faultline.admin-token>)"))
                    .build());
        }
    }
}
