package io.faultline.dashboard.rest;

import io.faultline.dashboard.client.ImpactClient;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * The impact-service's SLA report of a period behind the dashboard's login (a read: viewers may),
 * in the type the caller asks for, JSON, CSV or the printable page, passed through as the
 * impact-service wrote it with the headers that make the CSV a download and keep the page inert.
 */
@Path("/api/v1/sla/report")
public class SlaReportProxyResource {

    /** The impact-service's headers that belong to the report, not to its connection. */
    static final List<String> PASSED_HEADERS =
            List.of("Content-Disposition", "Content-Security-Policy", "X-Content-Type-Options", "Vary");

    private final ImpactClient impact;

    public SlaReportProxyResource(@RestClient ImpactClient impact) {
        this.impact = impact;
    }

    @GET
    @Produces({MediaType.APPLICATION_JSON, "text/csv", MediaType.TEXT_HTML})
    @Operation(
            summary = "SLA report of a period (from, to required; project, format json|csv|html optional):"
                    + " per project and workflow, every objective with its verdict, as JSON, CSV or a printable page")
    public Uni<Response> report(@Context UriInfo uri, @Context HttpHeaders headers) {
        String accept = headers.getHeaderString(HttpHeaders.ACCEPT);
        return impact.slaReport(uri.getQueryParameters(), accept == null ? MediaType.APPLICATION_JSON : accept)
                .map(upstream -> {
                    Response.ResponseBuilder answer = Response.status(upstream.getStatus())
                            .entity(upstream.readEntity(byte[].class))
                            .type(upstream.getMediaType());
                    for (String name : PASSED_HEADERS) {
                        String value = upstream.getHeaderString(name);
                        if (value != null) {
                            answer.header(name, value);
                        }
                    }
                    return answer.build();
                });
    }
}
