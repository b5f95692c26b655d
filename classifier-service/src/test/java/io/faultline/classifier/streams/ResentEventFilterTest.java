package io.faultline.classifier.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.faultline.schemas.ErrorEvent;
import io.faultline.schemas.topics.Topics;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.InternalFixedKeyRecordFactory;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

class ResentEventFilterTest {

    /**
     * Under exactly-once, an aborted transaction closes the task dirty and revives it: the same
     * processor is initialised again and the task reprocesses from its last commit. Ids remembered
     * before must be forgotten then, or every event of the aborted transaction would be dropped as
     * a resend, never classified.
     */
    @Test
    void aTaskInitialisedAgainForgetsWhatItSawSoReprocessedEventsGoOn() {
        ResentEventFilter filter = new ResentEventFilter();
        List<Object> forwarded = new ArrayList<>();
        @SuppressWarnings("unchecked")
        FixedKeyProcessorContext<String, byte[]> context =
                (FixedKeyProcessorContext<String, byte[]>) java.lang.reflect.Proxy.newProxyInstance(
                        getClass().getClassLoader(), new Class<?>[] {FixedKeyProcessorContext.class}, (p, m, a) -> {
                            if (m.getName().equals("forward")) {
                                forwarded.add(a[0]);
                                return null;
                            }
                            throw new UnsupportedOperationException(m.getName());
                        });
        ErrorEvent event = ClassifierTopologyTest.sqlError("a".repeat(32), 10, Instant.parse("2026-11-30T10:00:00Z"));
        byte[] bytes = Topics.EVENTS_RAW.valueSerde().serializer().serialize("t", event);
        var record = InternalFixedKeyRecordFactory.create(new Record<>("1", bytes, 0L));

        filter.init(context);
        filter.process(record);
        filter.process(record);
        assertThat(forwarded).hasSize(1);

        filter.init(context); // revived after an aborted transaction
        filter.process(record);
        assertThat(forwarded).hasSize(2);
    }

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
