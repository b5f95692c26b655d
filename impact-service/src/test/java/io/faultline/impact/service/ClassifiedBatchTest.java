package io.faultline.impact.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.faultline.impact.service.ClassifiedBatch.CounterChange;
import io.faultline.impact.service.ClassifiedBatch.Event;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClassifiedBatchTest {

    private static final OffsetDateTime T0 = OffsetDateTime.parse("2026-03-01T10:59:30Z");

    private static Event event(
            String id, String group, String project, String workflow, int seconds, String severity, String impact) {
        return new Event(
                id,
                group,
                project,
                T0.plusSeconds(seconds),
                T0,
                "error",
                severity,
                "payment",
                impact,
                workflow,
                null,
                null,
                "m",
                "title of " + id,
                null,
                "message");
    }

    @Test
    void foldsEventsIntoOneRowPerGroupMinuteAndHourSortedByKey() {
        ClassifiedBatch batch = new ClassifiedBatch(List.of(
                event("e3", "g-b", "p1", "booking", 0, "high", "user_blocking"),
                event("e1", "g-a", "p1", "booking", 40, "critical", "user_blocking"), // next minute and hour
                event("e2", "g-b", "p1", "booking", 10, "medium", "revenue_blocking"),
                event("e4", "g-a", "p0", "payment_processing", -30, "low", "operational")));

        assertThat(batch.events()).extracting(Event::eventId).containsExactly("e1", "e2", "e3", "e4");
        assertThat(batch.groups()).extracting(g -> g.latest().groupId()).containsExactly("g-a", "g-b");
        var gb = batch.groups().get(1);
        assertThat(gb.events()).isEqualTo(2);
        assertThat(gb.latest().eventId()).isEqualTo("e2"); // the batch's last event of the group
        assertThat(gb.firstSeen()).isEqualTo(T0);
        assertThat(gb.lastSeen()).isEqualTo(T0.plusSeconds(10));

        assertThat(batch.minutes())
                .containsExactly(
                        new CounterChange("p0", "payment_processing", T0.minusSeconds(30), 1, 0, 0),
                        new CounterChange("p1", "booking", T0.minusSeconds(30), 2, 0, 1),
                        new CounterChange("p1", "booking", T0.plusSeconds(30), 1, 1, 0));
        OffsetDateTime hour10 = OffsetDateTime.parse("2026-03-01T10:00:00Z");
        assertThat(batch.hours())
                .containsExactly(
                        new CounterChange("p0", "payment_processing", hour10, 1, 0, 0),
                        new CounterChange("p1", "booking", hour10, 2, 0, 1),
                        new CounterChange("p1", "booking", hour10.plusHours(1), 1, 1, 0));
    }

    @Test
    void criticalOrRevenueBlockingEventsOpenIncidentsOthersOnlyExtendThem() {
        ClassifiedBatch batch = new ClassifiedBatch(List.of(
                event("e1", "g-a", "p1", "booking", 0, "high", "user_blocking"),
                event("e2", "g-a", "p1", "booking", 5, "critical", "user_blocking"),
                event("e3", "g-a", "p1", "booking", 9, "high", "revenue_blocking"),
                event("e4", "g-b", "p1", "booking", 20, "low", "operational")));

        assertThat(batch.incidentOpeners()).singleElement().satisfies(a -> {
            assertThat(a.groupId()).isEqualTo("g-a");
            assertThat(a.trigger()).isEqualTo("revenue_blocking");
            assertThat(a.severity()).isEqualTo("critical");
            assertThat(a.openingEventId()).isEqualTo("e2");
            assertThat(a.openedAt()).isEqualTo(T0.plusSeconds(5));
            assertThat(a.lastActivityAt()).isEqualTo(T0.plusSeconds(9));
            assertThat(a.events()).isEqualTo(3);
        });
        assertThat(batch.incidentExtenders()).singleElement().satisfies(a -> {
            assertThat(a.groupId()).isEqualTo("g-b");
            assertThat(a.trigger()).isNull();
        });
    }
}
