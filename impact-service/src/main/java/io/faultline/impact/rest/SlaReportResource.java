package io.faultline.impact.rest;

import io.faultline.impact.model.SlaPeriodReport;
import io.faultline.impact.service.SlaPeriodReporting;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The SLA report of a period, to keep: JSON, CSV (one row per scope and objective) or a printable
 * page with its charts, chosen by {@code format} or else by the Accept header.
 */
@Path("/api/v1/sla/report")
@Tag(name = "sla")
public class SlaReportResource {

    public static final String CSV = "text/csv";
    static final Set<String> FORMATS = Set.of("json", "csv", "html");

    private final SlaPeriodReporting reporting;

    public SlaReportResource(SlaPeriodReporting reporting) {
        this.reporting = reporting;
    }

    @GET
    @Produces({MediaType.APPLICATION_JSON, CSV, MediaType.TEXT_HTML})
    @Operation(
            summary = "SLA report of a period",
            description = "Per project and per workflow, every objective with its verdict and error budget, time"
                    + " to resolve per priority and daily (or, up to two days, hourly) series: JSON, CSV (RFC 4180,"
                    + " one row per scope and objective) or a self-contained printable HTML page with its charts.")
    @APIResponse(responseCode = "200", description = "the report")
    @APIResponse(responseCode = "400", description = "invalid parameters (application/problem+json)")
    public Uni<Response> report(
            @Parameter(description = "ISO-8601 instant, inclusive; required") @QueryParam("from") String from,
            @Parameter(description = "ISO-8601 instant, exclusive; required; at most 366 days after from")
                    @QueryParam("to")
                    String to,
            @Parameter(description = "project id; absent = every project with anything to report")
                    @QueryParam("project")
                    String project,
            @Parameter(description = "json, csv or html; absent = by the Accept header, JSON by default")
                    @QueryParam("format")
                    String format,
            @Context HttpHeaders headers) {
        QueryParams params = new QueryParams();
        Instant[] period = period(params, from, to);
        params.text("project", project, 64);
        params.oneOf("format", format, FORMATS);
        params.check();
        String chosen = format != null ? format : negotiate(headers.getAcceptableMediaTypes());
        return reporting.report(project, period[0], period[1], Instant.now()).map(report -> switch (chosen) {
            case "csv" -> Response.ok(SlaReportCsv.render(report), CSV + "; charset=utf-8; header=present")
                    .header("Content-Disposition", "attachment; filename=\"" + fileName(report) + ".csv\"")
                    .header("Vary", "Accept")
                    .build();
            case "html" -> Response.ok(SlaReportHtml.render(report), MediaType.TEXT_HTML + "; charset=utf-8")
                    // the page runs nothing and loads nothing: only its own inline styles apply
                    .header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
                    .header("X-Content-Type-Options", "nosniff")
                    .header("Vary", "Accept")
                    .build();
            default -> Response.ok(report, MediaType.APPLICATION_JSON)
                    .header("Vary", "Accept")
                    .build();
        });
    }

    /** Both ends required (a report names its period), from before to, at most {@link QueryParams#MAX_WINDOW}. */
    static Instant[] period(QueryParams params, String fromValue, String toValue) {
        Instant from = params.instant("from", fromValue);
        Instant to = params.instant("to", toValue);
        if (fromValue == null || fromValue.isBlank()) {
            params.reject("from", "is required: the first instant of the period, e.g. 2026-01-01T00:00:00Z");
        }
        if (toValue == null || toValue.isBlank()) {
            params.reject("to", "is required: the instant the period ends (exclusive), e.g. 2026-02-01T00:00:00Z");
        }
        if (from != null && to != null) {
            if (!from.isBefore(to)) {
                params.reject("from", "must be before 'to'");
            } else if (Duration.between(from, to).compareTo(QueryParams.MAX_WINDOW) > 0) {
                params.reject("to", "the period must not exceed " + QueryParams.MAX_WINDOW.toDays() + " days");
            }
        }
        return new Instant[] {from, to};
    }

    /** The first acceptable type (most preferred first) the report comes in; a wildcard means JSON. */
    static String negotiate(List<MediaType> acceptable) {
        for (MediaType type : acceptable) {
            if (type.isWildcardType() || type.isCompatible(MediaType.APPLICATION_JSON_TYPE)) {
                return "json";
            }
            if ("text".equals(type.getType()) && "csv".equals(type.getSubtype())) {
                return "csv";
            }
            if ("text".equals(type.getType())) { // text/html or text/*: the page
                return "html";
            }
        }
        return "json";
    }

    private static String fileName(SlaPeriodReport report) {
        return "faultline-sla-" + report.from().toString().replace(':', '-') + "--"
                + report.to().toString().replace(':', '-');
    }
}
