package io.faultline.dashboard.stream;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * {@code GET /api/v1/stream}: the live feed as Server-Sent Events ({@code event:
 * faultline.error|faultline.signal|faultline.resolution}, JSON {@link FeedEvent} data). Written on Vert.x directly because the drop-oldest
 * buffer needs the connection's write-queue state, which a reactive-streams sink hides. Access is
 * checked by the access gate before this route runs.
 */
@ApplicationScoped
public class StreamRoute {

    /**
     * Comment frames keep proxies, and the server's own 10 s idle timeout
     * (quarkus.http.idle-timeout), from closing an idle stream.
     */
    private static final long HEARTBEAT_MILLIS = 5_000;

    private final LiveFeed feed;

    public StreamRoute(LiveFeed feed) {
        this.feed = feed;
    }

    void install(@Observes Router router) {
        router.get("/api/v1/stream").order(-90).handler(this::stream);
    }

    void stream(RoutingContext ctx) {
        HttpServerResponse response = ctx.response();
        response.setChunked(true)
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream; charset=utf-8")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
                .putHeader("X-Accel-Buffering", "no");
        response.write("retry: 3000\n: connected\n\n");
        Context context = Vertx.currentContext();
        LiveFeed.Subscription[] holder = new LiveFeed.Subscription[1];
        holder[0] = feed.subscribe(() -> context.runOnContext(ignored -> drain(response, holder[0])));
        long heartbeat = ctx.vertx().setPeriodic(HEARTBEAT_MILLIS, id -> {
            if (!response.closed() && !response.writeQueueFull()) {
                response.write(": ping\n\n");
            }
        });
        response.closeHandler(ignored -> {
            feed.unsubscribe(holder[0]);
            ctx.vertx().cancelTimer(heartbeat);
        });
    }

    private static void drain(HttpServerResponse response, LiveFeed.Subscription subscription) {
        subscription.draining();
        if (response.closed()) {
            return;
        }
        while (!response.writeQueueFull()) {
            String frame = subscription.poll();
            if (frame == null) {
                return;
            }
            response.write(frame);
        }
        // the socket is backed up: resume when it drains; meanwhile the buffer drops oldest
        response.drainHandler(ignored -> drain(response, subscription));
    }
}
