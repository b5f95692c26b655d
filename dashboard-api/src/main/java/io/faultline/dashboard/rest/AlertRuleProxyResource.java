package io.faultline.dashboard.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.faultline.dashboard.client.ImpactClient;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * The impact-service's alert rules (docs/alerts.md) behind the dashboard's login: viewers read them
 * and their history, operators change them ({@link io.faultline.dashboard.security.AccessGate}). The
 * impact-service validates; its 400 problem, naming each field, reaches the caller as it is.
 */
@Path("/api/v1/alert-rules")
@Produces(MediaType.APPLICATION_JSON)
public class AlertRuleProxyResource {

    private final ImpactClient impact;

    public AlertRuleProxyResource(@RestClient ImpactClient impact) {
        this.impact = impact;
    }

    @GET
    @Operation(summary = "Every alert rule (secrets are never returned)")
    public Uni<JsonNode> list() {
        return impact.alertRules();
    }

    @GET
    @Path("{id}")
    public Uni<JsonNode> get(@PathParam("id") String id) {
        return valid(id).chain(() -> impact.alertRule(id));
    }

    @GET
    @Path("{id}/history")
    @Operation(summary = "A rule's alerts: fired, delivered or failed, with every try")
    public Uni<JsonNode> history(@PathParam("id") String id, @Context UriInfo uri) {
        return valid(id).chain(() -> impact.alertRuleHistory(id, uri.getQueryParameters()));
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Creates an alert rule (operator)")
    public Uni<Response> create(String rule) {
        return impact.createAlertRule(rule == null ? "" : rule).map(created -> Response.status(201)
                .entity(created)
                .type(MediaType.APPLICATION_JSON)
                .build());
    }

    @PUT
    @Path("{id}")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Replaces an alert rule (operator)")
    public Uni<JsonNode> update(@PathParam("id") String id, String rule) {
        return valid(id).chain(() -> impact.updateAlertRule(id, rule == null ? "" : rule));
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Deletes an alert rule and its history (operator)")
    public Uni<Response> delete(@PathParam("id") String id) {
        return valid(id).chain(() -> impact.deleteAlertRule(id)).map(v -> Response.noContent()
                .build());
    }

    /** A rule id is a number: anything else never reaches the impact-service's path. */
    private static Uni<Void> valid(String id) {
        if (id.isEmpty() || id.length() > 18 || !id.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Uni.createFrom()
                    .failure(new BadRequestException(Problems.badRequest("id", "must be a positive whole number")));
        }
        return Uni.createFrom().voidItem();
    }
}
