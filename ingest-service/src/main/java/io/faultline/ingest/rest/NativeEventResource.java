package io.faultline.ingest.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.faultline.ingest.service.EventIntake;
import io.faultline.ingest.service.IngestProblem;
import io.faultline.ingest.service.ProjectKeys;
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

/** Faultline's native intake: one event in Sentry's event shape, JSON. */
@Path("/api/v1/projects/{projectId}/events")
public class NativeEventResource {

    private final EventIntake intake;
    private final ProjectKeys keys;
    private final ObjectMapper json;

    public NativeEventResource(EventIntake intake, ProjectKeys keys, ObjectMapper json) {
        this.intake = intake;
        this.keys = keys;
        this.json = json;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Blocking
    @Operation(summary = "Store one error event", description = "Answers 202 once the event is durably stored.")
    public CompletionStage<Response> post(
            @PathParam("projectId") String projectId,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            byte[] body) {
        keys.authorize(projectId, bearer(authorization));
        JsonNode payload = parse(body);
        return intake.accept(projectId, payload, "native")
                .thenApply(id -> Response.accepted(Map.of("id", id)).build());
    }

    private JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            throw IngestProblem.badRequest("", "empty body: send one JSON event");
        }
        try {
            return json.readTree(body);
        } catch (JsonProcessingException e) {
            throw IngestProblem.badRequest(
                    "",
                    "malformed JSON at line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw IngestProblem.badRequest("", "unreadable body: " + e.getMessage());
        }
    }

    static String bearer(String authorization) {
        if (authorization == null) {
            return null;
        }
        String value = authorization.trim();
        return value.regionMatches(true, 0, "Bearer ", 0, 7)
                ? value.substring(7).trim()
                : null;
    }
}
