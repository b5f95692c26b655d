package io.faultline.classifier.streams;

import io.faultline.schemas.ErrorEvent;
import io.faultline.schemas.serde.AvroSerde;
import io.faultline.schemas.serde.SchemaDecodeException;
import io.faultline.schemas.topics.Topics;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Re-keys a raw record by project, the partitioning the template miner needs, and tells whether it
 * already sits on its project's partition (ingest keys raw events by project, so it does unless the
 * topic's partition count or its producer differ) or must take the repartition hop. The record goes
 * on as the bytes it came with: re-encoding the event for the repartition topic would cost more than
 * the analyzer decoding those bytes again. An event of the current schema is not decoded here at
 * all: its project id is read straight from the bytes ({@link EventWireFormat}), and the analyzer
 * dead-letters one whose body turns out corrupt past it, with the same {@code decode:} reason.
 * Anything else is decoded in full (an older schema, resolved to the current one); a record that
 * does not decode goes on, bytes untouched, to the dead-letter branch: poison input never stops
 * the stream.
 */
final class DecodeProcessor implements Processor<String, byte[], String, Routed<PlacedEvent>> {

    private final AvroSerde<ErrorEvent> serde;
    private ProcessorContext<String, Routed<PlacedEvent>> context;

    DecodeProcessor(AvroSerde<ErrorEvent> serde) {
        this.serde = serde;
    }

    @Override
    public void init(ProcessorContext<String, Routed<PlacedEvent>> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, byte[]> record) {
        String projectId = EventWireFormat.projectIdOrNull(record.value());
        if (projectId != null) {
            forward(record, projectId);
            return;
        }
        try {
            ErrorEvent event = serde.decode(record.value());
            if (event == null) {
                reject(record, "empty value");
                return;
            }
            forward(record, event.getProjectId());
        } catch (SchemaDecodeException e) {
            reject(record, reason(e));
        }
    }

    private void forward(Record<String, byte[]> record, String projectId) {
        // the analyzer's task for a project is the one of the project's repartition partition
        boolean inPlace = context.recordMetadata()
                .map(m -> m.partition() == ProjectPartitioner.of(projectId, Topics.PARTITIONS))
                .orElse(false);
        context.forward(record.withKey(projectId).withValue(Routed.ok(new PlacedEvent(record.value(), inPlace))));
    }

    static String reason(SchemaDecodeException e) {
        return "decode:" + e.reason() + ": " + e.getMessage();
    }

    private void reject(Record<String, byte[]> record, String reason) {
        Headers headers = DeadLetters.mark(record.headers(), reason);
        context.forward(record.withValue(Routed.<PlacedEvent>rejected(DeadLetters.fit(record.value(), headers)))
                .withHeaders(headers));
    }
}
