package io.faultline.ingest.protection;

import io.faultline.ingest.config.IngestConfig;
import io.faultline.ingest.service.IngestProblem;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bounds the memory that request bodies and what they parse into take. Bounding requests in
 * flight is not enough: one envelope may decode to 100 MB (Sentry's limit), so 256 of them would
 * ask for 25 GB. A body's declared length is reserved while it arrives ({@code UploadAdmission});
 * then its request holds a {@link Lease} until it is answered: the decoder charges every block it
 * reads and the final copy, the envelope parser its items, a batch its prepared events. When the
 * requests together would pass the budget, the one asking answers 503 with Retry-After (the SDK
 * retries later); a request that could not fit even alone answers 413 naming the limit.
 *
 * <p>Default: a quarter of the heap ({@code -Xmx}), so the rest stays for the producer's buffers and
 * everything else; {@code faultline.ingest.max-buffered-bytes} overrides it.
 */
@ApplicationScoped
public class BufferBudget {

    private final long capacity;
    private final AtomicLong used = new AtomicLong();

    @Inject
    public BufferBudget(IngestConfig config, MeterRegistry metrics) {
        // a quarter of the heap: with half, four decompression bombs in flight beside the producer's
        // buffer and the rest of the service ran a 384 MB heap out of memory (the fuzz suite)
        this(config.ingest().maxBufferedBytes().orElse(Runtime.getRuntime().maxMemory() / 4));
        metrics.gauge("faultline.ingest.buffered_bytes", used);
    }

    public BufferBudget(long capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("the buffer budget must be positive: " + capacity);
        }
        this.capacity = capacity;
    }

    public long capacity() {
        return capacity;
    }

    public long used() {
        return used.get();
    }

    /** A request's share of the budget; closing it returns everything it took. */
    public Lease lease() {
        return new Lease();
    }

    /**
     * What one request holds. Taken from by the thread that reads the request; it may be closed
     * from the thread that completes the request's answer.
     */
    public final class Lease implements AutoCloseable {

        private long held;
        private boolean closed;

        /**
         * Takes {@code bytes} more for this request.
         *
         * @throws IngestProblem 413 if this request alone would pass the budget, 503 if the
         *     requests in flight together would
         */
        public synchronized void take(long bytes) {
            if (closed) {
                throw new IllegalStateException("lease already returned");
            }
            if (held + bytes > capacity) {
                throw IngestProblem.tooLarge("the body needs more than the " + capacity / (1024 * 1024)
                        + " MB this ingest may buffer for all requests together"
                        + " (faultline.ingest.max-buffered-bytes, or a larger heap)");
            }
            long now = used.addAndGet(bytes);
            if (now > capacity) {
                used.addAndGet(-bytes);
                throw IngestProblem.unavailable(
                        "ingest is buffering as many request bodies as its memory allows;" + " retry shortly");
            }
            held += bytes;
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                used.addAndGet(-held);
                held = 0;
            }
        }
    }
}
