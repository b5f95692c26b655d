package io.faultline.classifier.streams;

import io.faultline.schemas.Classification;
import io.faultline.schemas.ClassifiedError;
import io.faultline.schemas.ErrorEvent;
import io.faultline.schemas.ErrorGroup;
import io.faultline.schemas.GroupingInfo;
import io.faultline.schemas.Signal;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Stage two, partitioned by group id: keeps each group's state (first/last seen, count, status)
 * in a changelogged store, emits the updated group, and notices a new issue or a regression (an
 * event for a group marked resolved after its resolution) or an ignored group crossing its
 * until-condition. Its output is the classified event; the group and any
 * signal go out through the store-backed side outputs the topology wires.
 */
final class GroupStateProcessor implements FixedKeyProcessor<String, AnalyzedEvent, GroupUpdate> {

    private final String storeName;
    private KeyValueStore<String, ErrorGroup> groups;
    private FixedKeyProcessorContext<String, GroupUpdate> context;

    GroupStateProcessor(String storeName) {
        this.storeName = storeName;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, GroupUpdate> context) {
        this.context = context;
        this.groups = context.getStateStore(storeName);
    }

    @Override
    public void process(FixedKeyRecord<String, AnalyzedEvent> record) {
        ClassifiedError classified = record.value().classified();
        ErrorEvent event = classified.getEvent();
        GroupingInfo grouping = classified.getGrouping();
        Classification c = classified.getClassification();
        String groupId = classified.getGroupId();
        Instant seen = event.getTimestamp();

        ErrorGroup previous = groups.get(groupId);
        Signal signal = null;
        ErrorGroup.Builder next;
        if (previous == null) {
            next = ErrorGroup.newBuilder()
                    .setGroupId(groupId)
                    .setProjectId(event.getProjectId())
                    .setFirstSeen(seen)
                    .setLastSeen(seen)
                    .setCount(0)
                    .setStatus("unresolved");
            signal = signal("new_issue", classified, "new issue: " + grouping.getTitle());
        } else {
            next = ErrorGroup.newBuilder(previous);
            // an event from before the resolution (late, or redelivered) is not a recurrence
            if ("resolved".equals(previous.getStatus())
                    && (previous.getResolvedAt() == null || seen.isAfter(previous.getResolvedAt()))) {
                next.setStatus("regressed");
                signal = signal("regression", classified, "regression: " + grouping.getTitle());
            }
            if ("ignored".equals(previous.getStatus()) && ignoreExpires(previous, seen)) {
                next.setStatus("unresolved").setIgnoredUntil(null).setIgnoredUntilCount(null);
                signal = signal(
                        "ignore_expired",
                        classified,
                        "ignored group woke up: " + grouping.getTitle() + " (" + ignoreCondition(previous) + ")");
            }
            if (seen.isBefore(previous.getFirstSeen())) {
                next.setFirstSeen(seen);
            }
            if (seen.isAfter(previous.getLastSeen())) {
                next.setLastSeen(seen);
            }
        }
        ErrorGroup group = next.setCount(next.getCount() + 1)
                .setTitle(grouping.getTitle())
                .setCulprit(grouping.getCulprit())
                .setStrategy(grouping.getStrategy())
                .setComponents(grouping.getComponents())
                .setTemplate(grouping.getTemplate())
                .setSeverity(c.getSeverity())
                .setCategory(c.getCategory())
                .setBusinessImpact(c.getBusinessImpact())
                .setWorkflow(c.getWorkflow())
                .setLastEventId(event.getEventId())
                .setLastRelease(event.getRelease())
                .build();
        groups.put(groupId, group);
        context.forward(record.withValue(new GroupUpdate(record.value(), group, signal)));
    }

    /** Whether this occurrence (the group's count + 1, at {@code seen}) crosses the ignore's limit. */
    private static boolean ignoreExpires(ErrorGroup group, Instant seen) {
        return group.getIgnoredUntil() != null && seen.isAfter(group.getIgnoredUntil())
                || group.getIgnoredUntilCount() != null && group.getCount() + 1 > group.getIgnoredUntilCount();
    }

    private static String ignoreCondition(ErrorGroup group) {
        return group.getIgnoredUntil() != null && group.getIgnoredUntilCount() != null
                ? "ignored until " + group.getIgnoredUntil() + " or " + group.getIgnoredUntilCount() + " occurrences"
                : group.getIgnoredUntil() != null
                        ? "ignored until " + group.getIgnoredUntil()
                        : "ignored until " + group.getIgnoredUntilCount() + " occurrences";
    }

    private static Signal signal(String type, ClassifiedError classified, String message) {
        ErrorEvent event = classified.getEvent();
        return Signal.newBuilder()
                .setSignalId(type + ":" + classified.getGroupId() + ":" + event.getEventId())
                .setType(type)
                .setProjectId(event.getProjectId())
                .setGroupId(classified.getGroupId())
                .setWorkflow(classified.getClassification().getWorkflow())
                .setSeverity(classified.getClassification().getSeverity())
                .setDetectedAt(event.getTimestamp())
                .setWindowStart(event.getTimestamp())
                .setWindowEnd(event.getTimestamp())
                .setObserved(1)
                .setThreshold(0)
                .setMessage(message)
                .setDetails(Map.of("eventId", event.getEventId()))
                .build();
    }
}
