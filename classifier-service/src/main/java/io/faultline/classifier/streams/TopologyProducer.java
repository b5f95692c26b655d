package io.faultline.classifier.streams;

import io.faultline.classifier.classification.ClassificationRules;
import io.faultline.classifier.classification.EventClassifier;
import io.faultline.classifier.classification.GroupLabelOverrides;
import io.faultline.classifier.classification.InMemoryGroupLabelOverrides;
import io.faultline.classifier.config.ClassifierConfig;
import io.faultline.classifier.grouping.GroupingAndRulesAnalyzer;
import io.faultline.classifier.grouping.fingerprint.FingerprintRules;
import io.faultline.classifier.grouping.fingerprint.Fingerprinter;
import io.faultline.classifier.grouping.template.TemplateMiner;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;
import org.apache.kafka.streams.Topology;

@ApplicationScoped
public class TopologyProducer {

    @Produces
    public Topology topology(ClassifierConfig config) {
        // rule files are read once at start: a broken file fails start-up with the rule and field named
        ClassificationRules rules = config.classification()
                .rulesFile()
                .map(ClassificationRules::load)
                .orElseGet(ClassificationRules::loadDefault);
        FingerprintRules fingerprintRules =
                config.grouping().rulesFile().map(FingerprintRules::load).orElseGet(FingerprintRules::none);
        GroupLabelOverrides overrides = new InMemoryGroupLabelOverrides();
        return ClassifierTopology.build(
                templates -> new GroupingAndRulesAnalyzer(
                        new Fingerprinter(new TemplateMiner(templates), fingerprintRules),
                        new EventClassifier(rules, overrides),
                        Clock.systemUTC()),
                config.detection().settings(),
                overrides);
    }

    void closeDeadLetters(@Observes ShutdownEvent event) {
        DeadLetterProducer.closeAll();
    }
}
