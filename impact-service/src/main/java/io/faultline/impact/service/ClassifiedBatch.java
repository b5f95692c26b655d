package io.faultline.impact.service;

import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The rows one batch of new classified events adds, folded so each statement of the batch
 * transaction touches a row at most once (PostgreSQL rejects an {@code ON CONFLICT DO UPDATE}
 * that would update the same row twice). Pure, so the folding is unit-tested.
 *
 * <p>Every list is sorted by its key: concurrent batch transactions then lock the shared counter
 * rows in the same order and cannot deadlock one another.
 */
public final class ClassifiedBatch {

    /** One classified event, as stored. */
    public record Event(
            String eventId,
            String groupId,
            String projectId,
            OffsetDateTime occurredAt,
            OffsetDateTime receivedAt,
            String level,
            String severity,
            String category,
            String businessImpact,
            String workflow,
            String release,
            String environment,
            String message,
            String title,
            String culprit,
            String strategy)
            implements TagValues.Occurrence {

        /** The same event, counted in another group (the one its group was merged into). */
        public Event inGroup(String survivorGroupId) {
            return new Event(
                    eventId,
                    survivorGroupId,
                    projectId,
                    occurredAt,
                    receivedAt,
                    level,
                    severity,
                    category,
                    businessImpact,
                    workflow,
                    release,
                    environment,
                    message,
                    title,
                    culprit,
                    strategy);
        }

        boolean critical() {
            return "critical".equals(severity);
        }

        boolean revenueBlocking() {
            return "revenue_blocking".equals(businessImpact);
        }
    }

    /** A group's change: its latest attributes (the batch's last event), seen range and count. */
    public record GroupChange(Event latest, OffsetDateTime firstSeen, OffsetDateTime lastSeen, long events) {}

    /** Counters to add to one (project, workflow, bucket) rollup row. */
    public record CounterChange(
            String projectId,
            String workflow,
            OffsetDateTime bucket,
            long errors,
            long criticalErrors,
            long revenueBlockingErrors) {}

    /**
     * A group's activity for its incident. When the batch holds a critical or revenue-blocking
     * event of the group, {@code trigger} names why (revenue_blocking wins over critical: it is the
     * costlier reason) and {@code openingEventId} / {@code openedAt} are the first such event's;
     * otherwise they are null and the activity only extends an incident already open.
     */
    public record IncidentActivity(
            String projectId,
            String groupId,
            String workflow,
            String title,
            String severity,
            String trigger,
            String openingEventId,
            OffsetDateTime openedAt,
            OffsetDateTime lastActivityAt,
            long events) {}

    private final List<Event> events;
    private final List<GroupChange> groups;
    private final List<CounterChange> minutes;
    private final List<CounterChange> hours;
    private final List<IncidentActivity> openers;
    private final List<IncidentActivity> extenders;

    /** @param fresh events not stored before, each event id once, in consumption order */
    public ClassifiedBatch(List<Event> fresh) {
        this.events =
                fresh.stream().sorted(Comparator.comparing(Event::eventId)).toList();
        Map<String, List<Event>> byGroup = new TreeMap<>();
        Map<List<Object>, long[]> minuteCounts = new TreeMap<>(ClassifiedBatch::compareKeys);
        Map<List<Object>, long[]> hourCounts = new TreeMap<>(ClassifiedBatch::compareKeys);
        for (Event e : fresh) {
            byGroup.computeIfAbsent(e.groupId(), g -> new ArrayList<>()).add(e);
            add(minuteCounts, e, e.occurredAt().truncatedTo(ChronoUnit.MINUTES));
            add(hourCounts, e, e.occurredAt().truncatedTo(ChronoUnit.HOURS));
        }
        List<GroupChange> groupChanges = new ArrayList<>();
        List<IncidentActivity> open = new ArrayList<>();
        List<IncidentActivity> extend = new ArrayList<>();
        for (List<Event> groupEvents : byGroup.values()) {
            Event latest = groupEvents.get(groupEvents.size() - 1);
            OffsetDateTime first = groupEvents.get(0).occurredAt();
            OffsetDateTime last = first;
            Event trigger = null;
            boolean anyCritical = false;
            boolean anyRevenueBlocking = false;
            for (Event e : groupEvents) {
                first = e.occurredAt().isBefore(first) ? e.occurredAt() : first;
                last = e.occurredAt().isAfter(last) ? e.occurredAt() : last;
                anyCritical |= e.critical();
                anyRevenueBlocking |= e.revenueBlocking();
                if (trigger == null && (e.critical() || e.revenueBlocking())) {
                    trigger = e;
                }
            }
            groupChanges.add(new GroupChange(latest, first, last, groupEvents.size()));
            var activity = new IncidentActivity(
                    latest.projectId(),
                    latest.groupId(),
                    latest.workflow(),
                    latest.title(),
                    anyCritical ? "critical" : latest.severity(),
                    trigger == null ? null : anyRevenueBlocking ? "revenue_blocking" : "critical",
                    trigger == null ? null : trigger.eventId(),
                    trigger == null ? null : trigger.occurredAt(),
                    last,
                    groupEvents.size());
            (trigger != null ? open : extend).add(activity);
        }
        this.groups = List.copyOf(groupChanges);
        this.minutes = changes(minuteCounts);
        this.hours = changes(hourCounts);
        this.openers = List.copyOf(open);
        this.extenders = List.copyOf(extend);
    }

    private static void add(Map<List<Object>, long[]> counts, Event e, OffsetDateTime bucket) {
        long[] c = counts.computeIfAbsent(List.of(e.projectId(), e.workflow(), bucket), k -> new long[3]);
        c[0]++;
        c[1] += e.critical() ? 1 : 0;
        c[2] += e.revenueBlocking() ? 1 : 0;
    }

    private static List<CounterChange> changes(Map<List<Object>, long[]> counts) {
        return counts.entrySet().stream()
                .map(en -> new CounterChange(
                        (String) en.getKey().get(0),
                        (String) en.getKey().get(1),
                        (OffsetDateTime) en.getKey().get(2),
                        en.getValue()[0],
                        en.getValue()[1],
                        en.getValue()[2]))
                .toList();
    }

    private static int compareKeys(List<Object> a, List<Object> b) {
        int c = ((String) a.get(0)).compareTo((String) b.get(0));
        if (c == 0) {
            c = ((String) a.get(1)).compareTo((String) b.get(1));
        }
        return c != 0 ? c : ((OffsetDateTime) a.get(2)).compareTo((OffsetDateTime) b.get(2));
    }

    public List<Event> events() {
        return events;
    }

    public List<GroupChange> groups() {
        return groups;
    }

    public List<CounterChange> minutes() {
        return minutes;
    }

    public List<CounterChange> hours() {
        return hours;
    }

    /** Groups with a critical or revenue-blocking event: open an incident or extend the open one. */
    public List<IncidentActivity> incidentOpeners() {
        return openers;
    }

    /** Groups with only ordinary events: extend an open incident if there is one. */
    public List<IncidentActivity> incidentExtenders() {
        return extenders;
    }
}
