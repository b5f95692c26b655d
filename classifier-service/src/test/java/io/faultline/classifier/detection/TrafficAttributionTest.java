package io.faultline.classifier.detection;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TrafficAttributionTest {

    @Test
    void anAlignedSampleLandsWholeInItsBucket() {
        assertThat(TrafficAttribution.split(600, 900, 1000, 300))
                .containsExactly(new TrafficAttribution.Share(600, 1000));
    }

    @Test
    void aSpanningSampleIsSplitProRataAndTheTotalIsExact() {
        // 250..1000 over buckets of 300: 50 + 300 + 300 + 100 of 750
        assertThat(TrafficAttribution.split(250, 1000, 100, 300))
                .containsExactly(
                        new TrafficAttribution.Share(0, 6),
                        new TrafficAttribution.Share(300, 40),
                        new TrafficAttribution.Share(600, 40),
                        new TrafficAttribution.Share(900, 14));
    }

    @Test
    void anEmptyWindowCountsAtItsStart() {
        assertThat(TrafficAttribution.split(650, 650, 7, 300)).containsExactly(new TrafficAttribution.Share(600, 7));
    }

    @Test
    void aWindowReachingFarBackYieldsOnlyTheBucketsAskedForWithTheirProRataShare() {
        // from the epoch to 10 buckets past it: only the last two are open
        long bucket = 300_000;
        assertThat(TrafficAttribution.split(0, 10 * bucket, 1000, bucket, 8 * bucket))
                .containsExactly(
                        new TrafficAttribution.Share(8 * bucket, 100), new TrafficAttribution.Share(9 * bucket, 100));
        // a window from year 1 returns at once, with no overflow of requests * span
        long yearOne = java.time.Instant.parse("0001-01-01T00:00:00Z").toEpochMilli();
        long now = java.time.Instant.parse("2026-11-30T12:00:00Z").toEpochMilli();
        var shares = TrafficAttribution.split(yearOne, now, Long.MAX_VALUE / 2, bucket, now - bucket);
        assertThat(shares).hasSize(1);
        assertThat(shares.get(0).requests()).isPositive();
    }
}
