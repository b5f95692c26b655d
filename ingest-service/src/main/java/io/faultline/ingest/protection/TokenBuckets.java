package io.faultline.ingest.protection;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Token buckets per name (a project, a key): {@code perMinute} requests a minute, with bursts up
 * to a minute's worth. Time comes from a nanosecond clock so tests can drive it.
 */
public final class TokenBuckets {

    private static final long MINUTE_NANOS = 60_000_000_000L;

    private final LongSupplier nanoClock;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    public TokenBuckets(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    /**
     * Takes one token from {@code name}'s bucket.
     *
     * @return 0 when admitted, otherwise the whole seconds until a token is available (at least 1)
     */
    public long take(String name, long perMinute) {
        if (perMinute <= 0) {
            return 0; // 0 or less means unlimited
        }
        Bucket bucket = buckets.computeIfAbsent(name, n -> new Bucket(perMinute, nanoClock.getAsLong()));
        synchronized (bucket) {
            long now = nanoClock.getAsLong();
            double refill = (now - bucket.at) * (double) perMinute / MINUTE_NANOS;
            bucket.tokens = Math.min(perMinute, bucket.tokens + refill);
            bucket.at = now;
            if (bucket.tokens >= 1) {
                bucket.tokens -= 1;
                return 0;
            }
            double secondsToOne = (1 - bucket.tokens) * 60.0 / perMinute;
            return Math.max(1, (long) Math.ceil(secondsToOne));
        }
    }

    private static final class Bucket {
        double tokens;
        long at;

        Bucket(long tokens, long at) {
            this.tokens = tokens;
            this.at = at;
        }
    }
}
