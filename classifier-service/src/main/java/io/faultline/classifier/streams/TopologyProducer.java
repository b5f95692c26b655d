package io.faultline.classifier.streams;

import io.faultline.classifier.grouping.BasicEventAnalyzer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.apache.kafka.streams.Topology;

@ApplicationScoped
public class TopologyProducer {

    @Produces
    public Topology topology() {
        return ClassifierTopology.build(new BasicEventAnalyzer());
    }
}
