package io.faultline.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class E2eBenchTest {

    private static E2eBench.Step step(int rate, double stored, double p99, int seen) {
        return new E2eBench.Step(rate, rate, stored, p99 / 2, p99, 100, seen, 0, 1, Map.of());
    }

    @Test
    void sustainedIsTheHighestRateWithinBudgetWhereNothingFellBehind() {
        List<E2eBench.Step> steps = List.of(
                step(5_000, 5_000, 400, 100),
                step(10_000, 9_900, 1_500, 100),
                // within the budget but stored too slowly: a backlog grows
                step(15_000, 12_000, 1_900, 100),
                // at the budget: not within it
                step(20_000, 20_000, 2_000, 100));
        assertThat(E2eBench.sustained(steps)).isEqualTo(10_000);
        assertThat(E2eBench.freshnessP99At(steps, 10_000)).isEqualTo(1_500);
        assertThat(E2eBench.freshnessP99At(steps, 30_000)).isNull();
        // a marker never seen is falling behind, whatever the percentiles of the others say
        assertThat(E2eBench.sustained(List.of(step(5_000, 5_000, 400, 99)))).isZero();
    }

    @Test
    void freshnessIsAckToFirstPollShowingTheMarkerAndNeverCountsAsInfinitelyLate() {
        long ms = 1_000_000;
        double[] freshness = E2eBench.freshnessMillis(
                new long[] {1_000 * ms, 1_100 * ms, 1_200 * ms}, new long[] {1_250 * ms, 1_250 * ms, 0});
        assertThat(freshness).containsExactly(250, 150, Double.POSITIVE_INFINITY);
        assertThat(E2eBench.percentile(freshness, 50)).isEqualTo(250);
        assertThat(E2eBench.percentile(freshness, 99)).isInfinite();
        assertThat(E2eBench.percentile(new double[] {5, 1, 3, 2, 4}, 60)).isEqualTo(3);
        assertThat(E2eBench.percentile(new double[0], 99)).isZero();
    }
}
