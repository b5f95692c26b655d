package io.faultline.classifier.streams;

import io.faultline.schemas.ClassifiedError;
import io.faultline.schemas.ErrorEvent;
import io.faultline.schemas.serde.AvroSerde;
import io.faultline.schemas.serde.SchemaDecodeException;
import io.faultline.schemas.topics.Topics;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Stage one: decodes a raw record, groups and classifies it, and re-keys it by group id. A record
 * that cannot be decoded or analysed goes on, untouched, to the dead-letter branch with the reason
 * in headers — poison input never stops the stream.
 */
final class DecodeAndAnalyzeProcessor implements Processor<String, byte[], String, StageResult> {

    private final AvroSerde<ErrorEvent> serde;
    private final EventAnalyzer analyzer;
    private ProcessorContext<String, StageResult> context;

    DecodeAndAnalyzeProcessor(AvroSerde<ErrorEvent> serde, EventAnalyzer analyzer) {
        this.serde = serde;
        this.analyzer = analyzer;
    }

    @Override
    public void init(ProcessorContext<String, StageResult> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, byte[]> record) {
        ErrorEvent event;
        try {
            event = serde.decode(record.value());
            if (event == null) {
                reject(record, "empty value");
                return;
            }
        } catch (SchemaDecodeException e) {
            reject(record, "decode:" + e.reason() + ": " + e.getMessage());
            return;
        }
        ClassifiedError classified;
        try {
            classified = analyzer.analyze(event);
        } catch (RuntimeException e) {
            reject(record, "analyze: " + e);
            return;
        }
        context.forward(record.withKey(classified.getGroupId()).withValue(StageResult.ok(classified)));
    }

    private void reject(Record<String, byte[]> record, String reason) {
        Headers headers = record.headers();
        headers.add(Topics.DLQ_HEADER_REASON, reason.getBytes(StandardCharsets.UTF_8));
        headers.add(Topics.DLQ_HEADER_SOURCE_TOPIC, Topics.EVENTS_RAW.name().getBytes(StandardCharsets.UTF_8));
        headers.add(Topics.DLQ_HEADER_SERVICE, "classifier-service".getBytes(StandardCharsets.UTF_8));
        context.forward(record.withValue(StageResult.rejected(record.value())).withHeaders(headers));
    }
}
