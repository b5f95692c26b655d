package io.faultline.resolver.rest;

import io.faultline.resolver.runbook.Runbook;
import io.faultline.resolver.runbook.RunbookFileException;
import io.faultline.resolver.service.RunbookCatalogue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;

@Path("/api/v1/runbooks")
@Produces(MediaType.APPLICATION_JSON)
public class RunbookResource {

    /** What the API says about a loaded runbook. */
    public record RunbookSummary(
            String id,
            String description,
            boolean enabled,
            boolean dryRun,
            boolean requireApproval,
            List<String> actions) {
        static RunbookSummary of(Runbook r) {
            return new RunbookSummary(
                    r.id(),
                    r.description(),
                    r.enabled(),
                    r.dryRun(),
                    r.requireApproval(),
                    r.actions().stream()
                            .map(a -> a.name() + " (" + a.strategy() + ")")
                            .toList());
        }
    }

    /** The answer to a reload. */
    public record Loaded(String source, List<RunbookSummary> runbooks) {}

    private final RunbookCatalogue catalogue;
    private final AdminTokenGuard guard;

    public RunbookResource(RunbookCatalogue catalogue, AdminTokenGuard guard) {
        this.catalogue = catalogue;
        this.guard = guard;
    }

    @GET
    public Loaded list() {
        return new Loaded(
                catalogue.source(),
                catalogue.current().stream().map(RunbookSummary::of).toList());
    }

    /** Re-reads the runbook file; on error answers 422 with the problem and keeps the old runbooks. */
    @POST
    @Path("/reload")
    public Response reload(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        guard.check(authorization);
        try {
            List<Runbook> loaded = catalogue.reload();
            return Response.ok(new Loaded(
                            catalogue.source(),
                            loaded.stream().map(RunbookSummary::of).toList()))
                    .build();
        } catch (RunbookFileException e) {
            return Response.status(422)
                    .entity(Map.of(
                            "error", e.getMessage(), "kept", catalogue.current().size() + " runbook(s) still in force"))
                    .build();
        }
    }
}
