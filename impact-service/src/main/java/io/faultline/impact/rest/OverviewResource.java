package io.faultline.impact.rest;

import io.faultline.impact.model.Overview;
import io.faultline.impact.repository.OverviewQueries;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** Internal query API; the dashboard-api fronts it for users. */
@Path("/api/v1/overview")
@Produces(MediaType.APPLICATION_JSON)
public class OverviewResource {

    private final OverviewQueries queries;

    public OverviewResource(OverviewQueries queries) {
        this.queries = queries;
    }

    @GET
    public Uni<Overview> overview(@QueryParam("project") String project, @QueryParam("limit") String limit) {
        QueryParams params = new QueryParams();
        params.text("project", project, 64);
        int size = params.limit(limit, 50, 500);
        params.check();
        return queries.overview(project, size);
    }
}
