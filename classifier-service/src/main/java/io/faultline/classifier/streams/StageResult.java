package io.faultline.classifier.streams;

import io.faultline.schemas.ClassifiedError;

/**
 * What the first stage made of one raw record: a classified event, or the original bytes to
 * dead-letter. Lives only between two processors of one sub-topology, so it is never serialized.
 */
record StageResult(ClassifiedError classified, byte[] rejected) {

    static StageResult ok(ClassifiedError classified) {
        return new StageResult(classified, null);
    }

    static StageResult rejected(byte[] original) {
        return new StageResult(null, original);
    }

    boolean isRejected() {
        return rejected != null;
    }
}
