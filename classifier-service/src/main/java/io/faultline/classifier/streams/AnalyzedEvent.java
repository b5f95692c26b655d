package io.faultline.classifier.streams;

import io.faultline.schemas.ClassifiedError;

/**
 * A classified error and the bytes its event arrived as, so the classified record can be written
 * around those bytes instead of encoding the event again ({@link ClassifiedErrorSerializer});
 * {@code null} bytes when they are not exactly one current-schema event ({@link
 * io.faultline.schemas.serde.AvroSerde#decodeWhole}), and the event is encoded whole. Lives only inside one sub-topology, never
 * serialized as such.
 */
record AnalyzedEvent(ClassifiedError classified, byte[] eventBytes) {}
