package io.faultline.classifier.streams;

import io.faultline.schemas.ResolutionEvent;
import io.faultline.schemas.serde.AvroSerde;
import io.faultline.schemas.serde.SchemaDecodeException;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.jboss.logging.Logger;

/**
 * Decodes an entry of the resolution audit trail and keys it by its project, so it can travel to
 * the task that holds its group's state. Only entries that can change a group's status go on. An
 * entry that does not decode is skipped with a warning: the impact-service, which reads the same
 * trail, dead-letters it, and dead-lettering it twice would only add noise.
 */
final class ResolutionDecodeProcessor implements Processor<String, byte[], String, ResolutionEvent> {

    private static final Logger LOG = Logger.getLogger(ResolutionDecodeProcessor.class);

    private final AvroSerde<ResolutionEvent> serde;
    private ProcessorContext<String, ResolutionEvent> context;

    ResolutionDecodeProcessor(AvroSerde<ResolutionEvent> serde) {
        this.serde = serde;
    }

    @Override
    public void init(ProcessorContext<String, ResolutionEvent> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, byte[]> record) {
        ResolutionEvent entry;
        try {
            entry = serde.decode(record.value());
        } catch (SchemaDecodeException e) {
            LOG.warnf("undecodable resolution entry skipped (key %s): %s", record.key(), e.getMessage());
            return;
        }
        if (entry == null
                || GroupStatusProcessor.statusAfter(entry).isEmpty() && !GroupStatusProcessor.isRelabel(entry)) {
            return;
        }
        context.forward(record.withKey(entry.getProjectId()).withValue(entry));
    }
}
