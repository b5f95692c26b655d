package io.faultline.dashboard.rest;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Sentry's upload API ({@code /api/0/organizations/{org}/chunk-upload/} and {@code
 * .../artifactbundle/assemble/}), which sentry-cli and the bundler plugins call with {@code
 * SENTRY_URL} set to the dashboard, passed through to the impact-service that stores source maps.
 * The AccessGate has already let the caller in (an admin token or an admin's session: uploads are
 * changes); the request body is streamed, not buffered, so a chunk request of several MiB costs no heap
 * here; the impact-service's short answers are.
 * X-Forwarded-Host tells the impact-service the address sentry-cli must post its chunks to.
 */
@ApplicationScoped
public class SentryUploadProxy {

    private static final Logger LOG = Logger.getLogger(SentryUploadProxy.class);
    static final String PREFIX = "/api/0/organizations/";
    /** The request headers the impact-service needs; hop-by-hop ones and credentials stay here. */
    private static final List<CharSequence> PASSED = List.of(
            HttpHeaders.CONTENT_TYPE, HttpHeaders.CONTENT_LENGTH, HttpHeaders.CONTENT_ENCODING, HttpHeaders.ACCEPT);

    private final String impactUrl;
    private HttpClient client;

    public SentryUploadProxy(@ConfigProperty(name = "quarkus.rest-client.impact.url") String impactUrl) {
        this.impactUrl = impactUrl.endsWith("/") ? impactUrl.substring(0, impactUrl.length() - 1) : impactUrl;
    }

    void install(@Observes Router router, Vertx vertx) {
        client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
        // after the AccessGate (-100), before the REST routes
        router.route(PREFIX + "*").order(-90).handler(this::forward);
    }

    void forward(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        if (!path.endsWith("/chunk-upload/") && !path.endsWith("/artifactbundle/assemble/")) {
            Problems.send(ctx, 404, "not-found", "Faultline answers only the source map upload endpoints of /api/0");
            return;
        }
        HttpServerRequest in = ctx.request();
        in.pause();
        RequestOptions options = new RequestOptions()
                .setMethod(in.method())
                .setAbsoluteURI(impactUrl + in.uri())
                .putHeader("X-Forwarded-Host", in.host())
                .putHeader("X-Forwarded-Proto", in.scheme());
        for (CharSequence name : PASSED) {
            String value = in.getHeader(name);
            if (value != null) {
                options.putHeader(name, value);
            }
        }
        client.request(options).onFailure(e -> unreachable(ctx, e)).onSuccess(out -> {
            // the answer's listener is set before the request goes: its body cannot pass unseen
            out.response()
                    .compose(answer -> answer.body().map(body -> {
                        ctx.response().setStatusCode(answer.statusCode());
                        String type = answer.getHeader(HttpHeaders.CONTENT_TYPE);
                        if (type != null) {
                            ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, type);
                        }
                        return ctx.response().end(body);
                    }))
                    .onFailure(e -> unreachable(ctx, e));
            out.send(in);
        });
    }

    private static void unreachable(RoutingContext ctx, Throwable e) {
        LOG.warnf("source map upload to the impact-service failed: %s", e.getMessage());
        if (!ctx.response().headWritten()) {
            Problems.send(ctx, 502, "bad-gateway", "the impact-service, which stores source maps, is unreachable");
        }
    }
}
