package io.faultline.impact.messaging;

import io.faultline.impact.repository.IncidentTracker;
import io.faultline.schemas.Signal;
import io.faultline.schemas.topics.Topics;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Transport: the detectors' signals in (they open incidents); poison goes to the dead-letter topic. */
@ApplicationScoped
public class SignalConsumer {

    private final IncidentTracker incidents;

    public SignalConsumer(IncidentTracker incidents) {
        this.incidents = incidents;
    }

    @Incoming("faultline.signals.v1")
    public Uni<Void> onSignal(byte[] value) {
        Signal signal = Topics.SIGNALS.valueSerde().deserializer().deserialize(Topics.SIGNALS.name(), value);
        return StoreRetry.untilStored("signal " + signal.getSignalId(), () -> incidents.record(signal))
                .replaceWithVoid();
    }
}
