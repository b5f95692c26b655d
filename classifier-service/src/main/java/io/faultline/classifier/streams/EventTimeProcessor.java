package io.faultline.classifier.streams;

import io.faultline.schemas.ClassifiedError;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * Restamps a classified error with the time the error happened. The detectors' windows are in
 * event time; the raw record's timestamp is when the SDK's envelope was produced, which for a
 * buffered or retried envelope can be minutes later. A time the sender's clock made implausible
 * (ahead of the record, or older than 30 days: {@link EventTimes}) is replaced by the record's own,
 * as the intake does; the event keeps the time it was sent with.
 */
final class EventTimeProcessor implements FixedKeyProcessor<String, ClassifiedError, ClassifiedError> {

    private FixedKeyProcessorContext<String, ClassifiedError> context;

    @Override
    public void init(FixedKeyProcessorContext<String, ClassifiedError> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, ClassifiedError> record) {
        context.forward(record.withTimestamp(
                EventTimes.eventTime(record.value().getEvent().getTimestamp().toEpochMilli(), record.timestamp())));
    }
}
