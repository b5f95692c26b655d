package io.faultline.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Restarted by the supervisor while its disk was still full, the devstack's PostgreSQL hung in its
 * start-up wait for 60 s before the process gave up, so the stack came back a minute after the space
 * did (the drill's disk-full fault: 80-90 s). It now waits for room before it starts anything.
 */
class DiskRoomTest {

    private static final long MB = 1024 * 1024;

    @Test
    void aFullDiskIsWaitedOutAndTheWaitSaidOnce() throws InterruptedException {
        Deque<Long> free = new ArrayDeque<>(List.of(0L, 3 * MB, 10 * MB, DiskRoom.NEEDED_BYTES));
        List<String> said = new ArrayList<>();
        int[] pauses = {0};

        long found = new DiskRoom(free::pop, () -> pauses[0]++, said::add).await("/home/x");

        assertThat(found).isEqualTo(DiskRoom.NEEDED_BYTES);
        assertThat(pauses[0]).isEqualTo(3);
        // once when it begins to wait, once when it stops
        assertThat(said).hasSize(2);
        assertThat(said.get(0)).contains("/home/x").contains("0 MB free");
        assertThat(said.get(1)).contains("starting");
    }

    @Test
    void roomEnoughStartsAtOnce() throws InterruptedException {
        List<String> said = new ArrayList<>();
        int[] pauses = {0};

        new DiskRoom(() -> 10 * DiskRoom.NEEDED_BYTES, () -> pauses[0]++, said::add).await("/home/x");

        assertThat(pauses[0]).isZero();
        assertThat(said).isEmpty();
    }
}
