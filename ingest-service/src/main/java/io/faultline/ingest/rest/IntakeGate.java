package io.faultline.ingest.rest;

import io.faultline.ingest.protection.BufferBudget;
import io.faultline.ingest.protection.IntakeGuard;
import io.faultline.ingest.service.ProjectKeys;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What the event endpoints (native and Sentry) do with a request before they read events from
 * it: bound the requests in flight and pick the thread that handles the body ({@link
 * IntakeThreads}), apply the project's and the key's rate limits once the key is known, and
 * decode the body within a {@link BufferBudget} lease, counting the bytes that came over the wire.
 */
@ApplicationScoped
public class IntakeGate {

    /** The project tag of bytes sent to a project id that no project has. */
    static final String UNKNOWN_PROJECT = "unknown";

    private final IntakeGuard guard;
    private final IntakeThreads threads;
    private final BufferBudget budget;
    private final ProjectKeys keys;
    private final MeterRegistry metrics;
    private final CurrentVertxRequest request;
    private final BodyDecoder decoder = new BodyDecoder(BodyDecoder.MAX_COMPRESSED, BodyDecoder.MAX_DECODED);
    // by source, then project: a registry lookup by name and tags per request costs
    private final Map<String, Map<String, Counter>> bytesIn = new ConcurrentHashMap<>();

    public IntakeGate(
            IntakeGuard guard,
            IntakeThreads threads,
            BufferBudget budget,
            ProjectKeys keys,
            MeterRegistry metrics,
            CurrentVertxRequest request) {
        this.request = request;
        this.guard = guard;
        this.threads = threads;
        this.budget = budget;
        this.keys = keys;
        this.metrics = metrics;
    }

    /**
     * Runs {@code work} within the bound on requests in flight, on the thread the body calls for.
     * The body has arrived: {@link UploadAdmission}'s reservation for it ends, and the request's
     * lease charges it from here on.
     */
    <T> CompletionStage<T> handle(byte[] body, String contentEncoding, Supplier<CompletionStage<T>> work) {
        UploadAdmission.received(request.getCurrent());
        return guard.bounded(() -> threads.handle(body, contentEncoding, work));
    }

    /** The project's and the key's rate limits, for an authorised request. */
    void admit(String projectId, String key) {
        guard.admit(projectId, key);
    }

    /**
     * Runs {@code work} with a lease that lasts until its answer completes: what a request
     * parsed out of its body (a batch's prepared events, an envelope's items) stays charged
     * while it waits for the broker, not only while it is read.
     */
    <T> CompletionStage<T> withLease(Function<BufferBudget.Lease, CompletionStage<T>> work) {
        BufferBudget.Lease lease = budget.lease();
        boolean handedOver = false;
        try {
            CompletionStage<T> answer = work.apply(lease).whenComplete((result, error) -> lease.close());
            handedOver = true;
            return answer;
        } finally {
            // whatever the work threw, an Error too (an OutOfMemoryError left 137 MB held for good)
            if (!handedOver) {
                lease.close();
            }
        }
    }

    /**
     * Charges the body as received to {@code lease}, decodes it within the lease (which the
     * decoder charges for what it allocates beyond the body) and counts its wire bytes as {@code
     * faultline.ingest.bytes.in} of the project and source. The project id in the path is the
     * client's choice, and a Sentry envelope is read before its credentials are checked (they may
     * be in its header): only a known project becomes a metric tag, so that requests to made-up
     * ids cannot add a series each.
     */
    byte[] decode(String projectId, String source, byte[] body, String contentEncoding, BufferBudget.Lease lease) {
        Counter counter = bytesIn.computeIfAbsent(source, s -> new ConcurrentHashMap<>())
                .computeIfAbsent(
                        keys.known(projectId) ? projectId : UNKNOWN_PROJECT,
                        p -> metrics.counter("faultline.ingest.bytes.in", "project", p, "source", source));
        lease.take(body.length);
        return decoder.decode(body, contentEncoding, counter::increment, lease);
    }
}
