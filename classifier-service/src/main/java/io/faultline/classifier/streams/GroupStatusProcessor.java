package io.faultline.classifier.streams;

import io.faultline.classifier.classification.BusinessImpact;
import io.faultline.classifier.classification.Category;
import io.faultline.classifier.classification.GroupLabelOverrides;
import io.faultline.classifier.classification.LabelOverride;
import io.faultline.classifier.classification.Severity;
import io.faultline.schemas.ErrorGroup;
import io.faultline.schemas.ResolutionEvent;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.jboss.logging.Logger;

/**
 * Applies the resolution audit trail to the group state the events stage keeps, so the classifier
 * knows which groups are resolved and a later event of one is a regression. The audit trail is
 * keyed by group id, like the events-by-group stage, so both reach the same task. Status changes:
 * a passed verification (not a dry run) or an operator's resolve marks the group resolved at the
 * entry's time; an operator's ignore marks it ignored, optionally until an instant or until a
 * number of further occurrences (the group wakes up then, see {@link GroupStateProcessor}); reopen
 * makes it unresolved again. An operator's relabel pins severity / category / impact / workflow
 * on the group: kept in a changelogged store (it survives restarts and moves with the task) and
 * handed to the classifier's overrides, so the group's next event is classified with it. Anything
 * else on the trail changes nothing. The updated group goes out on the groups topic, keyed by its
 * group id. Entries arrive decoded and keyed by project ({@link ResolutionDecodeProcessor}): the
 * group's state lives in its project's task.
 *
 * <p>An operator's resolve in the next release ({@code details.release}: the release the fix comes
 * after) resolves the group like a resolve, and keeps the release ({@link ReleaseResolutions}) for
 * the events stage, which then regresses the group only on an event of a later release. When the
 * project showed a later release already, the fix has shipped: a {@code release_shipped} signal
 * goes out with the group (the topology sends each output to its topic).
 */
final class GroupStatusProcessor implements Processor<String, ResolutionEvent, String, Object> {

    /** Audit detail of an ignore: the instant the group wakes up at (ISO-8601). */
    static final String IGNORE_UNTIL = "ignoreUntil";
    /** Audit detail of an ignore: how many more occurrences it takes to wake the group up. */
    static final String IGNORE_UNTIL_OCCURRENCES = "ignoreUntilOccurrences";

    /** An operator's resolve in the next release (without a release: a plain resolve). */
    static final String RESOLVE_IN_RELEASE = "manual_resolve_in_release";

    private static final Logger LOG = Logger.getLogger(GroupStatusProcessor.class);

    private final String storeName;
    private final String labelStoreName;
    private final String releasesStoreName;
    private final String inReleaseStoreName;
    private final GroupLabelOverrides overrides;
    /**
     * The groups whose relabels this task put in the overrides, which every task of the process
     * shares: given back when the task leaves, so that a relabel cleared elsewhere meanwhile does
     * not come back with the task.
     */
    private final Set<String> armed = new HashSet<>();

    private KeyValueStore<String, ErrorGroup> groups;
    private KeyValueStore<String, String> labels;
    private KeyValueStore<String, Long> releases;
    private KeyValueStore<String, String> inRelease;
    private ProcessorContext<String, Object> context;

    GroupStatusProcessor(
            String storeName,
            String labelStoreName,
            String releasesStoreName,
            String inReleaseStoreName,
            GroupLabelOverrides overrides) {
        this.storeName = storeName;
        this.labelStoreName = labelStoreName;
        this.releasesStoreName = releasesStoreName;
        this.inReleaseStoreName = inReleaseStoreName;
        this.overrides = overrides;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.groups = context.getStateStore(storeName);
        this.labels = context.getStateStore(labelStoreName);
        this.releases = context.getStateStore(releasesStoreName);
        this.inRelease = context.getStateStore(inReleaseStoreName);
        // the store is restored before init: re-arm the classifier with this task's relabels
        disarm();
        try (KeyValueIterator<String, String> all = labels.all()) {
            all.forEachRemaining(kv -> {
                overrides.put(kv.key, LabelOverrides.decode(kv.value));
                armed.add(kv.key);
            });
        }
    }

    @Override
    public void close() {
        disarm();
    }

    private void disarm() {
        armed.forEach(overrides::remove);
        armed.clear();
    }

    private void relabel(ResolutionEvent entry) {
        LabelOverride override = overrideOf(entry);
        if (override.isEmpty()) {
            labels.delete(entry.getGroupId());
            overrides.remove(entry.getGroupId());
            armed.remove(entry.getGroupId());
        } else {
            labels.put(entry.getGroupId(), LabelOverrides.encode(override));
            overrides.put(entry.getGroupId(), override);
            armed.add(entry.getGroupId());
        }
    }

    @Override
    public void process(Record<String, ResolutionEvent> record) {
        ResolutionEvent entry = record.value();
        if (isRelabel(entry)) {
            relabel(entry);
            return;
        }
        Optional<String> status = statusAfter(entry);
        ErrorGroup group = status.isEmpty() ? null : groups.get(entry.getGroupId());
        // reopening an open group changes nothing; a repeated resolve may move the resolution
        // time on (below) and a repeated ignore replaces the until-condition
        if (group == null || "unresolved".equals(status.get()) && "unresolved".equals(group.getStatus())) {
            return;
        }
        if (GroupStateProcessor.MERGED.equals(group.getStatus())) {
            return; // its events count in the group it was merged into, which carries the status
        }
        Instant at = entry.getTimestamp();
        if ("resolved".equals(status.get()) && group.getResolvedAt() != null && !at.isAfter(group.getResolvedAt())) {
            return; // an older (or redelivered) resolution: the group's resolution time stands
        }
        ErrorGroup.Builder next = ErrorGroup.newBuilder(group)
                .setStatus(status.get())
                .setIgnoredUntil(null)
                .setIgnoredUntilCount(null);
        if ("resolved".equals(status.get())) {
            next.setResolvedAt(at);
        }
        if ("ignored".equals(status.get())) {
            Map<String, String> details = entry.getDetails();
            next.setIgnoredUntil(instantOrNull(details.get(IGNORE_UNTIL)));
            Long more = longOrNull(details.get(IGNORE_UNTIL_OCCURRENCES));
            next.setIgnoredUntilCount(more == null ? null : group.getCount() + more);
        }
        ErrorGroup updated = next.build();
        groups.put(entry.getGroupId(), updated);
        context.forward(record.withKey(entry.getGroupId()).withValue(updated));
        String key = ReleaseResolutions.key(group.getProjectId(), group.getGroupId());
        String release = inReleaseOf(entry);
        if (release == null) {
            inRelease.delete(key); // any other status change ends a resolve in the next release
            return;
        }
        // the project's first-seen order as the events stage recorded it (read only here)
        boolean out = ReleaseOrder.ofProject(releases, group.getProjectId()).anyLater(group.getProjectId(), release);
        inRelease.put(key, out ? ReleaseResolutions.shipped(release) : ReleaseResolutions.pending(release));
        if (out) {
            context.forward(record.withKey(entry.getGroupId())
                    .withValue(ReleaseResolutions.shippedSignal(updated, release, null, at, entry.getEntryId())));
        }
    }

    /** The release of an operator's resolve in the next release; null for any other entry. */
    static String inReleaseOf(ResolutionEvent entry) {
        if (!"manual".equals(entry.getStrategy()) || !RESOLVE_IN_RELEASE.equals(entry.getAction())) {
            return null;
        }
        String release = entry.getDetails().get(ReleaseResolutions.RELEASE);
        return release == null || release.isBlank() ? null : release;
    }

    private static Instant instantOrNull(String value) {
        try {
            return value == null || value.isBlank() ? null : Instant.parse(value);
        } catch (DateTimeParseException e) {
            LOG.warnf("ignore condition '%s' is not an instant; the group is ignored without a time limit", value);
            return null;
        }
    }

    private static Long longOrNull(String value) {
        try {
            return value == null || value.isBlank() ? null : Long.valueOf(value);
        } catch (NumberFormatException e) {
            LOG.warnf("ignore condition '%s' is not a count; the group is ignored without a count limit", value);
            return null;
        }
    }

    /** Whether the entry is an operator's relabel (labels in its details). */
    static boolean isRelabel(ResolutionEvent entry) {
        return "manual".equals(entry.getStrategy()) && "manual_relabel".equalsIgnoreCase(entry.getAction());
    }

    /**
     * The labels a relabel pins; a detail left out (or a value outside the vocabulary, which the
     * dashboard refuses anyway) is left to the rules. All left out: the group's override is lifted.
     */
    static LabelOverride overrideOf(ResolutionEvent entry) {
        Map<String, String> d = entry.getDetails();
        String workflow = d.get("workflow");
        return new LabelOverride(
                Severity.fromWire(d.get("severity")).orElse(null),
                Category.fromWire(d.get("category")).orElse(null),
                BusinessImpact.fromWire(d.get("businessImpact")).orElse(null),
                workflow == null || workflow.isBlank() ? null : workflow);
    }

    /** The status an audit entry gives its group, if it changes any. */
    static Optional<String> statusAfter(ResolutionEvent entry) {
        if ("verification_passed".equals(entry.getPhase())) {
            return entry.getDryRun() ? Optional.empty() : Optional.of("resolved");
        }
        if (!"manual".equals(entry.getStrategy()) || entry.getAction() == null) {
            return Optional.empty();
        }
        return switch (entry.getAction().toLowerCase(Locale.ROOT)) {
            case "manual_resolve", RESOLVE_IN_RELEASE -> Optional.of("resolved");
            case "manual_ignore" -> Optional.of("ignored");
            case "manual_reopen" -> Optional.of("unresolved");
            default -> Optional.empty();
        };
    }
}
