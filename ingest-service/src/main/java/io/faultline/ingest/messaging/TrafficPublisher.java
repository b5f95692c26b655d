package io.faultline.ingest.messaging;

import io.faultline.schemas.TrafficSample;
import io.faultline.schemas.topics.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.RecordMetadata;

/** Writes traffic samples to {@code faultline.traffic.v1}, keyed project/workflow, acks=all. */
@ApplicationScoped
public class TrafficPublisher {

    private final RawEventPublisher producer;

    public TrafficPublisher(RawEventPublisher producer) {
        this.producer = producer;
    }

    /** @param sends the request's sends, which share one wait for the broker */
    public CompletableFuture<RecordMetadata> publish(TrafficSample sample, RawEventPublisher.Sends sends) {
        String scope = sample.getWorkflow() != null ? sample.getWorkflow() : sample.getTransaction();
        String key = sample.getProjectId() + "/" + (scope == null ? "" : scope);
        byte[] value = Topics.TRAFFIC.valueSerde().serializer().serialize(Topics.TRAFFIC.name(), sample);
        return producer.send(Topics.TRAFFIC.name(), key, value, sends);
    }
}
