package io.faultline.ingest.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.faultline.ingest.config.IngestConfig;
import io.faultline.ingest.protection.BufferBudget;
import io.faultline.ingest.service.IngestProblem;
import io.vertx.core.Future;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Reserves a request body's bytes in the {@link BufferBudget} before the body is read. REST
 * reads a body whole before any resource runs, so without this, anyone could make the ingest hold
 * as many 20 MB bodies as they open connections, before a key or a limit is checked. The
 * reservation is the declared {@code Content-Length}, or the 20 MB limit for a chunked body;
 * past the budget the request is answered 503 with Retry-After (413 if it could never fit) while
 * its body is still on the wire. The reservation ends when the resource starts ({@link
 * #received}), which charges the body it got from there on, or when the answer is sent.
 *
 * <p>While a body arrives it must keep pace: after {@code faultline.ingest.upload-grace} it must
 * have sent {@code min-upload-rate} bytes for every second past the grace, or it is answered 408
 * and its connection closed. Otherwise a client declaring 20 MB and trickling a byte now and then
 * would hold its reservation until the 30-minute idle timeout, and a few such clients the whole
 * budget. A body that has arrived is never cut, however long its answer takes.
 */
@ApplicationScoped
public class UploadAdmission {

    private static final String RESERVATION = "faultline.upload-reservation";

    /** Checks of a body on pace are at least this far apart. */
    private static final long MIN_CHECK_MILLIS = 250;

    private final BufferBudget budget;
    private final ProblemMapper problems;
    private final ObjectMapper json;
    private final long graceMillis;
    private final long minRate;

    public UploadAdmission(BufferBudget budget, ProblemMapper problems, ObjectMapper json, IngestConfig config) {
        this.budget = budget;
        this.problems = problems;
        this.json = json;
        this.graceMillis = config.ingest().uploadGrace().toMillis();
        this.minRate = config.ingest().minUploadRate();
        if (graceMillis <= 0 || minRate <= 0) {
            throw new IllegalArgumentException("faultline.ingest.upload-grace and min-upload-rate must be positive");
        }
    }

    void install(@Observes Router router) {
        // after SentryCors (-90), so that a refusal here is readable by a page; before REST
        router.route().order(-85).handler(this::handle);
    }

    void handle(RoutingContext ctx) {
        HttpMethod method = ctx.request().method();
        boolean hasBody = method == HttpMethod.POST || method == HttpMethod.PUT || method == HttpMethod.PATCH;
        long declared = contentLength(ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH));
        if (!hasBody || declared == 0 || declared > BodyDecoder.MAX_COMPRESSED) {
            ctx.next(); // nothing to hold, or refused unread by the body size limit
            return;
        }
        BufferBudget.Lease lease = budget.lease();
        boolean held = false;
        try {
            lease.take(declared > 0 ? declared : BodyDecoder.MAX_COMPRESSED);
            held = true;
        } catch (IngestProblem problem) {
            refuse(ctx, problem);
            return;
        } finally {
            if (!held) {
                lease.close();
            }
        }
        ctx.put(RESERVATION, lease);
        HttpConnection connection = ctx.request().connection();
        connection.exceptionHandler(failure -> undecodable(ctx, failure));
        Pace pace = new Pace(ctx, declared);
        ctx.addEndHandler(done -> {
            pace.stop();
            lease.close();
            connection.exceptionHandler(null); // a kept-alive connection keeps no finished request
        });
        pace.check();
        ctx.next();
    }

    /** Watches one body while it arrives; runs on the request's event loop. */
    private final class Pace {

        private final RoutingContext ctx;
        private final long declared;
        private final long started = System.nanoTime();
        private long timer = -1;

        Pace(RoutingContext ctx, long declared) {
            this.ctx = ctx;
            this.declared = declared;
        }

        void check() {
            HttpServerRequest request = ctx.request();
            if (request.isEnded() || ctx.response().ended() || ctx.response().closed()) {
                return; // the body is here, or the request is over: nothing to watch
            }
            long elapsed = (System.nanoTime() - started) / 1_000_000;
            long read = request.bytesRead();
            // each min-upload-rate bytes received buy one second past the grace
            long due = graceMillis + read * 1000 / minRate;
            if (elapsed < due) {
                timer = ctx.vertx().setTimer(Math.max(MIN_CHECK_MILLIS, due - elapsed), id -> check());
                return;
            }
            String of = declared > 0 ? " of " + declared : " of a chunked body";
            refuse(
                            ctx,
                            IngestProblem.uploadTooSlow("the body arrived too slowly: " + read + " bytes" + of
                                    + " in " + elapsed / 1000 + " s, below " + minRate
                                    + " bytes/s after the first " + graceMillis / 1000
                                    + " s (faultline.ingest.min-upload-rate)"))
                    .onComplete(sent -> request.connection().close());
        }

        void stop() {
            if (timer >= 0) {
                ctx.vertx().cancelTimer(timer);
            }
        }
    }

    /**
     * A body the HTTP decoder cannot read (a chunk size that is not hex, a chunk line past its
     * limit) fails the connection, which Vert.x then closes without a word: answer 400 first.
     * Vert.x holds back flushes while it handles what it read, and closes the connection right
     * after this handler, so the answer is flushed here or never sent. A reset is no decoding
     * failure, and a request whose body arrived whole is not this one to answer.
     */
    private void undecodable(RoutingContext ctx, Throwable failure) {
        if (failure instanceof java.io.IOException
                || ctx.request().isEnded()
                || ctx.response().headWritten()
                || ctx.response().closed()) {
            return;
        }
        refuse(ctx, IngestProblem.malformed("the request body is not valid HTTP/1.1: " + failure.getMessage()));
        if (ctx.request().connection() instanceof ConnectionBase connection) {
            connection.channelHandlerContext().flush();
        }
    }

    /** The body has arrived and its reader charges it from now on: the reservation ends. */
    static void received(RoutingContext ctx) {
        BufferBudget.Lease lease = ctx == null ? null : ctx.get(RESERVATION);
        if (lease != null) {
            lease.close();
        }
    }

    private Future<Void> refuse(RoutingContext ctx, IngestProblem problem) {
        problems.count(problem, null);
        String body;
        try {
            body = json.writeValueAsString(ProblemMapper.body(problem));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a problem is plain maps, lists and strings", e);
        }
        HttpServerResponse response = ctx.response();
        ProblemMapper.headers(problem, ctx.normalizedPath()).forEach(response::putHeader);
        // the body is still coming: close the connection after the answer instead of reading it
        return response.setStatusCode(problem.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, ProblemMapper.PROBLEM_JSON)
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end(body);
    }

    /** The declared length; -1 when there is none (chunked) or it is not a number. */
    static long contentLength(String header) {
        if (header == null) {
            return -1;
        }
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
