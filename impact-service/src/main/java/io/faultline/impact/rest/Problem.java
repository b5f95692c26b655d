package io.faultline.impact.rest;

import java.util.List;

/** An RFC 9457 problem document ({@code application/problem+json}). */
public record Problem(
        String type, String title, int status, String detail, List<InvalidQueryException.Violation> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";
}
