package io.faultline.classifier.streams;

import io.faultline.classifier.classification.ClassificationRules;
import io.faultline.schemas.TrafficSample;
import io.faultline.schemas.serde.AvroSerde;
import io.faultline.schemas.serde.SchemaDecodeException;
import io.faultline.schemas.topics.Topics;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Decodes a traffic sample, keys it by the scope it measures and stamps it with the end of its
 * window: a sample is complete only when its window is over, so that is its event time. Bytes
 * that do not decode go to the traffic dead-letter branch untouched.
 */
final class TrafficDecodeProcessor implements Processor<String, byte[], String, Routed<TrafficSample>> {

    private final AvroSerde<TrafficSample> serde;
    private ProcessorContext<String, Routed<TrafficSample>> context;

    TrafficDecodeProcessor(AvroSerde<TrafficSample> serde) {
        this.serde = serde;
    }

    @Override
    public void init(ProcessorContext<String, Routed<TrafficSample>> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, byte[]> record) {
        try {
            TrafficSample sample = serde.decode(record.value());
            if (sample == null) {
                reject(record, "empty value");
                return;
            }
            if (sample.getRequests() < 0) {
                reject(record, "invalid: negative requests " + sample.getRequests());
                return;
            }
            // the workflow as errors name it, so a sample's requests and the workflow's errors meet
            context.forward(record.withKey(
                            Scopes.of(sample.getProjectId(), ClassificationRules.workflowName(sample.getWorkflow())))
                    .withValue(Routed.ok(sample))
                    .withTimestamp(sample.getWindowEnd().toEpochMilli()));
        } catch (SchemaDecodeException e) {
            reject(record, "decode:" + e.reason() + ": " + e.getMessage());
        }
    }

    private void reject(Record<String, byte[]> record, String reason) {
        context.forward(record.withValue(Routed.<TrafficSample>rejected(record.value()))
                .withHeaders(DeadLetters.mark(record.headers(), reason, Topics.TRAFFIC.name())));
    }
}
