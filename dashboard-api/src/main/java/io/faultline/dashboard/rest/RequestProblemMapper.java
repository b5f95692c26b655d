package io.faultline.dashboard.rest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.stream.Collectors;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * A request the REST layer could not read, as a problem document that says what was wrong with
 * it: a JSON value of the wrong type names its field ({@code untilOccurrences}, {@code action}),
 * a body that is no JSON, or is nested or sized past Jackson's limits, is "the body". Without
 * this, Quarkus answers an empty 400 or its own error shape.
 */
public class RequestProblemMapper {

    @ServerExceptionMapper
    public Response wrongType(MismatchedInputException e) {
        String field = path(e);
        return Problems.badRequest(
                field, field == null ? "must be a JSON object of the documented fields" : "has the wrong type");
    }

    /**
     * REST wraps what it could not parse (a syntax error, a number out of range, nesting past
     * the limit) in a bare 400; any other refusal keeps its status and gets a problem body.
     */
    @ServerExceptionMapper
    public Response unreadable(WebApplicationException e) {
        Response refused = e.getResponse();
        if (refused.hasEntity()) {
            return refused; // already a problem (see ImpactQueryResource)
        }
        if (e.getCause() instanceof MismatchedInputException wrongType) {
            return wrongType(wrongType);
        }
        if (e.getCause() instanceof StreamConstraintsException tooBig) {
            return Problems.badRequest("body", "exceeds a JSON limit: " + tooBig.getOriginalMessage());
        }
        if (e.getCause() instanceof JsonProcessingException unparsable) {
            String field = unparsable.getProcessor() instanceof JsonParser parser ? currentName(parser) : null;
            return field == null
                    ? Problems.badRequest("body", "is not JSON: " + unparsable.getOriginalMessage())
                    : Problems.badRequest(field, "is not a readable value: " + unparsable.getOriginalMessage());
        }
        int status = refused.getStatus();
        return Problems.response(
                status,
                Response.Status.fromStatusCode(status) == null
                        ? "refused"
                        : Response.Status.fromStatusCode(status)
                                .getReasonPhrase()
                                .toLowerCase(java.util.Locale.ROOT)
                                .replace(' ', '-'),
                e.getMessage());
    }

    private static String currentName(JsonParser parser) {
        try {
            return parser.currentName();
        } catch (IOException e) {
            return null;
        }
    }

    /** {@code labels.severity}, {@code items[2]}; null for the body itself. */
    private static String path(JsonMappingException e) {
        String path = e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."))
                .replace(".[", "[");
        return path.isEmpty() ? null : path;
    }
}
