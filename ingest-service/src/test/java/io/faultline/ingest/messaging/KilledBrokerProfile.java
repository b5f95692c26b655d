package io.faultline.ingest.messaging;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;

/** Runs the ingest against a broker in a JVM of its own, which the test kills with SIGKILL. */
public class KilledBrokerProfile implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(KilledBrokerResource.class));
    }

    @Override
    public boolean disableGlobalTestResources() {
        return true;
    }
}
