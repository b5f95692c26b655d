package io.faultline.ingest.protection;

import io.faultline.ingest.service.IngestProblem;
import java.util.List;

/** A 429 with what Sentry SDKs read: Retry-After and X-Sentry-Rate-Limits. */
public class RateLimited extends IngestProblem {

    private final long retryAfterSeconds;
    private final String scope;

    public RateLimited(long retryAfterSeconds, String scope, String detail) {
        super(429, "rate-limited", detail, List.of());
        this.retryAfterSeconds = retryAfterSeconds;
        this.scope = scope;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /**
     * {@code <seconds>:<categories>:<scope>}; empty categories mean every category, so an SDK
     * holds back errors, transactions and sessions alike.
     */
    public String sentryRateLimits() {
        return retryAfterSeconds + "::" + scope;
    }
}
