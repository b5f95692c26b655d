package io.faultline.ingest.rest;

import io.faultline.ingest.protection.RateLimited;
import io.faultline.ingest.service.IngestProblem;
import io.faultline.ingest.service.ProjectKeys;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Renders refusals as {@code application/problem+json}, with a Retry-After on 503 and, on Sentry's
 * endpoints, the reason in {@code X-Sentry-Error} as Relay gives it. Refusals answered before a
 * request reaches REST ({@link UploadAdmission}) are rendered by the same methods.
 */
@ApplicationScoped
public class ProblemMapper {

    public static final String PROBLEM_JSON = "application/problem+json";

    private static final int MAX_ERROR_HEADER = 200;

    private final MeterRegistry metrics;
    private final ProjectKeys keys;

    public ProblemMapper(MeterRegistry metrics, ProjectKeys keys) {
        this.metrics = metrics;
        this.keys = keys;
    }

    @ServerExceptionMapper
    public Response map(IngestProblem problem, UriInfo uri) {
        count(problem, uri.getPathParameters().getFirst("projectId"));
        Response.ResponseBuilder response =
                Response.status(problem.status()).type(PROBLEM_JSON).entity(body(problem));
        headers(problem, uri.getPath()).forEach(response::header);
        return response.build();
    }

    /** Counts a refusal; the path's project id is client-chosen: only known projects become a tag. */
    void count(IngestProblem problem, String projectId) {
        metrics.counter(
                        "faultline.ingest.requests.refused",
                        "project",
                        projectId != null && keys.known(projectId) ? projectId : IntakeGate.UNKNOWN_PROJECT,
                        "reason",
                        problem.type(),
                        "status",
                        Integer.toString(problem.status()))
                .increment();
    }

    static Map<String, Object> body(IngestProblem problem) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "https://faultline.dev/problems/" + problem.type());
        body.put("title", problem.type());
        body.put("status", problem.status());
        body.put("detail", problem.getMessage());
        if (!problem.errors().isEmpty()) {
            List<Map<String, String>> errors = problem.errors().stream()
                    .map(e -> Map.of("field", e.field(), "reason", e.reason()))
                    .toList();
            body.put("errors", errors);
        }
        return body;
    }

    static Map<String, String> headers(IngestProblem problem, String path) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (problem.status() == 503) {
            headers.put("Retry-After", "5");
        }
        if (problem instanceof RateLimited limited) {
            headers.put("Retry-After", Long.toString(limited.retryAfterSeconds()));
            headers.put("X-Sentry-Rate-Limits", limited.sentryRateLimits());
        }
        if (SentryCors.isSentryPath(path)) {
            // Relay's header, which SDKs log when they are refused (most never read the body)
            headers.put("X-Sentry-Error", headerSafe(problem.getMessage()));
        }
        if (problem.status() == 401) {
            headers.put("WWW-Authenticate", "Bearer realm=\"faultline\"");
        }
        return headers;
    }

    /** A header value from a message that may quote the client's input: printable ASCII, capped. */
    static String headerSafe(String message) {
        String text = message == null ? "" : message;
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_ERROR_HEADER));
        for (int i = 0; i < text.length() && out.length() < MAX_ERROR_HEADER; i++) {
            char c = text.charAt(i);
            out.append(c >= 0x20 && c < 0x7F ? c : '?');
        }
        return out.toString();
    }
}
