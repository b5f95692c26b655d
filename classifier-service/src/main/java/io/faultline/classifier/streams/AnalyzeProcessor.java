package io.faultline.classifier.streams;

import io.faultline.classifier.grouping.template.KeyValueTemplateStore;
import io.faultline.schemas.ClassifiedError;
import io.faultline.schemas.ErrorEvent;
import io.faultline.schemas.serde.AvroSerde;
import io.faultline.schemas.serde.SchemaDecodeException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.jboss.logging.Logger;

/**
 * Groups and classifies events of the projects this task owns, learning message templates into the
 * task's template store, and re-keys each by group id. An event the analyzer fails on is
 * dead-lettered (re-encoded) with the reason, and the stream goes on.
 */
final class AnalyzeProcessor implements Processor<String, byte[], String, Routed<AnalyzedEvent>> {

    private static final Logger LOG = Logger.getLogger(AnalyzeProcessor.class);

    private final EventAnalyzer.Factory factory;
    private final String templateStoreName;
    private final AvroSerde<ErrorEvent> serde;
    private ProcessorContext<String, Routed<AnalyzedEvent>> context;
    private EventAnalyzer analyzer;
    private MergeRecordingTemplateStore templates;

    AnalyzeProcessor(EventAnalyzer.Factory factory, String templateStoreName, AvroSerde<ErrorEvent> serde) {
        this.factory = factory;
        this.templateStoreName = templateStoreName;
        this.serde = serde;
    }

    @Override
    public void init(ProcessorContext<String, Routed<AnalyzedEvent>> context) {
        this.context = context;
        KeyValueStore<String, byte[]> store = context.getStateStore(templateStoreName);
        this.templates = new MergeRecordingTemplateStore(new KeyValueTemplateStore(store));
        this.analyzer = factory.create(templates);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        AvroSerde.Decoded<ErrorEvent> decoded;
        try {
            decoded = serde.decodeWhole(record.value());
        } catch (SchemaDecodeException e) {
            // the decode stage read only the project id; a body corrupt past it fails here
            reject(record, DecodeProcessor.reason(e));
            return;
        }
        ClassifiedError classified;
        try {
            classified = analyzer.analyze(decoded.value());
        } catch (RuntimeException e) {
            templates.drain(); // the groups of a merge made here stay apart; the miner's aliases hold
            LOG.warnf(e, "event with key %s could not be analysed; dead-lettered", record.key());
            reject(record, "analyze: " + e);
            return;
        }
        context.forward(record.withKey(classified.getGroupId())
                .withValue(Routed.ok(new AnalyzedEvent(
                        classified, decoded.wholeCurrentBytes() ? record.value() : null, templates.drain()))));
    }

    private void reject(Record<String, byte[]> record, String reason) {
        Headers headers = DeadLetters.mark(record.headers(), reason);
        context.forward(record.withValue(Routed.<AnalyzedEvent>rejected(DeadLetters.fit(record.value(), headers)))
                .withHeaders(headers));
    }
}
