package io.faultline.dashboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * The impact-service's query API, which the dashboard fronts for users. Filters are passed through
 * as given, so a filter the impact-service learns needs no change here.
 */
@RegisterRestClient(configKey = "impact")
@Path("/api/v1")
public interface ImpactClient {

    @GET
    @Path("/overview")
    Uni<JsonNode> overview(@RestQuery MultivaluedMap<String, String> query);

    @GET
    @Path("/workflows/impact")
    Uni<JsonNode> workflowImpact(@RestQuery MultivaluedMap<String, String> query);

    @GET
    @Path("/sla")
    Uni<JsonNode> sla(@RestQuery MultivaluedMap<String, String> query);

    /**
     * The SLA report in the type the caller accepts (JSON, CSV or HTML), whole: the dashboard
     * passes it on as it is. A refusal (4xx) still arrives as an exception, with its problem.
     */
    @GET
    @Path("/sla/report")
    Uni<Response> slaReport(
            @RestQuery MultivaluedMap<String, String> query, @HeaderParam(HttpHeaders.ACCEPT) String accept);

    @GET
    @Path("/groups")
    Uni<JsonNode> groups(@RestQuery MultivaluedMap<String, String> query);

    @GET
    @Path("/groups/{id}")
    Uni<JsonNode> group(@PathParam("id") String id);

    @GET
    @Path("/groups/{id}/tags")
    Uni<JsonNode> groupTags(@PathParam("id") String id);

    @GET
    @Path("/groups/{id}/events")
    Uni<JsonNode> groupEvents(@PathParam("id") String id, @RestQuery MultivaluedMap<String, String> query);

    @GET
    @Path("/groups/{id}/events/{pick}")
    Uni<JsonNode> groupEvent(@PathParam("id") String id, @PathParam("pick") String pick);

    @GET
    @Path("/events/{id}")
    Uni<JsonNode> event(@PathParam("id") String id);

    @GET
    @Path("/resolutions")
    Uni<JsonNode> resolutions(@RestQuery MultivaluedMap<String, String> query);

    @GET
    @Path("/incidents")
    Uni<JsonNode> incidents(@RestQuery MultivaluedMap<String, String> query);

    @GET
    @Path("/alert-rules")
    Uni<JsonNode> alertRules();

    @GET
    @Path("/alert-rules/{id}")
    Uni<JsonNode> alertRule(@PathParam("id") String id);

    @GET
    @Path("/alert-rules/{id}/history")
    Uni<JsonNode> alertRuleHistory(@PathParam("id") String id, @RestQuery MultivaluedMap<String, String> query);

    /** The rule as the caller sent it: the impact-service validates it and names what it refuses. */
    @POST
    @Path("/alert-rules")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<JsonNode> createAlertRule(String rule);

    @PUT
    @Path("/alert-rules/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<JsonNode> updateAlertRule(@PathParam("id") String id, String rule);

    @DELETE
    @Path("/alert-rules/{id}")
    Uni<Void> deleteAlertRule(@PathParam("id") String id);
}
