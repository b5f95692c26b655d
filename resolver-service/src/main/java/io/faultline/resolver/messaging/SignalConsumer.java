package io.faultline.resolver.messaging;

import io.faultline.resolver.engine.ResolutionEngine;
import io.faultline.resolver.runbook.Trigger;
import io.faultline.schemas.Signal;
import io.faultline.schemas.topics.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Detector signals in (spikes, regressions, SLO burn), for runbooks that name signal types;
 * settled as {@link ClassifiedErrorConsumer} settles classified errors.
 */
@ApplicationScoped
public class SignalConsumer {

    private final ResolutionEngine engine;
    private final TriggerCommits commits;

    public SignalConsumer(ResolutionEngine engine, TriggerCommits commits) {
        this.engine = engine;
        this.commits = commits;
    }

    @Incoming("faultline.signals.v1")
    public CompletionStage<Void> onSignal(Message<byte[]> message) {
        Trigger trigger;
        try {
            Signal signal =
                    Topics.SIGNALS.valueSerde().deserializer().deserialize(Topics.SIGNALS.name(), message.getPayload());
            trigger = TriggerMapper.fromSignal(signal);
        } catch (RuntimeException e) {
            return message.nack(e);
        }
        return commits.settle(message, engine.admit(trigger));
    }
}
