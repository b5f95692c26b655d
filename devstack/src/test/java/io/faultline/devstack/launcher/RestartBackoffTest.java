package io.faultline.devstack.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RestartBackoffTest {

    @Test
    void aCrashLoopWaitsTwiceAsLongEachTimeUpToTheCeiling() {
        RestartBackoff backoff = new RestartBackoff();
        List<Long> waits = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            waits.add(backoff.after(Duration.ofMillis(300)).toSeconds());
        }
        assertThat(waits).containsExactly(1L, 2L, 4L, 8L, 16L, 30L, 30L, 30L);
    }

    @Test
    void aHealthyRunStartsTheDelaysAgain() {
        RestartBackoff backoff = new RestartBackoff();
        backoff.after(Duration.ZERO);
        backoff.after(Duration.ZERO);
        assertThat(backoff.after(Duration.ofSeconds(5))).isEqualTo(Duration.ofSeconds(4));

        assertThat(backoff.after(RestartBackoff.HEALTHY_RUN)).isEqualTo(RestartBackoff.FIRST);
        assertThat(backoff.after(Duration.ZERO)).isEqualTo(Duration.ofSeconds(2));
    }
}
