package io.faultline.examples.booking.rest;

import io.faultline.examples.booking.availability.CalendarServiceException;
import io.faultline.examples.booking.payment.PaymentGatewayException;
import io.faultline.examples.booking.reporting.ErrorReporter;
import io.faultline.examples.booking.service.UnknownBookingException;
import io.faultline.examples.booking.store.StoreException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.Map;

/**
 * Turns failures into HTTP answers and reports the ones that are ours to fix, the way a Sentry
 * integration reports what reaches the framework: client mistakes (404, 400) are not errors.
 */
@Provider
public class ErrorResponses implements ExceptionMapper<Exception> {

    private final ErrorReporter reporter;

    @Context
    UriInfo uri;

    public ErrorResponses(ErrorReporter reporter) {
        this.reporter = reporter;
    }

    @Override
    public Response toResponse(Exception e) {
        if (e instanceof WebApplicationException w) {
            return w.getResponse();
        }
        if (e instanceof UnknownBookingException) {
            return problem(404, e.getMessage());
        }
        String workflow = uri == null ? null : Workflows.ofPath(uri.getPath());
        String w = workflow == null ? "booking" : workflow;
        if (e instanceof StoreException s) {
            reporter.report(
                    e, w, s.retryPayload() == null ? Map.of() : Map.of(ErrorReporter.RETRY_PAYLOAD, s.retryPayload()));
            return Response.status(503)
                    .type(MediaType.APPLICATION_JSON)
                    .entity(
                            s.reference() == null
                                    ? Map.of("status", 503, "detail", "the booking could not be stored")
                                    : Map.of(
                                            "status",
                                            503,
                                            "detail",
                                            "the booking could not be stored; it is kept and will be retried",
                                            "reference",
                                            s.reference()))
                    .build();
        }
        reporter.report(e, w, Map.of());
        if (e instanceof PaymentGatewayException) {
            return problem(502, "the payment could not be charged");
        }
        if (e instanceof CalendarServiceException) {
            return problem(504, "availability is unavailable right now");
        }
        return problem(500, "internal error");
    }

    private static Response problem(int status, String detail) {
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON)
                .entity(Map.of("status", status, "detail", detail))
                .build();
    }
}
