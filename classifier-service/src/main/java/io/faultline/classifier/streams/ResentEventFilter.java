package io.faultline.classifier.streams;

import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * Drops an event whose project and event id this task saw among its last {@link #CAPACITY}
 * events: an SDK (or the drill) that lost the intake's answer sends the event again with its id,
 * and it happened once. Without this, the classifier's rates, spikes, SLO burn and group counts
 * counted it twice, and the classified topic carried it twice (the impact-service stores an id
 * once either way).
 *
 * <p>The ids are remembered as 64-bit hashes ({@link EventWireFormat#identityHash}) in a ring and
 * an open-addressing set: {@value #CAPACITY} ids cost 3 MB per task, bounded whatever the
 * load. What it does not promise: a resend arriving after {@value #CAPACITY} newer events of the
 * task's partitions, or after the task was initialised again (moved to another instance, the
 * instance restarted, or revived after an aborted transaction: the memory is not changelogged, and
 * must not outlive the transactions it saw), counts again; the stored figures still count it once. An event of
 * an older schema, whose identity is not read from the bytes, is never dropped.
 */
final class ResentEventFilter implements FixedKeyProcessor<String, byte[], byte[]> {

    /** Ids remembered per task: half a minute of a partition at 20,000 events/s over 6 partitions. */
    static final int CAPACITY = 1 << 17;

    private RecentIds recent;
    private FixedKeyProcessorContext<String, byte[]> context;

    /**
     * Starts with nothing remembered, also when the same processor is initialised again: under
     * exactly-once an aborted transaction closes the task dirty and revives it with the same
     * processors, and the task then reprocesses from its last commit; ids kept from before would
     * drop every event of the aborted transaction as a resend.
     */
    @Override
    public void init(FixedKeyProcessorContext<String, byte[]> context) {
        this.context = context;
        this.recent = new RecentIds(CAPACITY);
    }

    @Override
    public void close() {
        recent = null;
    }

    @Override
    public void process(FixedKeyRecord<String, byte[]> record) {
        long identity = EventWireFormat.identityHash(record.value());
        if (identity != 0 && !recent.add(identity)) {
            return;
        }
        context.forward(record);
    }

    /**
     * The last {@code capacity} distinct non-zero longs: a ring in arrival order, and a
     * linear-probing set at most half full (0 marks a free slot) whose removals shift back the
     * entries behind them, so lookups never meet a tombstone.
     */
    static final class RecentIds {
        private final long[] ring;
        private final long[] slots;
        private final int mask;
        private int next;
        private int size;

        RecentIds(int capacity) {
            ring = new long[capacity];
            slots = new long[Integer.highestOneBit(capacity) * 2];
            mask = slots.length - 1;
        }

        /** Remembers {@code id}; false if it was remembered already. */
        boolean add(long id) {
            int i = slot(id);
            while (slots[i] != 0) {
                if (slots[i] == id) {
                    return false;
                }
                i = (i + 1) & mask;
            }
            if (size == ring.length) {
                remove(ring[next]);
            } else {
                size++;
            }
            // the removal may have shifted entries: find the free slot again
            i = slot(id);
            while (slots[i] != 0) {
                i = (i + 1) & mask;
            }
            slots[i] = id;
            ring[next] = id;
            next = (next + 1) % ring.length;
            return true;
        }

        boolean contains(long id) {
            for (int i = slot(id); slots[i] != 0; i = (i + 1) & mask) {
                if (slots[i] == id) {
                    return true;
                }
            }
            return false;
        }

        private void remove(long id) {
            int i = slot(id);
            while (slots[i] != id) {
                i = (i + 1) & mask;
            }
            // backward-shift deletion: move up every entry of the run whose home is at or before the hole
            int hole = i;
            int j = (i + 1) & mask;
            while (slots[j] != 0) {
                int home = slot(slots[j]);
                boolean movable = hole <= j ? home <= hole || home > j : home <= hole && home > j;
                if (movable) {
                    slots[hole] = slots[j];
                    hole = j;
                }
                j = (j + 1) & mask;
            }
            slots[hole] = 0;
        }

        private int slot(long id) {
            return (int) (id ^ (id >>> 32)) & mask;
        }
    }
}
