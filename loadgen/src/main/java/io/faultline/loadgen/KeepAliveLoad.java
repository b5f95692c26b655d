package io.faultline.loadgen;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Closed-loop HTTP/1.1 load over keep-alive connections, asynchronous end to end: {@code
 * inFlight} requests are outstanding at every moment, each answer sends the next request on the
 * same event loop, and no thread waits for a response. What a server can take is measured, not
 * what a thread-per-request client can send.
 */
final class KeepAliveLoad implements AutoCloseable {

    /** One POST: its body and how many events it carries. */
    record Post(String contentType, Buffer body, int events) {}

    /** The measured window's result, and every event accepted including the warm-up's. */
    record Run(HttpLoad.Result measured, long acceptedInAll) {}

    private final Vertx vertx;
    private final HttpClient client;
    private final RequestOptions target;

    KeepAliveLoad(String url, String bearerToken, int connections) {
        URI uri = URI.create(url);
        // one event loop: the client must not take the CPU that the server under test needs
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
        this.client = vertx.createHttpClient(
                new HttpClientOptions()
                        .setKeepAlive(true)
                        .setTcpNoDelay(true)
                        .setConnectTimeout(5_000)
                        .setIdleTimeout(60),
                new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(-1));
        this.target = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setHost(uri.getHost())
                .setPort(uri.getPort())
                .setURI(uri.getRawPath())
                .setTimeout(30_000)
                .putHeader("Authorization", "Bearer " + bearerToken);
    }

    Run run(Supplier<Post> posts, int inFlight, Duration warmup, Duration measure) throws InterruptedException {
        AtomicLong accepted = new AtomicLong();
        AtomicLong acceptedInAll = new AtomicLong();
        AtomicLong rejected = new AtomicLong();
        AtomicReference<String> lastError = new AtomicReference<>();
        Latencies latencies = new Latencies();
        long start = System.nanoTime();
        long measureFrom = start + warmup.toNanos();
        long end = measureFrom + measure.toNanos();
        CountDownLatch drained = new CountDownLatch(inFlight);
        Runnable[] loops = new Runnable[inFlight];
        for (int i = 0; i < inFlight; i++) {
            int slot = i;
            loops[i] = () -> {
                long sent = System.nanoTime();
                if (sent >= end) {
                    drained.countDown();
                    return;
                }
                Post post = posts.get();
                client.request(new RequestOptions(target).putHeader("Content-Type", post.contentType()))
                        .compose(request -> request.send(post.body()))
                        .compose(response -> response.body().map(body -> {
                            if (response.statusCode() / 100 != 2) {
                                lastError.set(response.statusCode() + " " + body);
                            }
                            return response.statusCode();
                        }))
                        .onComplete(answer -> {
                            long acked = System.nanoTime();
                            if (answer.succeeded() && answer.result() / 100 == 2) {
                                acceptedInAll.addAndGet(post.events());
                                if (sent >= measureFrom && acked <= end) {
                                    accepted.addAndGet(post.events());
                                    latencies.add((acked - sent) / 1_000);
                                }
                            } else {
                                rejected.incrementAndGet();
                                if (answer.failed()) {
                                    lastError.set(answer.cause().toString());
                                }
                            }
                            loops[slot].run();
                        });
            };
        }
        vertx.runOnContext(v -> {
            for (Runnable loop : loops) {
                loop.run();
            }
        });
        long waitMillis = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime()) + 60_000;
        if (!drained.await(waitMillis, TimeUnit.MILLISECONDS)) {
            lastError.set("requests still unanswered 60 s after the end of the run");
        }
        return new Run(
                new HttpLoad.Result(
                        accepted.get(), rejected.get(), measure.toNanos() / 1e9, latencies, lastError.get()),
                acceptedInAll.get());
    }

    @Override
    public void close() {
        client.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }
}
