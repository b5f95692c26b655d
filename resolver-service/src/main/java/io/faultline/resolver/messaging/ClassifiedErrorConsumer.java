package io.faultline.resolver.messaging;

import io.faultline.resolver.service.ResolutionDecider;
import io.faultline.schemas.ClassifiedError;
import io.faultline.schemas.ResolutionEvent;
import io.faultline.schemas.topics.Topics;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Outgoing;

/**
 * Transport for the resolver: classified errors in, audit entries out. The value arrives as bytes
 * and is decoded here, so an undecodable record is nacked and lands, bytes intact, on the
 * dead-letter topic with the failure reason (SmallRye's dead-letter-queue strategy). The incoming
 * record is acknowledged only after the outgoing one is.
 */
@ApplicationScoped
public class ClassifiedErrorConsumer {

    private final ResolutionDecider decider;

    public ClassifiedErrorConsumer(ResolutionDecider decider) {
        this.decider = decider;
    }

    @Incoming("faultline.errors.classified.v1")
    @Outgoing("faultline.resolutions.v1")
    public Record<String, ResolutionEvent> onClassified(byte[] value) {
        ClassifiedError classified = Topics.ERRORS_CLASSIFIED
                .valueSerde()
                .deserializer()
                .deserialize(Topics.ERRORS_CLASSIFIED.name(), value);
        ResolutionEvent entry = decider.decide(classified);
        return Record.of(entry.getGroupId(), entry);
    }
}
