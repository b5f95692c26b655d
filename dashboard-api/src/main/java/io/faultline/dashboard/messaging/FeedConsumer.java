package io.faultline.dashboard.messaging;

import io.faultline.dashboard.stream.FeedEvent;
import io.faultline.dashboard.stream.LiveFeed;
import io.faultline.schemas.topics.Topic;
import io.faultline.schemas.topics.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Deserializer;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Tails the three topics a person watching the dashboard cares about and hands each record to
 * the {@link LiveFeed}. Each instance is its own consumer group starting at the latest offset
 * (configuration): the feed shows what happens while you watch, history comes from the
 * impact-service. A record that does not decode is counted and logged, never retried: the feed is
 * a view, and the owning services already dead-letter bad records.
 */
@ApplicationScoped
public class FeedConsumer {

    private static final Logger LOG = Logger.getLogger(FeedConsumer.class);

    private final LiveFeed feed;
    private final MeterRegistry meters;
    private final Deserializer<io.faultline.schemas.ClassifiedError> errors =
            Topics.ERRORS_CLASSIFIED.valueSerde().deserializer();
    private final Deserializer<io.faultline.schemas.Signal> signals =
            Topics.SIGNALS.valueSerde().deserializer();
    private final Deserializer<io.faultline.schemas.ResolutionEvent> resolutions =
            Topics.RESOLUTIONS.valueSerde().deserializer();

    public FeedConsumer(LiveFeed feed, MeterRegistry meters) {
        this.feed = feed;
        this.meters = meters;
    }

    @Incoming("faultline.errors.classified.v1")
    public void onClassifiedError(byte[] value) {
        relay(Topics.ERRORS_CLASSIFIED, errors, FeedEvents::of, value);
    }

    @Incoming("faultline.signals.v1")
    public void onSignal(byte[] value) {
        relay(Topics.SIGNALS, signals, FeedEvents::of, value);
    }

    @Incoming("faultline.resolutions.v1")
    public void onResolution(byte[] value) {
        relay(Topics.RESOLUTIONS, resolutions, FeedEvents::of, value);
    }

    private <T> void relay(
            Topic<?, T> topic, Deserializer<T> deserializer, Function<T, FeedEvent> toFeed, byte[] value) {
        FeedEvent event;
        try {
            event = toFeed.apply(deserializer.deserialize(topic.name(), value));
        } catch (RuntimeException e) {
            meters.counter("faultline.dashboard.feed.undecodable", "topic", topic.name())
                    .increment();
            LOG.warnf("undecodable record on %s skipped: %s", topic.name(), e.getMessage());
            return;
        }
        feed.publish(event);
    }
}
