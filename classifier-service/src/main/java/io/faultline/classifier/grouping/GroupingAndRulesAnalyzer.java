package io.faultline.classifier.grouping;

import io.faultline.classifier.classification.ClassificationInput;
import io.faultline.classifier.classification.ClassificationResult;
import io.faultline.classifier.classification.EventClassifier;
import io.faultline.classifier.grouping.fingerprint.Fingerprinter;
import io.faultline.classifier.grouping.fingerprint.GroupingResult;
import io.faultline.classifier.streams.EventAnalyzer;
import io.faultline.schemas.ClassifiedError;
import io.faultline.schemas.ErrorEvent;
import java.time.Clock;

/**
 * The production analyzer: fingerprinting strategies (with the task's template miner) decide the
 * group, then the classification rules label the event, each decision naming its rule.
 */
public final class GroupingAndRulesAnalyzer implements EventAnalyzer {

    private final Fingerprinter fingerprinter;
    private final EventClassifier classifier;
    private final Clock clock;

    public GroupingAndRulesAnalyzer(Fingerprinter fingerprinter, EventClassifier classifier, Clock clock) {
        this.fingerprinter = fingerprinter;
        this.classifier = classifier;
        this.clock = clock;
    }

    @Override
    public ClassifiedError analyze(ErrorEvent event) {
        GroupingResult grouping = fingerprinter.group(event);
        ClassificationResult classification =
                classifier.classify(ClassificationInput.from(event, grouping.groupId(), grouping.template()));
        return ClassifiedError.newBuilder()
                .setEvent(event)
                .setGroupId(grouping.groupId())
                .setGrouping(grouping.toGroupingInfo())
                .setClassification(classification.toAvro())
                .setClassifiedAt(clock.instant())
                .build();
    }
}
