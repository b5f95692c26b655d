package io.faultline.ingest.rest;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.regex.Pattern;

/**
 * CORS on Sentry's endpoints, as Relay answers it. Browser SDKs ({@code @sentry/browser},
 * {@code @sentry/react}'s error boundary) post envelopes from the application's origin to the DSN's
 * host with {@code fetch}. That is a "simple" request (a text/plain body, the key in the query), so
 * the event arrives without any CORS; but without {@code Access-Control-Allow-Origin} the browser
 * hides the answer from the SDK. A 429's {@code X-Sentry-Rate-Limits} and {@code Retry-After} then
 * never reach it, and it keeps sending. An SDK configured with extra headers sends a preflight
 * first, answered here.
 *
 * <p>Any origin is allowed: the credential is the project key inside the request, never the
 * browser's origin or cookies, and no credentials mode is offered. Only the Sentry paths: the
 * native and admin APIs take bearer tokens from servers, not from pages.
 */
@ApplicationScoped
public class SentryCors {

    private static final Pattern SENTRY_PATH = Pattern.compile("^/?api/[^/]+/(envelope|store)/?$");

    /** Relay's list, plus what current SDKs may add (tracing headers, a compressed body). */
    static final String ALLOWED_HEADERS = "x-sentry-auth, x-requested-with, x-forwarded-for, origin, referer, accept,"
            + " content-type, content-encoding, authentication, authorization, sentry-trace, baggage";

    /** What an SDK reads from an answer: the refusal's reason and how long to back off. */
    static final String EXPOSED_HEADERS = "x-sentry-error, x-sentry-rate-limits, retry-after";

    /** Whether a request path, with or without its leading slash, is a Sentry endpoint's. */
    static boolean isSentryPath(String path) {
        return SENTRY_PATH.matcher(path).matches();
    }

    void install(@Observes Router router) {
        // negative order: ahead of the body handler (its 413 carries the headers too) and REST
        router.route().order(-90).handler(this::handle);
    }

    void handle(RoutingContext ctx) {
        if (!isSentryPath(ctx.normalizedPath())) {
            ctx.next();
            return;
        }
        HttpServerResponse response = ctx.response();
        if (ctx.request().method() == HttpMethod.OPTIONS) {
            // a preflight, or a plain OPTIONS: the endpoints take POST only, nothing to route on
            response.putHeader("Access-Control-Allow-Origin", "*")
                    .putHeader("Access-Control-Allow-Methods", "POST, OPTIONS")
                    .putHeader("Access-Control-Allow-Headers", ALLOWED_HEADERS)
                    .putHeader("Access-Control-Max-Age", "3600")
                    .putHeader("Allow", "POST, OPTIONS")
                    .setStatusCode(200)
                    .end();
            return;
        }
        // set when the headers go out, whoever answers: the resource, a problem, a body limit
        ctx.addHeadersEndHandler(v -> response.headers()
                .set("Access-Control-Allow-Origin", "*")
                .set("Access-Control-Expose-Headers", EXPOSED_HEADERS));
        ctx.next();
    }
}
