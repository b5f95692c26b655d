package io.faultline.dashboard.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.faultline.dashboard.client.ImpactClient;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/** What is failing right now: total events, groups, most recently seen first. */
@Path("/api/v1/overview")
@Produces(MediaType.APPLICATION_JSON)
public class OverviewResource {

    private final ImpactClient impact;

    public OverviewResource(@RestClient ImpactClient impact) {
        this.impact = impact;
    }

    @GET
    @Operation(summary = "Totals and the most recently seen error groups")
    public Uni<JsonNode> overview(@Context UriInfo uri) {
        // passed through as text: the impact-service names a bad project or limit in its 400
        return impact.overview(uri.getQueryParameters());
    }
}
