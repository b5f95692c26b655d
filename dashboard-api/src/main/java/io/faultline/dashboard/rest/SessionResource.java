package io.faultline.dashboard.rest;

import io.faultline.dashboard.security.AccessGate;
import io.faultline.dashboard.security.Principal;
import io.faultline.dashboard.security.SessionTokens;
import io.faultline.dashboard.security.UserDirectory;
import io.smallrye.common.annotation.Blocking;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** Form login and logout; the session itself is the signed cookie {@link SessionTokens} issues. */
@Path("/auth")
public class SessionResource {

    private static final Logger LOG = Logger.getLogger(SessionResource.class);

    private final UserDirectory users;
    private final SessionTokens sessions;
    private final boolean secureCookie;

    public SessionResource(
            UserDirectory users,
            SessionTokens sessions,
            @ConfigProperty(name = "faultline.session.secure-cookie", defaultValue = "false") boolean secureCookie) {
        this.users = users;
        this.sessions = sessions;
        this.secureCookie = secureCookie;
    }

    /** Blocking: PBKDF2 costs tens of milliseconds by design, too long for the event loop. */
    @POST
    @Path("/login")
    @Blocking
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response login(@FormParam("username") String username, @FormParam("password") String password) {
        return users.authenticate(username, password)
                .map(role -> {
                    LOG.infof("login: %s (%s)", username, role.id());
                    return Response.seeOther(URI.create("/"))
                            .cookie(cookie(sessions.issue(username, role), (int)
                                    sessions.lifetime().toSeconds()))
                            .build();
                })
                .orElseGet(() -> {
                    LOG.infof("login refused for %s", username);
                    return Response.seeOther(URI.create(AccessGate.LOGIN_PAGE + "?error=credentials"))
                            .build();
                });
    }

    @POST
    @Path("/logout")
    public Response logout(RoutingContext ctx) {
        Principal who = ctx.get(Principal.CONTEXT_KEY);
        LOG.infof("logout: %s", who == null ? "?" : who.name());
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
