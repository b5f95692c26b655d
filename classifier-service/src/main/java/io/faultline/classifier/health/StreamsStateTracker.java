package io.faultline.classifier.health;

import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Remembers whether the streams client has been RUNNING since it started: the first rebalance and
 * the restoration of the stores come before, and the instance is not ready until both are over
 * (a later rebalance does not make it unready). Quarkus sets the one state listener a client has
 * from this bean.
 */
@ApplicationScoped
public class StreamsStateTracker implements KafkaStreams.StateListener {

    private volatile boolean hasRun;

    @Override
    public void onChange(KafkaStreams.State newState, KafkaStreams.State oldState) {
        if (newState == KafkaStreams.State.RUNNING) {
            hasRun = true;
        }
    }

    public boolean hasRun() {
        return hasRun;
    }
}
