package io.faultline.classifier.streams;

import io.faultline.schemas.ClassifiedError;
import io.faultline.schemas.ErrorEvent;

/**
 * Groups and classifies one event. The topology is agnostic of how; the implementation decides
 * from the event alone (stateless), so that the first stage can run on any partition.
 */
@FunctionalInterface
public interface EventAnalyzer {

    ClassifiedError analyze(ErrorEvent event);
}
