package io.faultline.classifier.detection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SpikeThresholdTest {

    private final SpikeThreshold threshold = new SpikeThreshold(DetectionSettings.defaults());

    @Test
    void aGroupWithoutHistoryNeverSpikes() {
        assertThat(threshold.limit(new long[0]).value()).isInfinite();
    }

    @Test
    void shortSteadyHistoryUsesMedianPlusPoissonSpreadNotAZeroMad() {
        long[] hours = {20, 20, 20, 20, 20};
        SpikeThreshold.Limit limit = threshold.limit(hours);
        assertThat(limit.basis()).isEqualTo("short-history-median-mad");
        assertThat(limit.baseline()).isEqualTo(20);
        assertThat(limit.spread()).isCloseTo(Math.sqrt(20), within(1e-9));
        assertThat(limit.value()).isCloseTo(20 + 5 * Math.sqrt(20), within(1e-9));
    }

    @Test
    void shortHistoryIsNotDraggedUpByOneBusyHour() {
        long[] hours = {3, 4, 5, 4, 400, 3};
        // median 4, MAD 1, but √4 = 2 is the least spread a count of 4 has: 4 + 5·2 = 14
        assertThat(threshold.limit(hours).value()).isCloseTo(14, within(1e-9));
    }

    @Test
    void quietGroupsAreHeldToTheFloor() {
        assertThat(threshold.limit(new long[] {0, 1, 0}).value()).isEqualTo(10);
    }

    @Test
    void aFullSteadyWeekUsesTheSpikeLimitOfFiveTimesTheMean() {
        long[] week = new long[SpikeThreshold.WEEK_HOURS];
        Arrays.fill(week, 30);
        SpikeThreshold.Limit limit = threshold.limit(week);
        assertThat(limit.basis()).isEqualTo("week-spike");
        assertThat(limit.value()).isEqualTo(150);
    }

    @Test
    void aFullBurstyWeekUsesMeanPlusFiveStandardDeviations() {
        long[] week = new long[SpikeThreshold.WEEK_HOURS];
        for (int i = 0; i < week.length; i++) {
            week[i] = i % 24 == 0 ? 240 : 0; // one burst a day: mean 10, std ≈ 47
        }
        SpikeThreshold.Limit limit = threshold.limit(week);
        assertThat(limit.basis()).isEqualTo("week-bursty");
        assertThat(limit.baseline()).isEqualTo(10);
        assertThat(limit.value()).isCloseTo(10 + 5 * Math.sqrt(240.0 * 240 / 24 - 100), within(1e-6));
    }
}
