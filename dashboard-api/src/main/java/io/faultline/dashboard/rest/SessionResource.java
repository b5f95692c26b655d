package io.faultline.dashboard.rest;

import io.faultline.dashboard.security.AccessGate;
import io.faultline.dashboard.security.LoginThrottle;
import io.faultline.dashboard.security.Principal;
import io.faultline.dashboard.security.Role;
import io.faultline.dashboard.security.SessionRevocations;
import io.faultline.dashboard.security.SessionTokens;
import io.faultline.dashboard.security.UserDirectory;
import io.smallrye.common.annotation.Blocking;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** Form login and logout; the session itself is the signed cookie {@link SessionTokens} issues. */
@Path("/auth")
public class SessionResource {

    private static final Logger LOG = Logger.getLogger(SessionResource.class);

    private final UserDirectory users;
    private final SessionTokens sessions;
    private final LoginThrottle throttle;
    private final SessionRevocations revocations;
    private final boolean secureCookie;

    public SessionResource(
            UserDirectory users,
            SessionTokens sessions,
            LoginThrottle throttle,
            SessionRevocations revocations,
            @ConfigProperty(name = "faultline.session.secure-cookie", defaultValue = "false") boolean secureCookie) {
        this.users = users;
        this.sessions = sessions;
        this.throttle = throttle;
        this.revocations = revocations;
        this.secureCookie = secureCookie;
    }

    /**
     * Blocking: PBKDF2 costs tens of milliseconds by design, too long for the event loop. The form
     * is decoded here, as UTF-8 (what the login page sends): REST's own decoding of a malformed
     * escape such as {@code %zz} failed the request with a 500 (issue #19).
     */
    @POST
    @Path("/login")
    @Blocking
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response login(String form) {
        Map<String, String> fields;
        try {
            fields = formFields(form);
        } catch (MalformedField malformed) {
            return Problems.badRequest(malformed.field, "is not URL-encoded: " + malformed.getMessage());
        }
        String username = fields.get("username");
        String password = fields.get("password");
        long wait = throttle.secondsToWait(username);
        if (wait > 0) {
            LOG.infof("login for %s not checked: %d s to wait after repeated failures", loggable(username), wait);
            return throttled(wait);
        }
        if (!throttle.startCheck()) {
            return throttled(1);
        }
        Optional<Role> role;
        try {
            role = users.authenticate(username, password);
        } finally {
            throttle.endCheck();
        }
        if (role.isEmpty()) {
            throttle.failed(username);
            LOG.infof("login refused for %s", loggable(username));
            return Response.seeOther(URI.create(AccessGate.LOGIN_PAGE + "?error=credentials"))
                    .build();
        }
        throttle.succeeded(username);
        LOG.infof("login: %s (%s)", username, role.get().id());
        return Response.seeOther(URI.create("/"))
                .cookie(cookie(sessions.issue(username, role.get()), (int)
                        sessions.lifetime().toSeconds()))
                .build();
    }

    /** A form field whose name or value holds a malformed escape. */
    static final class MalformedField extends IllegalArgumentException {
        final String field;

        MalformedField(String field, IllegalArgumentException cause) {
            super(cause.getMessage(), cause);
            this.field = field;
        }
    }

    /**
     * The first value of each name in a URL-encoded form.
     *
     * @throws MalformedField naming the field ("body" when its name is what is malformed)
     */
    static Map<String, String> formFields(String form) {
        Map<String, String> fields = new HashMap<>();
        if (form == null || form.isEmpty()) {
            return fields;
        }
        for (String pair : form.split("&")) {
            int eq = pair.indexOf('=');
            String name = decode("body", eq < 0 ? pair : pair.substring(0, eq));
            fields.putIfAbsent(name, eq < 0 ? "" : decode(name, pair.substring(eq + 1)));
        }
        return fields;
    }

    private static String decode(String field, String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new MalformedField(field, e);
        }
    }

    /**
     * A name typed by anyone, as a log line may hold it: control characters (a forged second log
     * line) become '?', and a name past 64 characters is cut.
     */
    static String loggable(String name) {
        if (name == null) {
            return "(none)";
        }
        StringBuilder out = new StringBuilder(Math.min(name.length(), 65));
        for (int i = 0; i < name.length() && i < 64; i++) {
            char c = name.charAt(i);
            out.append(Character.isISOControl(c) ? '?' : c);
        }
        return name.length() > 64 ? out.append('…').toString() : out.toString();
    }

    /** Back to the form, which says how long to wait; Retry-After says it to scripts. */
    private static Response throttled(long seconds) {
        return Response.seeOther(URI.create(AccessGate.LOGIN_PAGE + "?error=throttled&retry=" + seconds))
                .header("Retry-After", seconds)
                .build();
    }

    @POST
    @Path("/logout")
    public Response logout(RoutingContext ctx) {
        Principal who = ctx.get(Principal.CONTEXT_KEY);
        LOG.infof("logout: %s", who == null ? "?" : who.name());
        if (who != null && who.sessionId() != null) {
            // the cookie is signed, not stored: without this a copy of it would outlive the logout
            revocations.revoke(who.sessionId(), who.sessionExpires());
        }
        return Response.seeOther(URI.create(AccessGate.LOGIN_PAGE))
                .cookie(cookie("", 0))
                .build();
    }

    private NewCookie cookie(String value, int maxAge) {
        return new NewCookie.Builder(AccessGate.SESSION_COOKIE)
                .value(value)
                .path("/")
                .httpOnly(true)
                .secure(secureCookie)
                .sameSite(NewCookie.SameSite.STRICT)
                .maxAge(maxAge)
                .build();
    }
}
