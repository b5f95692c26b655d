package io.faultline.classifier.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ResentEventFilterTest {

    /**
     * The set remembers exactly the last {@code capacity} distinct ids, compared with a plain
     * queue and set over random ids from a small range (so slots collide, runs wrap around the
     * table's end and evictions shift entries back).
     */
    @Test
    void remembersExactlyTheLastCapacityDistinctIds() {
        for (int capacity : new int[] {1, 2, 8, 64}) {
            ResentEventFilter.RecentIds recent = new ResentEventFilter.RecentIds(capacity);
            ArrayDeque<Long> order = new ArrayDeque<>();
            Set<Long> expected = new HashSet<>();
            Random random = new Random(capacity);
            for (int n = 0; n < 200_000; n++) {
                long id = 1 + random.nextInt(capacity * 3);
                if (random.nextInt(4) == 0) {
                    id |= (long) random.nextInt(8) << 40; // same low bits: the same home slot
                }
                boolean fresh = !expected.contains(id);
                assertThat(recent.add(id)).as("add %d at step %d", id, n).isEqualTo(fresh);
                if (fresh) {
                    order.add(id);
                    expected.add(id);
                    if (order.size() > capacity) {
                        expected.remove(order.poll());
                    }
                }
                if (n % 97 == 0) {
                    for (long probe = 1; probe <= capacity * 3L; probe++) {
                        assertThat(recent.contains(probe)).isEqualTo(expected.contains(probe));
                    }
                    for (long kept : expected) {
                        assertThat(recent.contains(kept)).isTrue();
                    }
                }
            }
        }
    }
}
