package io.faultline.dashboard.security;

import io.faultline.dashboard.rest.Problems;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * A request body must keep pace while it arrives, on every path of the port: after {@code
 * faultline.body.grace} it must have sent {@code faultline.body.min-rate} bytes for every second
 * past the grace, or it is answered 408 and its connection closed (Apache's mod_reqtimeout rule,
 * as the ingest's UploadAdmission applies it). Otherwise a client trickling a login a byte at a
 * time holds its connection and buffer until the 30-minute idle timeout, and a few thousand such
 * clients the whole server. A body that has arrived is never cut, however long its answer takes.
 *
 * <p>Only requests that declare a body (Content-Length or Transfer-Encoding) are watched: a GET is
 * over when its head is, and the live feed's stream must not be timed.
 */
@ApplicationScoped
public class BodyPace {

    private static final Logger LOG = Logger.getLogger(BodyPace.class);

    /** Checks of a body on pace are at least this far apart. */
    private static final long MIN_CHECK_MILLIS = 250;

    private final long graceMillis;
    private final long minRate;

    public BodyPace(
            @ConfigProperty(name = "faultline.body.grace", defaultValue = "PT5S") Duration grace,
            @ConfigProperty(name = "faultline.body.min-rate", defaultValue = "500") long minRate) {
        this.graceMillis = grace.toMillis();
        this.minRate = minRate;
        if (graceMillis <= 0 || minRate <= 0) {
            throw new IllegalArgumentException("faultline.body.grace and faultline.body.min-rate must be positive");
        }
    }

    void install(@Observes Router router) {
        // ahead of the access gate (-100): a stranger's trickled body is cut like anyone's
        router.route().order(-110).handler(this::handle);
    }

    void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        if (!request.isEnded() && declaresBody(request)) {
            Watch watch = new Watch(ctx);
            ctx.addEndHandler(done -> watch.stop());
            watch.check();
        }
        ctx.next();
    }

    private static boolean declaresBody(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        return request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null
                || (length != null && !length.trim().equals("0"));
    }

    /** Watches one body while it arrives; runs on the request's event loop. */
    private final class Watch {

        private final RoutingContext ctx;
        private final long started = System.nanoTime();
        private long timer = -1;

        Watch(RoutingContext ctx) {
            this.ctx = ctx;
        }

        void check() {
            HttpServerRequest request = ctx.request();
            if (request.isEnded() || ctx.response().ended() || ctx.response().closed()) {
                return; // the body is here, or the request is over: nothing to watch
            }
            long elapsed = (System.nanoTime() - started) / 1_000_000;
            long read = request.bytesRead();
            // each min-rate bytes received buy one second past the grace
            long due = graceMillis + read * 1000 / minRate;
            if (elapsed < due) {
                timer = ctx.vertx().setTimer(Math.max(MIN_CHECK_MILLIS, due - elapsed), id -> check());
                return;
            }
            LOG.infof("%s: body cut after %d bytes in %d ms", request.method(), read, elapsed);
            // the rest of the body is still coming: close the connection after the answer instead of reading it
            ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
            Problems.send(
                            ctx,
                            408,
                            "request-timeout",
                            "the body arrived too slowly: " + read + " bytes in " + elapsed / 1000 + " s, below "
                                    + minRate + " bytes/s after the first " + graceMillis / 1000
                                    + " s (faultline.body.min-rate)")
                    .onComplete(sent -> request.connection().close());
        }

        void stop() {
            if (timer >= 0) {
                ctx.vertx().cancelTimer(timer);
            }
        }
    }
}
