package io.faultline.classifier.streams;

import io.faultline.schemas.ErrorGroup;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Publishes the groups that events changed on the (compacted) groups topic: each changed group's
 * latest state once per round ({@link #INTERVAL} of wall-clock time), not once per event. A busy
 * group's hundred events between two rounds cost one record instead of a hundred encodes, sends
 * and broker appends; the topic holds the latest state per group either way.
 *
 * <p>Which groups are due is kept in a changelogged store, written when a group first changes
 * after a round and cleared when the round publishes it, so a group changed just before a commit
 * and a crash is still published after the restore: the store comes back with it. The state
 * published is read from the group store at the round, so it is the latest one, whatever changed it
 * (an operator's status change, published at once by {@link GroupStatusProcessor}, included).
 */
final class GroupPublishProcessor implements Processor<String, GroupUpdate, String, ErrorGroup> {

    /** How often changed groups go out: about a commit interval, so a round's records share a commit. */
    static final Duration INTERVAL = Duration.ofMillis(100);

    private final String groupStoreName;
    private final String dueStoreName;
    /** Group id → timestamp of the latest record that changed it; mirrors the due store's keys. */
    private final Map<String, Long> due = new HashMap<>();

    private ProcessorContext<String, ErrorGroup> context;
    private KeyValueStore<String, ErrorGroup> groups;
    private KeyValueStore<String, Long> dueStore;

    GroupPublishProcessor(String groupStoreName, String dueStoreName) {
        this.groupStoreName = groupStoreName;
        this.dueStoreName = dueStoreName;
    }

    @Override
    public void init(ProcessorContext<String, ErrorGroup> context) {
        this.context = context;
        this.groups = context.getStateStore(groupStoreName);
        this.dueStore = context.getStateStore(dueStoreName);
        // restored before init: groups changed before a crash that no round published yet. A
        // revived task runs init again on this processor: what it held before is not the store's
        due.clear();
        try (KeyValueIterator<String, Long> all = dueStore.all()) {
            all.forEachRemaining(kv -> due.put(kv.key, kv.value));
        }
        context.schedule(INTERVAL, PunctuationType.WALL_CLOCK_TIME, now -> publish());
    }

    @Override
    public void process(Record<String, GroupUpdate> record) {
        markDue(record.key(), record.timestamp());
        for (String merged : record.value().mergedGroupIds()) {
            markDue(merged, record.timestamp());
        }
    }

    private void markDue(String groupId, long timestamp) {
        if (due.put(groupId, timestamp) == null) {
            dueStore.put(groupId, timestamp);
        }
    }

    private void publish() {
        for (Map.Entry<String, Long> entry : due.entrySet()) {
            ErrorGroup group = groups.get(entry.getKey());
            if (group != null) {
                context.forward(new Record<>(entry.getKey(), group, entry.getValue()));
            }
            dueStore.delete(entry.getKey());
        }
        due.clear();
    }
}
