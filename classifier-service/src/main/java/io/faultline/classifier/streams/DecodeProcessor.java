package io.faultline.classifier.streams;

import io.faultline.schemas.ErrorEvent;
import io.faultline.schemas.serde.AvroSerde;
import io.faultline.schemas.serde.SchemaDecodeException;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Re-keys a raw record by project, the partitioning the template miner needs. The record goes on
 * as the bytes it came with: re-encoding the event for the repartition topic would cost more than
 * the analyzer decoding those bytes again. An event of the current schema is not decoded here at
 * all: its project id is read straight from the bytes ({@link EventWireFormat}), and the analyzer
 * dead-letters one whose body turns out corrupt past it, with the same {@code decode:} reason.
 * Anything else is decoded in full (an older schema, resolved to the current one); a record that
 * does not decode goes on, bytes untouched, to the dead-letter branch: poison input never stops
 * the stream.
 */
final class DecodeProcessor implements Processor<String, byte[], String, Routed<byte[]>> {

    private final AvroSerde<ErrorEvent> serde;
    private ProcessorContext<String, Routed<byte[]>> context;

    DecodeProcessor(AvroSerde<ErrorEvent> serde) {
        this.serde = serde;
    }

    @Override
    public void init(ProcessorContext<String, Routed<byte[]>> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, byte[]> record) {
        String projectId = EventWireFormat.projectIdOrNull(record.value());
        if (projectId != null) {
            context.forward(record.withKey(projectId).withValue(Routed.ok(record.value())));
            return;
        }
        try {
            ErrorEvent event = serde.decode(record.value());
            if (event == null) {
                reject(record, "empty value");
                return;
            }
            context.forward(record.withKey(event.getProjectId()).withValue(Routed.ok(record.value())));
        } catch (SchemaDecodeException e) {
            reject(record, reason(e));
        }
    }

    static String reason(SchemaDecodeException e) {
        return "decode:" + e.reason() + ": " + e.getMessage();
    }

    private void reject(Record<String, byte[]> record, String reason) {
        context.forward(record.withValue(Routed.<byte[]>rejected(record.value()))
                .withHeaders(DeadLetters.mark(record.headers(), reason)));
    }
}
