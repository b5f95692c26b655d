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
}
