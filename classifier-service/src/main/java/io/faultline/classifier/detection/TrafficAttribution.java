package io.faultline.classifier.detection;

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
 */
public final class TrafficAttribution {

    public record Share(long bucketStartMs, long requests) {}

    private TrafficAttribution() {}

    public static List<Share> split(long startMs, long endMs, long requests, long bucketMs) {
        List<Share> shares = new ArrayList<>();
        if (endMs <= startMs) {
            shares.add(new Share(Math.floorDiv(startMs, bucketMs) * bucketMs, requests));
            return shares;
        }
        long span = endMs - startMs;
        long assigned = 0;
        for (long b = Math.floorDiv(startMs, bucketMs) * bucketMs; b < endMs; b += bucketMs) {
            long overlap = Math.min(endMs, b + bucketMs) - Math.max(startMs, b);
            long share = b + bucketMs >= endMs ? requests - assigned : requests * overlap / span;
            assigned += share;
            shares.add(new Share(b, share));
        }
        return shares;
    }
}
