package io.faultline.resolver.messaging;

import io.faultline.resolver.engine.ResolutionEngine;
import io.faultline.schemas.Signal;
import io.faultline.schemas.topics.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Detector signals in (spikes, regressions, SLO burn), for runbooks that name signal types. */
@ApplicationScoped
public class SignalConsumer {

    private final ResolutionEngine engine;

    public SignalConsumer(ResolutionEngine engine) {
        this.engine = engine;
    }

    @Incoming("faultline.signals.v1")
    public CompletionStage<Void> onSignal(byte[] value) {
        Signal signal = Topics.SIGNALS.valueSerde().deserializer().deserialize(Topics.SIGNALS.name(), value);
        return engine.onTrigger(TriggerMapper.fromSignal(signal));
    }
}
