package io.faultline.dashboard.security;

import io.faultline.dashboard.rest.Problems;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The one place that decides who gets in. It sits on the Vert.x router ahead of both the REST
 * endpoints and the static UI files (a JAX-RS filter would not see the latter).
 *
 * <ul>
 *   <li>{@code /q/*} (health, metrics), the login page and {@code /assets/*} are open;
 *   <li>everything else needs a session cookie or {@code Authorization: Bearer <admin token>};
 *       strangers get 401 on {@code /api/*} and a redirect to the login page elsewhere;
 *   <li>reads need viewer, group actions and alert rules operator, any other change admin (else 403);
 *   <li>a state-changing request on a session must carry the session's CSRF token in {@value
 *       #CSRF_HEADER} (the cookie is also SameSite=Strict; the two together cover old browsers).
 * </ul>
 */
@ApplicationScoped
public class AccessGate {

    public static final String SESSION_COOKIE = "faultline_session";
    public static final String CSRF_HEADER = "X-Faultline-CSRF";
    public static final String LOGIN_PAGE = "/login.html";

    private static final Set<String> OPEN_PATHS = Set.of(LOGIN_PAGE, "/auth/login", "/favicon.ico");
    /** One group's action, or the same action on a selection of groups. */
    private static final Pattern GROUP_ACTION = Pattern.compile("^/api/v1/groups/([^/]+/actions|bulk-actions)$");
    /** Alert rules are the operators' to set, like group actions: no admin needed to be paged. */
    private static final Pattern ALERT_RULES = Pattern.compile("^/api/v1/alert-rules(/[^/]+)?$");

    private final SessionTokens sessions;
    private final UserDirectory users;
    private final Optional<String> adminToken;
    private final SessionRevocations revocations;

    public AccessGate(
            SessionTokens sessions,
            UserDirectory users,
            SessionRevocations revocations,
            @ConfigProperty(name = "faultline.admin-token") Optional<String> adminToken) {
        this.sessions = sessions;
        this.users = users;
        this.revocations = revocations;
        this.adminToken = adminToken.filter(t -> !t.isBlank());
    }

    void install(@Observes Router router) {
        // negative order: ahead of the REST and static-resource routes Quarkus adds
        router.route().order(-100).handler(this::handle);
    }

    void handle(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        if (path.startsWith("/q/") || path.startsWith("/assets/") || OPEN_PATHS.contains(path)) {
            if ("/auth/login".equals(path) && !sameOrigin(ctx)) {
                refuse(ctx, 403, "forbidden", "cross-origin login refused");
                return;
            }
            ctx.next();
            return;
        }
        Optional<Principal> principal = identify(ctx);
        boolean api = path.startsWith("/api/");
        if (principal.isEmpty()) {
            if (api) {
                ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"faultline\"");
                refuse(ctx, 401, "unauthorized", "log in at " + LOGIN_PAGE + " or send Authorization: Bearer <token>");
            } else {
                ctx.response()
                        .setStatusCode(302)
                        .putHeader(HttpHeaders.LOCATION, LOGIN_PAGE)
                        .end();
            }
            return;
        }
        Principal who = principal.get();
        boolean changesState = !(ctx.request().method() == HttpMethod.GET
                || ctx.request().method() == HttpMethod.HEAD
                || ctx.request().method() == HttpMethod.OPTIONS);
        if (changesState && who.fromSession() && !csrfTokenMatches(ctx, who)) {
            refuse(ctx, 403, "forbidden", "missing or wrong " + CSRF_HEADER + " header; reload the page");
            return;
        }
        Role needed = !changesState || "/auth/logout".equals(path)
                ? Role.VIEWER
                : GROUP_ACTION.matcher(path).matches()
                                || ALERT_RULES.matcher(path).matches()
                        ? Role.OPERATOR
                        : Role.ADMIN;
        if (!who.role().includes(needed)) {
            refuse(
                    ctx,
                    403,
                    "forbidden",
                    "this needs the " + needed.id() + " role; you are "
                            + who.role().id());
            return;
        }
        ctx.put(Principal.CONTEXT_KEY, who);
        ctx.next();
    }

    private Optional<Principal> identify(RoutingContext ctx) {
        String header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String presented = header.substring(7).trim();
            return adminToken
                    .filter(t -> MessageDigest.isEqual(
                            t.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8)))
                    .map(t -> Principal.bearer("admin-token", Role.ADMIN));
        }
        Cookie cookie = ctx.request().getCookie(SESSION_COOKIE);
        return sessions.verify(cookie == null ? null : cookie.getValue())
                .filter(p -> !revocations.isRevoked(p.sessionId()))
                .filter(p -> users.stillHas(p.name(), p.role()));
    }

    private static boolean csrfTokenMatches(RoutingContext ctx, Principal who) {
        String presented = ctx.request().getHeader(CSRF_HEADER);
        return presented != null
                && MessageDigest.isEqual(
                        who.csrfToken().getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
    }

    /** Browsers send Origin on every cross-site POST; a missing one is a non-browser client. */
    private static boolean sameOrigin(RoutingContext ctx) {
        String origin = ctx.request().getHeader(HttpHeaders.ORIGIN);
        if (origin == null || "null".equals(origin)) {
            return origin == null;
        }
        try {
            URI uri = URI.create(origin);
            String host = uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
            return host.equalsIgnoreCase(ctx.request().getHeader(HttpHeaders.HOST));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static void refuse(RoutingContext ctx, int status, String title, String detail) {
        Problems.send(ctx, status, title, detail);
    }
}
