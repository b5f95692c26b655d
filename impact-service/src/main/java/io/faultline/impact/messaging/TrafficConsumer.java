package io.faultline.impact.messaging;

import io.faultline.impact.repository.TrafficRecorder;
import io.faultline.schemas.TrafficSample;
import io.faultline.schemas.topics.Topics;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Transport: traffic samples in; undecodable or invalid samples go to the dead-letter topic. */
@ApplicationScoped
public class TrafficConsumer {

    private final TrafficRecorder recorder;

    public TrafficConsumer(TrafficRecorder recorder) {
        this.recorder = recorder;
    }

    @Incoming("faultline.traffic.v1")
    public Uni<Void> onTraffic(byte[] value) {
        TrafficSample sample = Topics.TRAFFIC.valueSerde().deserializer().deserialize(Topics.TRAFFIC.name(), value);
        return StoreRetry.untilStored("traffic sample " + sample.getSampleId(), () -> recorder.record(sample))
                .replaceWithVoid();
    }
}
