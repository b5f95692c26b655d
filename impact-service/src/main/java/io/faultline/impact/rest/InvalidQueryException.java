package io.faultline.impact.rest;

import java.util.List;

/** Query parameters that cannot be served; answered as an RFC 9457 problem listing each field. */
public class InvalidQueryException extends RuntimeException {

    /** One rejected parameter and why. */
    public record Violation(String field, String reason) {}

    private final List<Violation> violations;

    public InvalidQueryException(List<Violation> violations) {
        super("invalid query parameters: " + violations);
        this.violations = List.copyOf(violations);
    }

    public List<Violation> violations() {
        return violations;
    }
}
