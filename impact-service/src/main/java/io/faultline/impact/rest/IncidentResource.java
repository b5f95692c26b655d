package io.faultline.impact.rest;

import io.faultline.impact.model.Incident;
import io.faultline.impact.model.Page;
import io.faultline.impact.repository.Cursor;
import io.faultline.impact.repository.IncidentQueries;
import io.faultline.impact.repository.IncidentQueries.IncidentFilter;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/incidents")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "incidents")
public class IncidentResource {

    static final Set<String> STATUSES = Set.of("open", "closed");
    static final Set<String> TRIGGERS =
            Set.of("critical", "revenue_blocking", "spike", "new_issue", "regression", "slo_burn");

    private final IncidentQueries queries;

    public IncidentResource(IncidentQueries queries) {
        this.queries = queries;
    }

    @GET
    @Operation(
            summary = "Incidents, most recently opened first, with cursor pagination",
            description = "An incident is a period during which a group or workflow was in trouble"
                    + " (docs/impact-model.md). Pass nextCursor back as cursor for the next page.")
    @APIResponse(responseCode = "200", description = "one page of incidents")
    @APIResponse(responseCode = "400", description = "invalid parameters (application/problem+json)")
    public Uni<Page<Incident>> incidents(
            @QueryParam("project") String project,
            @QueryParam("workflow") String workflow,
            @QueryParam("group") String group,
            @Parameter(description = "open, closed") @QueryParam("status") String status,
            @Parameter(description = "critical, revenue_blocking, spike, new_issue, regression, slo_burn")
                    @QueryParam("trigger")
                    String trigger,
            @Parameter(description = "open at or after (ISO-8601)") @QueryParam("from") String from,
            @Parameter(description = "opened before (ISO-8601)") @QueryParam("to") String to,
            @Parameter(description = "1..500, default 50") @QueryParam("limit") String limit,
            @Parameter(description = "nextCursor of the previous page") @QueryParam("cursor") String cursor) {
        QueryParams params = new QueryParams();
        params.text("project", project, 64);
        params.text("workflow", workflow, 64);
        params.text("group", group, 64);
        params.oneOf("status", status, STATUSES);
        params.oneOf("trigger", trigger, TRIGGERS);
        Instant fromAt = params.instant("from", from);
        Instant toAt = params.instant("to", to);
        int size = params.limit(limit, 50, 500);
        Cursor after = params.cursor(cursor, IncidentQueries.SORT, false);
        params.check();
        return queries.incidents(
                new IncidentFilter(project, workflow, group, status, trigger, fromAt, toAt), after, size);
    }
}
