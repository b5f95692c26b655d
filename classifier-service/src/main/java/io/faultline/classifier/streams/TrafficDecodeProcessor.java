package io.faultline.classifier.streams;

import io.faultline.classifier.classification.ClassificationRules;
import io.faultline.schemas.TrafficSample;
import io.faultline.schemas.serde.AvroSerde;
import io.faultline.schemas.serde.SchemaDecodeException;
import io.faultline.schemas.topics.Topics;
import java.time.Instant;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Decodes a traffic sample, keys it by the scope it measures and stamps it with the end of its
 * window: a sample is complete only when its window is over, so that is its event time. Bytes
 * that do not decode go to the traffic dead-letter branch untouched, and so does a sample whose
 * window ends where no sample can ({@link EventTimes}: before 1970, more than a minute after it was
 * written, more than 30 days before): its requests belong to no window the detectors keep, and its
 * time as a record's would be refused by the broker.
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
            long windowEnd = sample.getWindowEnd().toEpochMilli();
            if (!EventTimes.plausible(windowEnd, record.timestamp())) {
                reject(
                        record,
                        "invalid: windowEnd " + sample.getWindowEnd() + " is not within "
                                + EventTimes.MAX_AHEAD_MS / 1000 + " s after or "
                                + EventTimes.MAX_AGE_MS / 86_400_000 + " days before the sample was written ("
                                + Instant.ofEpochMilli(record.timestamp()) + ")");
                return;
            }
            // the workflow as errors name it, so a sample's requests and the workflow's errors meet
            context.forward(record.withKey(
                            Scopes.of(sample.getProjectId(), ClassificationRules.workflowName(sample.getWorkflow())))
                    .withValue(Routed.ok(sample))
                    .withTimestamp(windowEnd));
        } catch (SchemaDecodeException e) {
            reject(record, "decode:" + e.reason() + ": " + e.getMessage());
        }
    }

    private void reject(Record<String, byte[]> record, String reason) {
        Headers headers = DeadLetters.mark(record.headers(), reason, Topics.TRAFFIC.name());
        context.forward(record.withValue(Routed.<TrafficSample>rejected(DeadLetters.fit(record.value(), headers)))
                .withHeaders(headers));
    }
}
