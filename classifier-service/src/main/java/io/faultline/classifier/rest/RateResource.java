package io.faultline.classifier.rest;

import io.faultline.classifier.rates.ErrorRates;
import io.faultline.classifier.rates.RateQueries;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.function.Supplier;
import org.apache.kafka.streams.errors.InvalidStateStoreException;

/** Error rates per group, project and workflow in 1m/5m/1h event-time windows. */
@Path("/api/v1/rates")
@Produces(MediaType.APPLICATION_JSON)
public class RateResource {

    private final RateQueries rates;

    public RateResource(RateQueries rates) {
        this.rates = rates;
    }

    @GET
    @Path("/groups/{groupId}")
    public Response group(@PathParam("groupId") String groupId) {
        return answer(() -> rates.group(groupId));
    }

    @GET
    @Path("/projects/{projectId}")
    public Response project(@PathParam("projectId") String projectId) {
        return answer(() -> rates.project(projectId));
    }

    @GET
    @Path("/projects/{projectId}/workflows/{workflow}")
    public Response workflow(@PathParam("projectId") String projectId, @PathParam("workflow") String workflow) {
        return answer(() -> rates.workflow(projectId, workflow));
    }

    /** Stores are unavailable while the streams start or rebalance: retryable, so 503. */
    private static Response answer(Supplier<ErrorRates> query) {
        try {
            return Response.ok(query.get()).build();
        } catch (InvalidStateStoreException e) {
            return Response.status(Response.Status.SERVICE_UNAVAILABLE)
                    .header("Retry-After", "5")
                    .entity(java.util.Map.of("error", "rate stores not ready: " + e.getMessage()))
                    .build();
        }
    }
}
