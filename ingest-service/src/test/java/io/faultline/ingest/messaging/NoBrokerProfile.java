package io.faultline.ingest.messaging;

import io.faultline.devstack.FreePorts;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * Runs the ingest with no broker at all: a fresh stack whose Kafka is down, so the producers never
 * learn the topics' metadata and every write waits for it.
 */
public class NoBrokerProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        // a port nothing listens on: every connection is refused at once
        return Map.of("kafka.bootstrap.servers", "127.0.0.1:" + FreePorts.next());
    }

    @Override
    public boolean disableGlobalTestResources() {
        return true;
    }
}
