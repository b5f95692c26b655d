package io.faultline.dashboard.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.faultline.dashboard.client.ImpactClient;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * The impact-service's read API under the same paths, behind the dashboard's login. Query
 * parameters (filters, {@code cursor}, {@code limit}, {@code from}/{@code to}) pass through untouched.
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class ImpactQueryResource {

    private final ImpactClient impact;

    public ImpactQueryResource(@RestClient ImpactClient impact) {
        this.impact = impact;
    }

    @GET
    @Path("/workflows/impact")
    @Operation(summary = "Requests, errors and revenue lost per business workflow")
    public Uni<JsonNode> workflowImpact(@Context UriInfo uri) {
        return impact.workflowImpact(uri.getQueryParameters());
    }

    @GET
    @Path("/sla")
    @Operation(summary = "SLA/SLO attainment per workflow")
    public Uni<JsonNode> sla(@Context UriInfo uri) {
        return impact.sla(uri.getQueryParameters());
    }

    @GET
    @Path("/groups")
    @Operation(
            summary = "Error groups, filtered, searched (query=, Sentry's syntax) and sorted, one page at a time"
                    + " (cursor pagination)")
    public Uni<JsonNode> groups(@Context UriInfo uri) {
        return impact.groups(uri.getQueryParameters());
    }

    @GET
    @Path("/groups/{id}")
    @Operation(summary = "One error group with its occurrences")
    public Uni<JsonNode> group(@PathParam("id") String id) {
        if (!Ids.valid(id)) {
            // the impact-service refuses it too; an older one answered a NUL with a 500 (issue #19)
            return invalidId();
        }
        return impact.group(id);
    }

    @GET
    @Path("/groups/{id}/tags")
    @Operation(summary = "A group's tag distributions, users affected, first and last release")
    public Uni<JsonNode> groupTags(@PathParam("id") String id) {
        return Ids.valid(id) ? impact.groupTags(id) : invalidId();
    }

    @GET
    @Path("/groups/{id}/events")
    @Operation(summary = "A group's events, newest first, one page at a time (cursor pagination)")
    public Uni<JsonNode> groupEvents(@PathParam("id") String id, @Context UriInfo uri) {
        return Ids.valid(id) ? impact.groupEvents(id, uri.getQueryParameters()) : invalidId();
    }

    @GET
    @Path("/groups/{id}/events/{pick}")
    @Operation(summary = "A group's latest, oldest or recommended event, whole")
    public Uni<JsonNode> groupEvent(@PathParam("id") String id, @PathParam("pick") String pick) {
        return Ids.valid(id) ? impact.groupEvent(id, pick) : invalidId();
    }

    @GET
    @Path("/events/{id}")
    @Operation(summary = "One event whole: exception chain with frames, message, tags, request, user, SDK")
    public Uni<JsonNode> event(@PathParam("id") String id) {
        return Ids.valid(id) ? impact.event(id) : invalidId();
    }

    private static Uni<JsonNode> invalidId() {
        return Uni.createFrom().failure(new BadRequestException(Problems.badRequest("id", Ids.RULE)));
    }

    @GET
    @Path("/resolutions")
    @Operation(summary = "The resolution audit trail")
    public Uni<JsonNode> resolutions(@Context UriInfo uri) {
        return impact.resolutions(uri.getQueryParameters());
    }

    @GET
    @Path("/incidents")
    @Operation(summary = "Incidents: periods a group, workflow or project was in trouble (filters, cursor pagination)")
    public Uni<JsonNode> incidents(@Context UriInfo uri) {
        return impact.incidents(uri.getQueryParameters());
    }
}
