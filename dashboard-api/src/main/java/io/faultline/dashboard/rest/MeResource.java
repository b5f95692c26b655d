package io.faultline.dashboard.rest;

import io.faultline.dashboard.security.Principal;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Who is logged in, their CSRF token, and what the UI needs to tell a new user how to start. */
@Path("/api/v1/me")
@Produces(MediaType.APPLICATION_JSON)
public class MeResource {

    /** The page's view of its session and of where errors are sent. */
    public record Me(String user, String role, String csrfToken, String ingestUrl, String projectId) {}

    private final String ingestUrl;
    private final String projectId;

    public MeResource(
            @ConfigProperty(name = "faultline.ingest.public-url", defaultValue = "http://localhost:8081")
                    String ingestUrl,
            @ConfigProperty(name = "faultline.default-project.id", defaultValue = "1") String projectId) {
        this.ingestUrl = ingestUrl;
        this.projectId = projectId;
    }

    @GET
    @Operation(summary = "The current user, role and CSRF token; the ingest URL for a first error")
    public Me me(RoutingContext ctx) {
        Principal who = ctx.get(Principal.CONTEXT_KEY);
        return new Me(who.name(), who.role().id(), who.csrfToken(), ingestUrl, projectId);
    }
}
