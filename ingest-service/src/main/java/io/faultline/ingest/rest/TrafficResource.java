package io.faultline.ingest.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.faultline.ingest.protection.IntakeGuard;
import io.faultline.ingest.service.IngestProblem;
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

    /**
     * A sample is one small object. The body is read as bytes and parsed only once the key is
     * checked and the size is known: a 20 MB JSON array parsed as a tree before that would hold
     * ten times its size, for anyone who posts it.
     */
    static final int MAX_SAMPLE_BYTES = 64 * 1024;

    private final TrafficIntake traffic;
    private final ProjectKeys keys;
    private final ObjectMapper json;

    private final IntakeGuard guard;

    public TrafficResource(TrafficIntake traffic, ProjectKeys keys, ObjectMapper json, IntakeGuard guard) {
        this.guard = guard;
        this.traffic = traffic;
        this.keys = keys;
        this.json = json;
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
            byte[] body) {
        String key = NativeEventResource.bearer(authorization);
        keys.authorize(projectId, key);
        guard.admit(projectId, key);
        return guard.bounded(() -> traffic.fromNative(projectId, parse(body)))
                .thenApply(id -> Response.accepted(Map.of("id", id)).build());
    }

    private JsonNode parse(byte[] body) {
        if (body.length > MAX_SAMPLE_BYTES) {
            throw IngestProblem.tooLarge("a traffic sample is one JSON object of at most " + MAX_SAMPLE_BYTES
                    + " bytes; this body has " + body.length);
        }
        return NativeEventResource.parse(json, body, 0, body.length);
    }
}
