package io.faultline.impact.rest;

import io.faultline.impact.model.ImpactReport;
import io.faultline.impact.service.ImpactReporting;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/workflows/impact")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "impact")
public class WorkflowImpactResource {

    private final ImpactReporting reporting;

    public WorkflowImpactResource(ImpactReporting reporting) {
        this.reporting = reporting;
    }

    @GET
    @Operation(
            summary = "Business impact per workflow",
            description =
                    "Requests, errors, error and success rate, degraded minutes, estimated revenue loss and"
                            + " weight of every workflow over [from, to), with the weighted health score (docs/impact-model.md).")
    @APIResponse(responseCode = "200", description = "the impact report")
    @APIResponse(responseCode = "400", description = "invalid parameters (application/problem+json)")
    public Uni<ImpactReport> impact(
            @Parameter(description = "ISO-8601 instant, inclusive; default to − 24 h") @QueryParam("from") String from,
            @Parameter(description = "ISO-8601 instant, exclusive; default now") @QueryParam("to") String to,
            @Parameter(description = "project id; absent = all projects") @QueryParam("project") String project) {
        QueryParams params = new QueryParams();
        var window = params.window(from, to, Duration.ofHours(24));
        params.text("project", project, 64);
        params.check();
        return reporting.impact(project, window[0], window[1]);
    }
}
