package io.faultline.classifier.streams;

import io.faultline.classifier.rates.RateDimension;
import io.faultline.classifier.rates.RateWindow;
import io.faultline.schemas.ClassifiedError;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Counts errors in tumbling event-time windows per group, project and workflow scope, in the task
 * that analysed them (everything of a project is in one task, so no repartition is needed). Same
 * rule as a DSL windowed count: a record whose window ended more than the grace period before the
 * latest event time this processor has seen is not counted. The stores are cached, so a burst of
 * one group's errors costs one changelog record per window and commit, not one per error.
 */
final class ErrorRateProcessor implements FixedKeyProcessor<String, ClassifiedError, Void> {

    private record Counter(RateDimension dimension, long sizeMs, LatestWindowCounts counts) {}

    private final long graceMs;
    private final List<Counter> counters = new ArrayList<>();
    private long observedTimeMs = Long.MIN_VALUE;

    ErrorRateProcessor(long graceMs) {
        this.graceMs = graceMs;
    }

    static String[] storeNames() {
        List<String> names = new ArrayList<>();
        for (RateDimension dimension : RateDimension.values()) {
            for (RateWindow window : RateWindow.values()) {
                names.add(dimension.storeName(window));
            }
        }
        return names.toArray(String[]::new);
    }

    @Override
    public void init(FixedKeyProcessorContext<String, Void> context) {
        // a task that failed is revived with the same processor: init runs again, and counters
        // kept from before would count every later event twice, and cache aborted counts
        counters.clear();
        observedTimeMs = Long.MIN_VALUE;
        for (RateDimension dimension : RateDimension.values()) {
            for (RateWindow window : RateWindow.values()) {
                WindowStore<String, Long> store = context.getStateStore(dimension.storeName(window));
                counters.add(new Counter(dimension, window.size().toMillis(), new LatestWindowCounts(store)));
            }
        }
    }

    @Override
    public void process(FixedKeyRecord<String, ClassifiedError> record) {
        long at = record.timestamp();
        observedTimeMs = Math.max(observedTimeMs, at);
        ClassifiedError error = record.value();
        String project = error.getEvent().getProjectId();
        String workflow = error.getClassification().getWorkflow();
        for (Counter counter : counters) {
            String key =
                    switch (counter.dimension()) {
                        case GROUP -> record.key();
                        case PROJECT -> project;
                        case WORKFLOW -> workflow == null || workflow.isBlank() ? null : Scopes.of(project, workflow);
                    };
            long windowStart = Math.floorDiv(at, counter.sizeMs()) * counter.sizeMs();
            if (key == null || windowStart + counter.sizeMs() + graceMs <= observedTimeMs) {
                continue;
            }
            counter.counts().increment(key, windowStart);
        }
    }
}
