package io.faultline.dashboard.rest;

import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.ClientWebApplicationException;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * What the caller sees when the impact-service fails: its 404 stays a 404 (an older
 * impact-service lacks an endpoint, or the group is gone; the UI shows "not available"), anything
 * else becomes a 502 that names the upstream, so nobody hunts for the bug in the dashboard.
 */
public class ImpactFailureMapper {

    private static final Logger LOG = Logger.getLogger(ImpactFailureMapper.class);

    @ServerExceptionMapper
    public Response upstreamAnswered(ClientWebApplicationException e) {
        int status = e.getResponse() == null ? 502 : e.getResponse().getStatus();
        if (status == 404) {
            return problem(404, "not-found", "the impact-service has no such resource (or this endpoint yet)");
        }
        if (status == 400) {
            // a rejected filter or cursor is the caller's to fix; the impact-service says which
            return problem(400, "bad-request", "the impact-service rejected the query: " + upstreamDetail(e));
        }
        LOG.warnf("impact-service answered %d: %s", status, e.getMessage());
        return problem(502, "upstream-error", "the impact-service answered " + status + "; see its log");
    }

    @ServerExceptionMapper
    public Response upstreamUnreachable(ProcessingException e) {
        LOG.warnf("impact-service unreachable: %s", e.getMessage());
        return problem(
                502,
                "upstream-unreachable",
                "the impact-service did not answer; check it runs and quarkus.rest-client.impact.url");
    }

    private static String upstreamDetail(ClientWebApplicationException e) {
        try {
            return e.getResponse().readEntity(String.class);
        } catch (RuntimeException unreadable) {
            return "(no detail)";
        }
    }

    private static Response problem(int status, String title, String detail) {
        return Response.status(status)
                .type("application/problem+json")
                .entity(Map.of(
                        "type", "https://faultline.dev/problems/" + title,
                        "title", title,
                        "status", status,
                        "detail", detail))
                .build();
    }
}
