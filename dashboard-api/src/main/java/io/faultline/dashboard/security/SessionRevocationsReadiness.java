package io.faultline.dashboard.security;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Not ready until every logout written before start is known, nor once they are no longer
 * followed: otherwise a cookie its user logged out of would be accepted here.
 */
@Readiness
@ApplicationScoped
public class SessionRevocationsReadiness implements HealthCheck {

    private final SessionRevocations revocations;

    public SessionRevocationsReadiness(SessionRevocations revocations) {
        this.revocations = revocations;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("session-revocations")
                .status(revocations.ready())
                .build();
    }
}
