package io.faultline.ingest.rest;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** An ingest that may buffer 2 MiB for all requests together. */
public class SmallBufferProfile implements QuarkusTestProfile {

    static final long BUDGET = 2 * 1024 * 1024;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("faultline.ingest.max-buffered-bytes", Long.toString(BUDGET));
    }
}
