package io.faultline.classifier.streams;

import io.faultline.classifier.grouping.template.TemplateStore;
import io.faultline.schemas.ClassifiedError;
import io.faultline.schemas.ErrorEvent;

/**
 * Groups and classifies one event. One instance serves one stream task: it may learn message
 * templates into the task's {@link TemplateStore}, which the topology backs with a changelogged
 * state store partitioned by project, so template ids are stable across tasks and restarts.
 */
public interface EventAnalyzer {

    ClassifiedError analyze(ErrorEvent event);

    /** Makes the analyzer of one stream task over that task's template store. */
    @FunctionalInterface
    interface Factory {
        EventAnalyzer create(TemplateStore templates);
    }
}
