package io.faultline.dashboard.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Response;
import java.util.Set;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.ClientWebApplicationException;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * What the caller sees when the impact-service refuses or fails. A refusal of the caller's request
 * (a 4xx: a filter, date, cursor or id it cannot serve, a group that is gone, an endpoint an older
 * impact-service lacks) reaches the caller as the same status with the impact-service's problem
 * document, which names the field; anything else becomes a 502 that names the upstream, so nobody
 * hunts for the bug in the dashboard.
 */
public class ImpactFailureMapper {

    private static final Logger LOG = Logger.getLogger(ImpactFailureMapper.class);

    /** 4xx that speak of the dashboard's own link to the impact-service, not of the caller's request. */
    private static final Set<Integer> LINK_FAULTS = Set.of(401, 403, 407, 408);

    private final ObjectMapper json;

    public ImpactFailureMapper(ObjectMapper json) {
        this.json = json;
    }

    @ServerExceptionMapper
    public Response upstreamAnswered(ClientWebApplicationException e) {
        int status = e.getResponse() == null ? 502 : e.getResponse().getStatus();
        if (status >= 400 && status < 500 && !LINK_FAULTS.contains(status)) {
            JsonNode problem = upstreamProblem(e);
            if (problem != null) {
                return Response.status(status)
                        .type(Problems.MEDIA_TYPE)
                        .entity(problem)
                        .build();
            }
            return status == 404
                    ? Problems.response(
                            404, "not-found", "the impact-service has no such resource (or this endpoint yet)")
                    : Problems.response(status, "rejected", "the impact-service refused the request (" + status + ")");
        }
        LOG.warnf("impact-service answered %d: %s", status, e.getMessage());
        return Problems.response(502, "upstream-error", "the impact-service answered " + status + "; see its log");
    }

    @ServerExceptionMapper
    public Response upstreamUnreachable(ProcessingException e) {
        LOG.warnf("impact-service unreachable: %s", e.getMessage());
        return Problems.response(
                502,
                "upstream-unreachable",
                "the impact-service did not answer; check it runs and quarkus.rest-client.impact.url");
    }

    /** The impact-service's problem document; null when it sent none (a bare 404 of an older version). */
    private JsonNode upstreamProblem(ClientWebApplicationException e) {
        try {
            JsonNode body = json.readTree(e.getResponse().readEntity(String.class));
            return body != null && body.isObject() && body.has("status") ? body : null;
        } catch (RuntimeException | java.io.IOException unreadable) {
            return null;
        }
    }
}
