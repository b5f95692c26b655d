package io.faultline.classifier.streams;

import io.faultline.schemas.ClassifiedError;
import io.faultline.schemas.ErrorGroup;
import io.faultline.schemas.Signal;
import java.util.List;

/**
 * Everything one event changed: itself classified (with the bytes it arrived as), its group's new
 * state, the signals it raised (usually none), and the groups it merged into its own (their
 * template was merged into its group's; usually none).
 */
record GroupUpdate(AnalyzedEvent analyzed, ErrorGroup group, List<Signal> signals, List<String> mergedGroupIds) {

    ClassifiedError classified() {
        return analyzed.classified();
    }
}
