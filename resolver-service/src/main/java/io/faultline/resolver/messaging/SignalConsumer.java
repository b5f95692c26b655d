package io.faultline.resolver.messaging;

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

    private final TriggerCommits commits;

    public SignalConsumer(TriggerCommits commits) {
        this.commits = commits;
    }

    @Incoming("faultline.signals.v1")
    public CompletionStage<Void> onSignal(Message<byte[]> message) {
        return commits.settle(
                message,
                bytes -> TriggerMapper.fromSignal(
                        Topics.SIGNALS.valueSerde().deserializer().deserialize(Topics.SIGNALS.name(), bytes)));
    }
}
