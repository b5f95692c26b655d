package io.faultline.impact.rest;

import io.faultline.impact.model.SlaReport;
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

@Path("/api/v1/sla")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "sla")
public class SlaResource {

    private final ImpactReporting reporting;

    public SlaResource(ImpactReporting reporting) {
        this.reporting = reporting;
    }

    @GET
    @Operation(
            summary = "SLA / SLO compliance",
            description = "Overall, critical and revenue-blocking error rates, time to resolve per priority,"
                    + " auto-resolution rate and error budgets against the configured targets.")
    @APIResponse(responseCode = "200", description = "the compliance report")
    @APIResponse(responseCode = "400", description = "invalid parameters (application/problem+json)")
    public Uni<SlaReport> sla(
            @Parameter(description = "ISO-8601 instant, inclusive; default to − 24 h") @QueryParam("from") String from,
            @Parameter(description = "ISO-8601 instant, exclusive; default now") @QueryParam("to") String to,
            @Parameter(description = "project id; absent = all projects") @QueryParam("project") String project) {
        QueryParams params = new QueryParams();
        var window = params.window(from, to, Duration.ofHours(24));
        params.text("project", project, 64);
        params.check();
        return reporting.sla(project, window[0], window[1]);
    }
}
