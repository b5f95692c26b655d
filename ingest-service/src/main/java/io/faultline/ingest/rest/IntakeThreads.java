package io.faultline.ingest.rest;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Decides which thread handles a request's body. A small plain body (one event, a short
 * envelope: almost every request) is handled on the event loop that read it: parsing, scrubbing
 * and handing the record to the producer take tens of microseconds, while a hop to a worker
 * thread and back costs two thread wake-ups, which on a small VM cost more than the work. A
 * large or compressed body goes to a worker, so that no event loop ever decompresses megabytes.
 * Neither waits for the broker: the answer completes from the producer's acknowledgement.
 */
@ApplicationScoped
public class IntakeThreads {

    /** The largest plain body handled on the event loop. */
    static final int INLINE_MAX_BYTES = 64 * 1024;

    /**
     * Large and compressed bodies are CPU work, never waits (the broker's acknowledgement is
     * asynchronous): a few threads per core keep every core busy. On the shared worker pool, 32
     * batches of 1,000 events were parsed at once on two cores, each holding its events while the
     * others ran: 9.3-10.7 us of CPU per event and a p99 of 308-324 ms, against 8.0-8.9 us and
     * 224-239 ms on these threads ({@code ./faultline bench ingest --batch 1000}). The price:
     * large and compressed bodies queue behind each other, so a few slow ones (a 20 MB
     * compressed body) delay the others of their kind; plain bodies up to {@link
     * #INLINE_MAX_BYTES}, almost every request, never wait for them.
     */
    static final int BODY_THREADS = Math.max(2, 2 * Runtime.getRuntime().availableProcessors());

    private final ExecutorService workers;

    public IntakeThreads() {
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(BODY_THREADS, work -> {
            Thread t = new Thread(work, "faultline-intake-body-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @PreDestroy
    void close() {
        workers.shutdown();
    }

    <T> CompletionStage<T> handle(byte[] body, String contentEncoding, Supplier<CompletionStage<T>> work) {
        if (body.length <= INLINE_MAX_BYTES && plain(contentEncoding)) {
            return onThisEventLoop(work.get());
        }
        return CompletableFuture.supplyAsync(work, workers).thenCompose(answer -> answer);
    }

    /**
     * The acknowledgement completes on the producer's single I/O thread; the answer is written on
     * the event loop that owns the connection, so that thread only hands results over (an event
     * loop takes many such hand-overs per wake-up) instead of writing every response itself.
     */
    private static <T> CompletionStage<T> onThisEventLoop(CompletionStage<T> answer) {
        Context context = Vertx.currentContext();
        if (context == null || !Context.isOnEventLoopThread()) {
            return answer;
        }
        CompletableFuture<T> onLoop = new CompletableFuture<>();
        answer.whenComplete((value, error) -> context.runOnContext(v -> {
            if (error != null) {
                onLoop.completeExceptionally(error);
            } else {
                onLoop.complete(value);
            }
        }));
        return onLoop;
    }

    private static boolean plain(String contentEncoding) {
        return contentEncoding == null
                || contentEncoding.isBlank()
                || contentEncoding.trim().toLowerCase(Locale.ROOT).equals("identity");
    }
}
