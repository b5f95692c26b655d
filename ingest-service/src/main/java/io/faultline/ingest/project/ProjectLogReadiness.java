package io.faultline.ingest.project;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready until every project key written before start is known: otherwise valid keys get 403. */
@Readiness
@ApplicationScoped
public class ProjectLogReadiness implements HealthCheck {

    private final ProjectLog log;

    public ProjectLogReadiness(ProjectLog log) {
        this.log = log;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("project-log").status(log.caughtUp()).build();
    }
}
