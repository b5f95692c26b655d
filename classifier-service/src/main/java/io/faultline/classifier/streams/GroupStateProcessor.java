package io.faultline.classifier.streams;

import io.faultline.classifier.grouping.fingerprint.GroupIds;
import io.faultline.classifier.streams.MergeRecordingTemplateStore.TemplateMerge;
import io.faultline.schemas.Classification;
import io.faultline.schemas.ClassifiedError;
import io.faultline.schemas.ErrorEvent;
import io.faultline.schemas.ErrorGroup;
import io.faultline.schemas.GroupingInfo;
import io.faultline.schemas.Signal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Stage two, partitioned by group id: keeps each group's state (first/last seen, count, status)
 * in a changelogged store, emits the updated group, and notices a new issue or a regression (an
 * event for a group marked resolved after its resolution) or an ignored group crossing its
 * until-condition. Its output is the classified event; the group and any
 * signal go out through the store-backed side outputs the topology wires.
 *
 * <p>A group resolved "in the next release" ({@link ReleaseResolutions}) regresses on an event of a
 * release later than the one it was resolved in, whenever it happened, and on no other; an event
 * of a release new to the project ships the fix of every such group of the project it comes after
 * (signal {@code release_shipped}).
 */
final class GroupStateProcessor implements FixedKeyProcessor<String, AnalyzedEvent, GroupUpdate> {

    static final String MERGED = "merged";
    static final String GROUP_MERGED = "group_merged";

    private final String storeName;
    private final String releasesStoreName;
    private final String inReleaseStoreName;
    private KeyValueStore<String, ErrorGroup> groups;
    private KeyValueStore<String, String> inRelease;
    private ReleaseOrder releases;
    private FixedKeyProcessorContext<String, GroupUpdate> context;

    GroupStateProcessor(String storeName, String releasesStoreName, String inReleaseStoreName) {
        this.storeName = storeName;
        this.releasesStoreName = releasesStoreName;
        this.inReleaseStoreName = inReleaseStoreName;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, GroupUpdate> context) {
        this.context = context;
        this.groups = context.getStateStore(storeName);
        this.inRelease = context.getStateStore(inReleaseStoreName);
        // restored before init; a revived task runs init again, so the copy is built afresh
        this.releases = new ReleaseOrder(context.getStateStore(releasesStoreName));
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
        List<Signal> shipped = releases.firstSeen(event.getProjectId(), event.getRelease())
                ? shipped(event.getProjectId(), event.getRelease(), event)
                : List.of();
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
            if ("resolved".equals(previous.getStatus()) && regresses(previous, event)) {
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
        List<Signal> signals = signal == null ? List.of() : List.of(signal);
        if (!shipped.isEmpty()) { // rare: the first event of a release that ships a resolved group's fix
            signals = new ArrayList<>(shipped);
            if (signal != null) {
                signals.add(signal); // after the shipping: a fix that shipped and did not hold
            }
        }
        List<String> merged = List.of();
        if (!record.value().templateMerges().isEmpty()) { // rare: only when the miner merged templates
            signals = new ArrayList<>(signals);
            merged = new ArrayList<>();
            for (TemplateMerge m : record.value().templateMerges()) {
                group = absorb(group, classified, m, signals, merged);
            }
        }
        groups.put(groupId, group);
        context.forward(record.withValue(new GroupUpdate(record.value(), group, signals, merged)));
    }

    /**
     * Folds into the event's group the group that the same event would have joined under the
     * merged-away template (its grouping with that template's id in place of the survivor's): its
     * count and first/last seen move over, and it stays behind as {@code merged}, pointing at the
     * survivor, with a {@code group_merged} signal so the impact service moves its events. The
     * miner merges templates once the evidence says a position varies (the third user name), so
     * the first users' groups were founded apart; without this they would stay orphaned.
     */
    private ErrorGroup absorb(
            ErrorGroup survivor,
            ClassifiedError classified,
            TemplateMerge merge,
            List<Signal> signals,
            List<String> merged) {
        ErrorEvent event = classified.getEvent();
        GroupingInfo grouping = classified.getGrouping();
        List<String> components = withTemplate(grouping.getComponents(), merge.survivor(), merge.mergedAway());
        if (components == null) {
            return survivor; // this event's group does not rest on the merged template
        }
        String orphanId = GroupIds.of(event.getProjectId(), grouping.getStrategy(), components);
        ErrorGroup orphan = groups.get(orphanId);
        if (orphan == null || orphanId.equals(survivor.getGroupId()) || MERGED.equals(orphan.getStatus())) {
            return survivor;
        }
        groups.put(
                orphanId,
                ErrorGroup.newBuilder(orphan)
                        .setStatus(MERGED)
                        .setMergedInto(survivor.getGroupId())
                        .build());
        merged.add(orphanId);
        signals.add(Signal.newBuilder()
                .setSignalId(GROUP_MERGED + ":" + orphanId)
                .setType(GROUP_MERGED)
                .setProjectId(orphan.getProjectId())
                .setGroupId(orphanId)
                .setWorkflow(orphan.getWorkflow())
                .setSeverity("info")
                .setDetectedAt(event.getTimestamp())
                .setWindowStart(orphan.getFirstSeen())
                .setWindowEnd(event.getTimestamp())
                .setObserved(orphan.getCount())
                .setThreshold(0)
                .setMessage("\"" + orphan.getTitle() + "\" merged into \"" + survivor.getTitle() + "\" ("
                        + orphan.getCount() + " event(s)): their messages come from one template")
                .setDetails(Map.of("mergedInto", survivor.getGroupId(), "eventId", event.getEventId()))
                .build());
        return ErrorGroup.newBuilder(survivor)
                .setCount(survivor.getCount() + orphan.getCount())
                .setFirstSeen(
                        orphan.getFirstSeen().isBefore(survivor.getFirstSeen())
                                ? orphan.getFirstSeen()
                                : survivor.getFirstSeen())
                .setLastSeen(
                        orphan.getLastSeen().isAfter(survivor.getLastSeen())
                                ? orphan.getLastSeen()
                                : survivor.getLastSeen())
                .build();
    }

    /** The components with the template id {@code from} replaced by {@code to}; null when none names it. */
    static List<String> withTemplate(List<String> components, String from, String to) {
        List<String> replaced = null;
        for (int i = 0; i < components.size(); i++) {
            String c = components.get(i);
            int eq = c.indexOf('=');
            if (eq > 0 && c.substring(eq + 1).equals(from)) {
                if (replaced == null) {
                    replaced = new ArrayList<>(components);
                }
                replaced.set(i, c.substring(0, eq + 1) + to);
            }
        }
        return replaced;
    }

    /**
     * Whether an event of a resolved group is a recurrence: one of a later release than the one it
     * was resolved in, or without such a resolve one that happened after the resolution (an event
     * from before it, late or redelivered, is not).
     */
    private boolean regresses(ErrorGroup group, ErrorEvent event) {
        String key = ReleaseResolutions.key(group.getProjectId(), group.getGroupId());
        String inReleaseOf = inRelease.get(key);
        if (inReleaseOf == null) {
            return group.getResolvedAt() == null || event.getTimestamp().isAfter(group.getResolvedAt());
        }
        if (!releases.later(group.getProjectId(), event.getRelease(), ReleaseResolutions.releaseOf(inReleaseOf))) {
            return false;
        }
        inRelease.delete(key);
        return true;
    }

    /** The project's groups resolved in a release that {@code release}, new to the project, comes after. */
    private List<Signal> shipped(String project, String release, ErrorEvent event) {
        List<Signal> out = null;
        try (KeyValueIterator<String, String> pending =
                inRelease.prefixScan(ReleaseResolutions.prefix(project), new StringSerializer())) {
            while (pending.hasNext()) {
                KeyValue<String, String> kv = pending.next();
                String resolvedIn = ReleaseResolutions.releaseOf(kv.value);
                if (!ReleaseResolutions.isPending(kv.value) || !releases.later(project, release, resolvedIn)) {
                    continue;
                }
                ErrorGroup group = groups.get(ReleaseResolutions.groupOf(kv.key));
                if (group == null) {
                    continue;
                }
                if (out == null) {
                    out = new ArrayList<>();
                }
                out.add(ReleaseResolutions.shippedSignal(
                        group, resolvedIn, release, event.getTimestamp(), event.getEventId()));
            }
        }
        if (out == null) {
            return List.of();
        }
        for (Signal s : out) {
            inRelease.put(
                    ReleaseResolutions.key(project, s.getGroupId()),
                    ReleaseResolutions.shipped(s.getDetails().get(ReleaseResolutions.RELEASE)));
        }
        return out;
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
