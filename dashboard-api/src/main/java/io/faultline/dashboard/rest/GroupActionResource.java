package io.faultline.dashboard.rest;

import io.faultline.dashboard.security.Principal;
import io.faultline.dashboard.service.GroupActions;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** {@code POST /api/v1/groups/{id}/actions}: operators act on a group; every action is audited. */
@Path("/api/v1/groups/{id}/actions")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class GroupActionResource {

    /** The request body; {@code projectId} is needed because the audit trail is per project. */
    public record ActionRequest(String action, String projectId, String note) {}

    private final GroupActions actions;

    public GroupActionResource(GroupActions actions) {
        this.actions = actions;
    }

    @POST
    @Operation(summary = "Resolve, ignore, reopen or acknowledge a group (operator role); 202 once audited")
    public Uni<Response> act(@PathParam("id") String groupId, ActionRequest request, RoutingContext ctx) {
        if (request == null
                || request.action() == null
                || !GroupActions.ACTIONS.contains(request.action())
                || request.projectId() == null
                || request.projectId().isBlank()) {
            return Uni.createFrom()
                    .item(Response.status(400)
                            .type("application/problem+json")
                            .entity(Map.of(
                                    "title",
                                    "bad-request",
                                    "status",
                                    400,
                                    "detail",
                                    "send {\"action\": one of " + GroupActions.ACTIONS
                                            + ", \"projectId\": \"...\", \"note\": optional}"))
                            .build());
        }
        Principal who = ctx.get(Principal.CONTEXT_KEY);
        return actions.record(groupId, request.projectId(), request.action(), who.name(), request.note())
                .map(recorded -> Response.accepted(recorded).build());
    }
}
