package io.faultline.impact.messaging;

import io.faultline.impact.service.ImpactRecorder;
import io.faultline.schemas.ClassifiedError;
import io.faultline.schemas.topics.Topics;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Transport: classified errors in. Decoding happens here so a poison record is nacked onto the
 * dead-letter topic (bytes intact, reason in headers) instead of stopping consumption. The offset
 * is committed only after the database transaction committed.
 */
@ApplicationScoped
public class ClassifiedErrorConsumer {

    private final ImpactRecorder recorder;

    public ClassifiedErrorConsumer(ImpactRecorder recorder) {
        this.recorder = recorder;
    }

    @Incoming("faultline.errors.classified.v1")
    public Uni<Void> onClassified(byte[] value) {
        ClassifiedError classified = Topics.ERRORS_CLASSIFIED
                .valueSerde()
                .deserializer()
                .deserialize(Topics.ERRORS_CLASSIFIED.name(), value);
        return recorder.record(classified).replaceWithVoid();
    }
}
