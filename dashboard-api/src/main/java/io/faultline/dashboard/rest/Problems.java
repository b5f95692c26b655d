package io.faultline.dashboard.rest;

import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The dashboard's refusals as RFC 9457 problem documents ({@code application/problem+json}): a
 * type named after the title, the status, a sentence, and for a rejected value the field and why,
 * in the impact-service's shape ({@code errors: [{field, reason}]}), so a client reads both alike.
 */
public final class Problems {

    public static final String MEDIA_TYPE = "application/problem+json";

    private Problems() {}

    public static Map<String, Object> body(int status, String title, String detail) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "https://faultline.dev/problems/" + title);
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        return body;
    }

    public static Response response(int status, String title, String detail) {
        return Response.status(status)
                .type(MEDIA_TYPE)
                .entity(body(status, title, detail))
                .build();
    }

    /** A 400 for one rejected value; a null field is the body as a whole. */
    public static Response badRequest(String field, String reason) {
        Map<String, Object> body = body(400, "bad-request", field == null ? reason : field + " " + reason);
        if (field != null) {
            body.put("errors", List.of(Map.of("field", field, "reason", reason)));
        }
        return Response.status(400).type(MEDIA_TYPE).entity(body).build();
    }

    /** For the router's own handlers, which answer before any resource. */
    public static Future<Void> send(RoutingContext ctx, int status, String title, String detail) {
        return ctx.response()
                .setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, MEDIA_TYPE)
                .end(new JsonObject(body(status, title, detail)).encode());
    }
}
