package io.faultline.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FreePortsTest {

    /**
     * A stack's ports are taken in one go and bound later: two of them the same (the kernel hands
     * out a port it just freed again) made one service answer for another, a 404 from the wrong
     * service (DeployedConfigurationIT, the drill after an ingest restart). And a port in the
     * kernel's ephemeral range can be taken by any outgoing connection while its service restarts.
     */
    @Test
    void portsAreNeverHandedOutTwiceAndLieBelowTheEphemeralRange() {
        Set<Integer> seen = new HashSet<>();
        int ephemeralLow = FreePorts.ephemeralRangeStart();
        for (int i = 0; i < 3_000; i++) {
            int port = FreePorts.next();
            assertThat(seen.add(port))
                    .as("port %d handed out twice (call %d)", port, i)
                    .isTrue();
            if (ephemeralLow > FreePorts.LOWEST) {
                // a kernel whose ephemeral range starts lower leaves no such ports: any free one then
                assertThat(port).isBetween(FreePorts.LOWEST, ephemeralLow - 1);
            }
        }
    }
}
