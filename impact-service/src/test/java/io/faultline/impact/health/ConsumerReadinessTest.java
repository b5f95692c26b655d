package io.faultline.impact.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.eclipse.microprofile.health.HealthCheckResponse.Status;
import org.junit.jupiter.api.Test;

class ConsumerReadinessTest {

    @Test
    void downUntilEveryConsumerOfEveryGroupHasJoined() {
        ConsumerReadiness readiness =
                new ConsumerReadiness(Map.of("faultline-impact", 2, "faultline-impact-traffic", 1));
        assertThat(readiness.call().getStatus()).isEqualTo(Status.DOWN);

        Object first = new Object();
        readiness.joined("faultline-impact", first);
        readiness.joined("faultline-impact-traffic", new Object());
        // the same consumer assigned again (a second rebalance) is still one consumer
        readiness.joined("faultline-impact", first);
        assertThat(readiness.call().getStatus()).isEqualTo(Status.DOWN);
        assertThat(readiness.call().getData().orElseThrow()).containsEntry("faultline-impact", "1/2");

        readiness.joined("faultline-impact", new Object());
        assertThat(readiness.call().getStatus()).isEqualTo(Status.UP);
    }
}
