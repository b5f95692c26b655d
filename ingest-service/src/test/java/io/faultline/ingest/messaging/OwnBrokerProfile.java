package io.faultline.ingest.messaging;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;

/** Runs the ingest against a broker of its own, which the test may stop and restart. */
public class OwnBrokerProfile implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(RestartableKafkaResource.class));
    }

    @Override
    public boolean disableGlobalTestResources() {
        return true; // the shared broker of the other test classes is not this test's to stop
    }
}
