package io.faultline.ingest.protection;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketsTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final TokenBuckets buckets = new TokenBuckets(now::get);

    @Test
    void burstUpToTheMinuteThenWaitForRefill() {
        assertThat(buckets.take("p", 3)).isZero();
        assertThat(buckets.take("p", 3)).isZero();
        assertThat(buckets.take("p", 3)).isZero();
        assertThat(buckets.take("p", 3)).isEqualTo(20); // one token per 20 s
        now.addAndGet(20_000_000_000L);
        assertThat(buckets.take("p", 3)).isZero();
        assertThat(buckets.take("p", 3)).isPositive();
    }

    @Test
    void bucketsAreIndependentAndZeroIsUnlimited() {
        assertThat(buckets.take("a", 1)).isZero();
        assertThat(buckets.take("a", 1)).isEqualTo(60);
        assertThat(buckets.take("b", 1)).isZero();
        for (int i = 0; i < 1000; i++) {
            assertThat(buckets.take("c", 0)).isZero();
        }
    }
}
