package io.faultline.classifier.streams;

import io.faultline.schemas.ClassifiedError;
import io.faultline.schemas.ErrorGroup;
import io.faultline.schemas.Signal;

/** Everything one event changed: itself classified, its group's new state, and a signal if any. */
record GroupUpdate(ClassifiedError classified, ErrorGroup group, Signal signal) {}
