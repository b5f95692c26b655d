package io.faultline.impact.rest;

import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Errors of the query API as problem documents, never as stack traces or HTML. */
public class ProblemMappers {

    @ServerExceptionMapper
    public Response invalidQuery(InvalidQueryException e) {
        return Response.status(400)
                .type(Problem.MEDIA_TYPE)
                .entity(new Problem(
                        "https://faultline.io/problems/invalid-query",
                        "Invalid query parameters",
                        400,
                        e.violations().size() + " parameter(s) rejected",
                        e.violations()))
                .build();
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e) {
        return Response.status(404)
                .type(Problem.MEDIA_TYPE)
                .entity(new Problem(
                        "https://faultline.io/problems/not-found", "Not found", 404, e.getMessage(), List.of()))
                .build();
    }
}
