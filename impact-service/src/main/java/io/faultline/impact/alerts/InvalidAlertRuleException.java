package io.faultline.impact.alerts;

import io.faultline.impact.rest.InvalidQueryException.Violation;
import io.faultline.impact.rest.Problem;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** An alert rule the API refuses, each field named with its reason. */
public class InvalidAlertRuleException extends RuntimeException {

    private final List<Violation> violations;

    public InvalidAlertRuleException(List<Violation> violations) {
        super("invalid alert rule: " + violations);
        this.violations = List.copyOf(violations);
    }

    public List<Violation> violations() {
        return violations;
    }

    /** As a 400 problem document. */
    public static class Mapper {
        @ServerExceptionMapper
        public Response invalidRule(InvalidAlertRuleException e) {
            return Response.status(400)
                    .type(Problem.MEDIA_TYPE)
                    .entity(new Problem(
                            "https://faultline.io/problems/invalid-alert-rule",
                            "Invalid alert rule",
                            400,
                            e.violations.size() + " field(s) rejected",
                            e.violations))
                    .build();
        }
    }
}
