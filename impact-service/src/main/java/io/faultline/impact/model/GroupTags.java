package io.faultline.impact.model;

import java.time.Instant;
import java.util.List;

/**
 * What a group's events carried, over its whole life: the distinct users it affected, the first
 * and last release it was seen in, and per tag its most frequent values with their shares.
 */
public record GroupTags(
        String groupId, long usersAffected, String firstRelease, String lastRelease, List<Distribution> tags) {

    /**
     * One tag: how many events carried it, how many distinct values, and the top ones, most
     * frequent first. Shares are of the tag's events, so they add up to 1 over all its values.
     */
    public record Distribution(String key, long events, long distinctValues, List<Value> top) {}

    public record Value(String value, long count, double share, Instant firstSeen, Instant lastSeen) {}
}
