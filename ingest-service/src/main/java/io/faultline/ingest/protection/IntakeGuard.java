package io.faultline.ingest.protection;

import io.faultline.ingest.config.IngestConfig;
import io.faultline.ingest.service.IngestProblem;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * Keeps ingest standing under load: per-project and per-key rate limits (429, which Sentry SDKs
 * honour by backing off), and a bound on requests in flight so that bodies being decoded and
 * records awaiting acknowledgement cannot exhaust memory (503 beyond it).
 */
@ApplicationScoped
public class IntakeGuard {

    private final IngestConfig.RateLimit limits;
    private final TokenBuckets buckets = new TokenBuckets(System::nanoTime);
    private final Semaphore inFlight;
    private final MeterRegistry metrics;

    public IntakeGuard(IngestConfig config, MeterRegistry metrics) {
        this.limits = config.ingest().rateLimit();
        this.inFlight = new Semaphore(config.ingest().maxInFlight());
        this.metrics = metrics;
        metrics.gauge(
                "faultline.ingest.in_flight", inFlight, s -> config.ingest().maxInFlight() - s.availablePermits());
    }

    /** @throws RateLimited when the project or the key is over its limit */
    public void admit(String projectId, String key) {
        long perProject = limits.projects().getOrDefault(projectId, limits.perProjectPerMinute());
        long wait = buckets.take("project:" + projectId, perProject);
        if (wait > 0) {
            reject(projectId, "project-rate-limit");
            throw new RateLimited(
                    wait,
                    "project",
                    "project " + projectId + " is over " + perProject + " requests a minute; retry after " + wait
                            + "s");
        }
        if (key != null) {
            wait = buckets.take("key:" + key, limits.perKeyPerMinute());
            if (wait > 0) {
                reject(projectId, "key-rate-limit");
                throw new RateLimited(
                        wait,
                        "key",
                        "this key is over " + limits.perKeyPerMinute() + " requests a minute; retry after " + wait
                                + "s");
            }
        }
    }

    /** Runs {@code work} holding one in-flight permit until its answer completes. */
    public <T> CompletionStage<T> bounded(Supplier<CompletionStage<T>> work) {
        if (!inFlight.tryAcquire()) {
            reject("-", "overloaded");
            throw IngestProblem.unavailable("too many requests in flight; retry shortly");
        }
        boolean handedOver = false;
        try {
            CompletionStage<T> stage = work.get().whenComplete((r, e) -> inFlight.release());
            handedOver = true;
            return stage;
        } finally {
            // whatever the work threw, an Error too: a permit lost is one request fewer for good
            if (!handedOver) {
                inFlight.release();
            }
        }
    }

    private void reject(String projectId, String reason) {
        metrics.counter("faultline.ingest.rejected", "project", projectId, "reason", reason)
                .increment();
    }
}
