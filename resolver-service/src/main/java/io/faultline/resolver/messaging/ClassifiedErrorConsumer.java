package io.faultline.resolver.messaging;

import io.faultline.schemas.topics.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Transport for the resolver: classified errors in. The value arrives as bytes and is decoded
 * here, so an undecodable record is nacked and lands, bytes intact, on the dead-letter topic with
 * the failure reason (SmallRye's dead-letter-queue strategy). The record is acknowledged only
 * once the engine's decision is durable (attempt claimed, audit entry acknowledged); one that
 * claimed an attempt is committed before the attempt acts ({@link TriggerCommits}).
 */
@ApplicationScoped
public class ClassifiedErrorConsumer {

    private final TriggerCommits commits;

    public ClassifiedErrorConsumer(TriggerCommits commits) {
        this.commits = commits;
    }

    @Incoming("faultline.errors.classified.v1")
    public CompletionStage<Void> onClassified(Message<byte[]> message) {
        return commits.settle(
                message,
                bytes -> TriggerMapper.fromClassified(Topics.ERRORS_CLASSIFIED
                        .valueSerde()
                        .deserializer()
                        .deserialize(Topics.ERRORS_CLASSIFIED.name(), bytes)));
    }
}
