package io.faultline.dashboard.health;

import io.faultline.dashboard.client.ImpactClient;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MultivaluedHashMap;
import java.time.Duration;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/** The dashboard answers nothing useful without the impact-service behind it. */
@Readiness
@ApplicationScoped
public class ImpactReadinessCheck implements AsyncHealthCheck {

    private final ImpactClient impact;

    public ImpactReadinessCheck(@RestClient ImpactClient impact) {
        this.impact = impact;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return impact.overview(new MultivaluedHashMap<>(Map.of("limit", "1")))
                .ifNoItem()
                .after(Duration.ofSeconds(3))
                .fail()
                .map(ignored -> HealthCheckResponse.up("impact-service"))
                .onFailure()
                .recoverWithItem(e -> HealthCheckResponse.named("impact-service")
                        .down()
                        .withData("error", String.valueOf(e.getMessage()))
                        .build());
    }
}
