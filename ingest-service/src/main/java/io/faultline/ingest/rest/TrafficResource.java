package io.faultline.ingest.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.faultline.ingest.protection.IntakeGuard;
import io.faultline.ingest.service.ProjectKeys;
import io.faultline.ingest.service.TrafficIntake;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Request counts per workflow or transaction: the denominators of error rates. */
@Path("/api/v1/projects/{projectId}/traffic")
public class TrafficResource {

    private final TrafficIntake traffic;
    private final ProjectKeys keys;

    private final IntakeGuard guard;

    public TrafficResource(TrafficIntake traffic, ProjectKeys keys, IntakeGuard guard) {
        this.guard = guard;
        this.traffic = traffic;
        this.keys = keys;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Blocking
    @Operation(
            summary = "Report request counts",
            description =
                    "{\"workflow\":\"booking\",\"requests\":1000,\"failed\":3,\"windowStart\":..,\"windowEnd\":..}; "
                            + "202 once stored.")
    public CompletionStage<Response> post(
            @PathParam("projectId") String projectId,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            JsonNode body) {
        String key = NativeEventResource.bearer(authorization);
        keys.authorize(projectId, key);
        guard.admit(projectId, key);
        return guard.bounded(() -> traffic.fromNative(projectId, body))
                .thenApply(id -> Response.accepted(Map.of("id", id)).build());
    }
}
