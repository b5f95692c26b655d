package io.faultline.ingest.service;

import java.util.List;

/**
 * A request the intake refuses, rendered as {@code application/problem+json} (RFC 9457) with the
 * offending fields. Thrown by validation and auth; never for a server fault.
 */
public class IngestProblem extends RuntimeException {

    /** One invalid field: a JSON-pointer-like path and why it was refused. */
    public record FieldError(String field, String reason) {}

    private final int status;
    private final String type;
    private final List<FieldError> errors;

    public IngestProblem(int status, String type, String detail, List<FieldError> errors) {
        super(detail, null, false, false);
        this.status = status;
        this.type = type;
        this.errors = List.copyOf(errors);
    }

    public static IngestProblem badRequest(String detail, List<FieldError> errors) {
        return new IngestProblem(400, "invalid-event", detail, errors);
    }

    public static IngestProblem badRequest(String field, String reason) {
        return badRequest("invalid field " + field + ": " + reason, List.of(new FieldError(field, reason)));
    }

    public static IngestProblem unauthorized(String detail) {
        return new IngestProblem(401, "unauthorized", detail, List.of());
    }

    public static IngestProblem forbidden(String detail) {
        return new IngestProblem(403, "forbidden", detail, List.of());
    }

    public static IngestProblem tooLarge(String detail) {
        return new IngestProblem(413, "too-large", detail, List.of());
    }

    public static IngestProblem unsupportedMedia(String detail) {
        return new IngestProblem(415, "unsupported-media-type", detail, List.of());
    }

    public static IngestProblem malformed(String detail) {
        return new IngestProblem(400, "malformed", detail, List.of());
    }

    public static IngestProblem uploadTooSlow(String detail) {
        return new IngestProblem(408, "upload-too-slow", detail, List.of());
    }

    public static IngestProblem unavailable(String detail) {
        return new IngestProblem(503, "unavailable", detail, List.of());
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public List<FieldError> errors() {
        return errors;
    }
}
