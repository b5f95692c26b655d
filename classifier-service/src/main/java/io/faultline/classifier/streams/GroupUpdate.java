package io.faultline.classifier.streams;

import io.faultline.schemas.ClassifiedError;
import io.faultline.schemas.ErrorGroup;
import io.faultline.schemas.Signal;

/**
 * Everything one event changed: itself classified (with the bytes it arrived as), its group's new
 * state, and a signal if any.
 */
record GroupUpdate(AnalyzedEvent analyzed, ErrorGroup group, Signal signal) {

    ClassifiedError classified() {
        return analyzed.classified();
    }
}
