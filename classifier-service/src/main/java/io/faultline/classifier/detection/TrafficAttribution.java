package io.faultline.classifier.detection;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Spreads a traffic sample's requests over the fixed buckets its window overlaps.
 *
 * <p>A sample says "R requests between start and end" and nothing about when inside that span,
 * so requests are attributed pro rata to each bucket's share of the span (floored, the remainder
 * going to the last bucket so the total is exact and the split deterministic). A sample aligned
 * to one bucket, the common case, lands whole in it. A sample with an empty or inverted window
 * counts in the bucket of its start.
 *
 * <p>Only buckets from {@code fromMs} on are returned: a sample whose window reaches far back (a
 * client may send any start) would otherwise make one share per bucket since then, millions of
 * them, for buckets long closed.
 */
public final class TrafficAttribution {

    public record Share(long bucketStartMs, long requests) {}

    private TrafficAttribution() {}

    public static List<Share> split(long startMs, long endMs, long requests, long bucketMs) {
        return split(startMs, endMs, requests, bucketMs, Long.MIN_VALUE);
    }

    /** The shares of the buckets that start at or after {@code fromMs}'s bucket. */
    public static List<Share> split(long startMs, long endMs, long requests, long bucketMs, long fromMs) {
        List<Share> shares = new ArrayList<>();
        long from = Math.floorDiv(Math.max(startMs, fromMs), bucketMs) * bucketMs;
        if (endMs <= startMs) {
            if (from <= startMs) {
                shares.add(new Share(from, requests));
            }
            return shares;
        }
        long span = endMs - startMs;
        long first = from;
        // each bucket gets the growth of the floored running total: the sum is exact, and a bucket's
        // share does not depend on which buckets before it were returned
        for (long b = first; b < endMs; b += bucketMs) {
            long share = upTo(Math.min(endMs, b + bucketMs), startMs, span, requests)
                    - upTo(Math.max(startMs, b), startMs, span, requests);
            shares.add(new Share(b, share));
        }
        return shares;
    }

    /** The requests attributed to {@code [start, t)}: floor(requests * (t - start) / span), without overflow. */
    private static long upTo(long t, long startMs, long span, long requests) {
        long elapsed = t - startMs;
        if (Math.multiplyHigh(requests, elapsed) == 0 && requests * elapsed >= 0) {
            return requests * elapsed / span;
        }
        return BigInteger.valueOf(requests)
                .multiply(BigInteger.valueOf(elapsed))
                .divide(BigInteger.valueOf(span))
                .longValueExact();
    }
}
