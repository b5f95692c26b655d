package io.faultline.impact.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventCountsTest {

    private static AlertRule rule(long id, int windowSeconds) {
        return new AlertRule(id, "r" + id, true, AlertRule.EVENT_COUNT, 5, windowSeconds, "group", Map.of(), null, 60);
    }

    @Test
    void eventsOlderThanTheWindowNoLongerCount() {
        EventCounts counts = new EventCounts(100);
        AlertRule r = rule(1, 120); // buckets of 10 s
        long t = 1_000_000_000L;
        for (int i = 0; i < 4; i++) {
            assertThat(counts.add(r, "g", t + i)).isEqualTo(i + 1);
        }
        assertThat(counts.add(r, "g", t + 60_000))
                .as("half a window later, all still in")
                .isEqualTo(5);
        assertThat(counts.add(r, "g", t + 125_000))
                .as("the first four fell out")
                .isEqualTo(2);
        assertThat(counts.add(r, "other", t + 125_000))
                .as("each key counts alone")
                .isEqualTo(1);
    }

    @Test
    void keysAreBoundedAndIdleOnesMakeRoom() {
        EventCounts counts = new EventCounts(3);
        AlertRule r = rule(2, 60);
        long t = 2_000_000_000L;
        for (String key : List.of("a", "b", "c")) {
            counts.add(r, key, t);
        }
        assertThat(counts.add(r, "d", t + 1_000))
                .as("over the bound, not counted")
                .isZero();
        assertThat(counts.keys()).isEqualTo(3);
        // a window later a, b and c are idle: d takes one of their places
        assertThat(counts.add(r, "d", t + 61_000)).isEqualTo(1);
        assertThat(counts.keys()).isEqualTo(1);
    }
}
