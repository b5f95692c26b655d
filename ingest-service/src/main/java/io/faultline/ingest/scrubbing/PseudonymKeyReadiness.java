package io.faultline.ingest.scrubbing;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready until the key for hashing user fields is known: until then every event is refused 503. */
@Readiness
@ApplicationScoped
public class PseudonymKeyReadiness implements HealthCheck {

    private final PseudonymKey key;

    public PseudonymKeyReadiness(PseudonymKey key) {
        this.key = key;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("user-hash-key")
                .status(key.key().isPresent())
                .build();
    }
}
