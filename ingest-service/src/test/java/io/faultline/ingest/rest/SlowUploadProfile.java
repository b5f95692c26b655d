package io.faultline.ingest.rest;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** An ingest whose request bodies get one second, then must keep up 4 KiB/s. */
public class SlowUploadProfile implements QuarkusTestProfile {

    static final long MIN_RATE = 4096;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "faultline.ingest.upload-grace", "1s", "faultline.ingest.min-upload-rate", Long.toString(MIN_RATE));
    }
}
