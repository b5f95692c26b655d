package io.faultline.impact.messaging;

import io.faultline.impact.repository.ResolutionRecorder;
import io.faultline.schemas.ResolutionEvent;
import io.faultline.schemas.topics.Topics;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Transport: the resolver's audit trail in; poison goes to the dead-letter topic. */
@ApplicationScoped
public class ResolutionConsumer {

    private final ResolutionRecorder recorder;

    public ResolutionConsumer(ResolutionRecorder recorder) {
        this.recorder = recorder;
    }

    @Incoming("faultline.resolutions.v1")
    public Uni<Void> onResolution(byte[] value) {
        ResolutionEvent entry =
                Topics.RESOLUTIONS.valueSerde().deserializer().deserialize(Topics.RESOLUTIONS.name(), value);
        return StoreRetry.untilStored("audit entry " + entry.getEntryId(), () -> recorder.record(entry))
                .replaceWithVoid();
    }
}
