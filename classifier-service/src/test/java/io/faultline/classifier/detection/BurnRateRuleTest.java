package io.faultline.classifier.detection;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BurnRateRuleTest {

    private static final long BUCKET = BurnRateRule.BUCKET.toMillis();
    private static final long END = 1_000 * BUCKET;

    private final BurnRateRule rule = new BurnRateRule(0.001);

    /** {@code count} buckets ending at END, each with the given errors per 1000 requests. */
    private static List<BurnRateRule.Bucket> buckets(int count, long errorsPerThousand) {
        List<BurnRateRule.Bucket> buckets = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            buckets.add(new BurnRateRule.Bucket(END - i * BUCKET, errorsPerThousand, 1000));
        }
        return buckets;
    }

    @Test
    void fastBurnFiresTheOneHourPairAtFourteenPointFour() {
        var burn = rule.evaluate(buckets(12, 15), END).orElseThrow();
        assertThat(burn.pair().name()).isEqualTo("1h/5m");
        assertThat(burn.longWindow().burnRate()).isEqualTo(15.0);
        assertThat(burn.shortWindow().requests()).isEqualTo(1000);
    }

    @Test
    void justBelowFourteenPointFourFallsToTheSixHourPair() {
        var burn = rule.evaluate(buckets(72, 14), END).orElseThrow();
        assertThat(burn.pair().name()).isEqualTo("6h/30m");
        assertThat(burn.pair().severity()).isEqualTo("high");
    }

    @Test
    void eachPairFiresAtItsFactorAndNotBelow() {
        int threeDays = 3 * 24 * 12;
        assertThat(rule.evaluate(buckets(threeDays, 6), END)
                        .orElseThrow()
                        .pair()
                        .name())
                .isEqualTo("6h/30m");
        assertThat(rule.evaluate(buckets(threeDays, 5), END)
                        .orElseThrow()
                        .pair()
                        .name())
                .isEqualTo("1d/2h");
        assertThat(rule.evaluate(buckets(threeDays, 3), END)
                        .orElseThrow()
                        .pair()
                        .name())
                .isEqualTo("1d/2h");
        assertThat(rule.evaluate(buckets(threeDays, 2), END)
                        .orElseThrow()
                        .pair()
                        .name())
                .isEqualTo("3d/6h");
        assertThat(rule.evaluate(buckets(threeDays, 1), END)
                        .orElseThrow()
                        .pair()
                        .name())
                .isEqualTo("3d/6h");
        assertThat(rule.evaluate(buckets(threeDays, 0), END)).isEmpty();
    }

    @Test
    void aBurnThatStoppedInTheShortWindowDoesNotFire() {
        List<BurnRateRule.Bucket> buckets = new ArrayList<>(buckets(12, 30));
        buckets.set(0, new BurnRateRule.Bucket(END - BUCKET, 0, 1000));
        // the hour still burns (27.5x) but the last five minutes are clean; 6h/30m: 30m at 25x over 6
        var burn = rule.evaluate(buckets, END).orElseThrow();
        assertThat(burn.pair().name()).isEqualTo("6h/30m");
    }

    @Test
    void noTrafficNoVerdict() {
        assertThat(rule.evaluate(List.of(new BurnRateRule.Bucket(END - BUCKET, 50, 0)), END))
                .isEmpty();
    }
}
