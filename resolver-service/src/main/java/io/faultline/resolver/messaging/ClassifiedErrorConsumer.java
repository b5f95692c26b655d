package io.faultline.resolver.messaging;

import io.faultline.resolver.engine.ResolutionEngine;
import io.faultline.schemas.ClassifiedError;
import io.faultline.schemas.topics.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Transport for the resolver: classified errors in. The value arrives as bytes and is decoded
 * here, so an undecodable record is nacked and lands, bytes intact, on the dead-letter topic with
 * the failure reason (SmallRye's dead-letter-queue strategy). The record is acknowledged only
 * once the engine's decision is durable (attempt claimed, audit entry acknowledged).
 */
@ApplicationScoped
public class ClassifiedErrorConsumer {

    private final ResolutionEngine engine;

    public ClassifiedErrorConsumer(ResolutionEngine engine) {
        this.engine = engine;
    }

    @Incoming("faultline.errors.classified.v1")
    public CompletionStage<Void> onClassified(byte[] value) {
        ClassifiedError classified = Topics.ERRORS_CLASSIFIED
                .valueSerde()
                .deserializer()
                .deserialize(Topics.ERRORS_CLASSIFIED.name(), value);
        return engine.onTrigger(TriggerMapper.fromClassified(classified));
    }
}
