package io.faultline.classifier.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.kafka.streams.KafkaStreams.State;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class StreamsHealthTest {

    private static final List<String> RUNNING = List.of("RUNNING");

    @ParameterizedTest
    @EnumSource(
            value = State.class,
            names = {"ERROR", "PENDING_ERROR", "NOT_RUNNING", "PENDING_SHUTDOWN"})
    void aStoppingOrStoppedClientIsNeitherLiveNorReady(State state) {
        assertThat(StreamsHealth.live(state, RUNNING)).isFalse();
        assertThat(StreamsHealth.ready(state, RUNNING, true)).isFalse();
    }

    @Test
    void aClientWhoseThreadsAllDiedIsNeitherLiveNorReady() {
        List<String> dead = List.of("DEAD", "PENDING_SHUTDOWN");
        assertThat(StreamsHealth.live(State.RUNNING, dead)).isFalse();
        assertThat(StreamsHealth.ready(State.RUNNING, dead, true)).isFalse();
        assertThat(StreamsHealth.live(State.RUNNING, List.of("DEAD", "RUNNING")))
                .isTrue();
    }

    @Test
    void readyOnlyOnceTheFirstRebalanceIsOver() {
        assertThat(StreamsHealth.live(State.CREATED, List.of())).isTrue();
        assertThat(StreamsHealth.ready(State.CREATED, List.of(), false)).isFalse();
        List<String> assigned = List.of("PARTITIONS_ASSIGNED");
        assertThat(StreamsHealth.live(State.REBALANCING, assigned)).isTrue();
        assertThat(StreamsHealth.ready(State.REBALANCING, assigned, false)).isFalse();
        assertThat(StreamsHealth.ready(State.RUNNING, RUNNING, true)).isTrue();
        // a later rebalance leaves it ready
        assertThat(StreamsHealth.ready(State.REBALANCING, assigned, true)).isTrue();
    }
}
