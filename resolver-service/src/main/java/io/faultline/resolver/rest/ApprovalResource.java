package io.faultline.resolver.rest;

import io.faultline.resolver.engine.ResolutionEngine;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;

@Path("/api/v1/approvals")
@Produces(MediaType.APPLICATION_JSON)
public class ApprovalResource {

    /** An operator's answer: {@code decision} is approve or reject. */
    public record Decision(String decision, String operator) {}

    private final ResolutionEngine engine;
    private final AdminTokenGuard guard;

    public ApprovalResource(ResolutionEngine engine, AdminTokenGuard guard) {
        this.engine = engine;
        this.guard = guard;
    }

    @GET
    public List<String> pending(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        guard.check(authorization);
        return engine.pendingApprovals();
    }

    @POST
    @Path("/{attemptId}")
    public Response decide(
            @PathParam("attemptId") String attemptId,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            Decision decision) {
        guard.check(authorization);
        if (decision == null || !("approve".equals(decision.decision()) || "reject".equals(decision.decision()))) {
            return Response.status(400)
                    .entity(Map.of("error", "decision must be 'approve' or 'reject'"))
                    .build();
        }
        String operator =
                decision.operator() == null || decision.operator().isBlank() ? "an operator" : decision.operator();
        return switch (engine.decide(attemptId, "approve".equals(decision.decision()), operator)) {
            case APPROVED -> Response.ok(Map.of("attemptId", attemptId, "status", "approved"))
                    .build();
            case REJECTED -> Response.ok(Map.of("attemptId", attemptId, "status", "rejected"))
                    .build();
            case NOT_PENDING -> Response.status(404)
                    .entity(Map.of("error", "no attempt " + attemptId + " is waiting for approval"))
                    .build();
        };
    }
}
