package io.faultline.classifier.streams;

import io.faultline.schemas.ClassifiedError;
import java.util.List;

/**
 * A classified error and the bytes its event arrived as, so the classified record can be written
 * around those bytes instead of encoding the event again ({@link ClassifiedErrorSerializer});
 * {@code null} bytes when they are not exactly one current-schema event ({@link
 * io.faultline.schemas.serde.AvroSerde#decodeWhole}), and the event is encoded whole. With it, the
 * template merges the miner made while analysing it (usually none). Lives only inside one
 * sub-topology, never serialized as such.
 */
record AnalyzedEvent(
        ClassifiedError classified, byte[] eventBytes, List<MergeRecordingTemplateStore.TemplateMerge> templateMerges) {

    AnalyzedEvent(ClassifiedError classified, byte[] eventBytes) {
        this(classified, eventBytes, List.of());
    }
}
