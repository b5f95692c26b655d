package io.faultline.dashboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** The impact-service's query API, which the dashboard fronts for users. */
@RegisterRestClient(configKey = "impact")
@Path("/api/v1")
public interface ImpactClient {

    @GET
    @Path("/overview")
    Uni<JsonNode> overview(@QueryParam("project") String project, @QueryParam("limit") Integer limit);
}
