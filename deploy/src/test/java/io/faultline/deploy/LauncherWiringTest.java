package io.faultline.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.faultline.devstack.launcher.Secrets;
import io.faultline.devstack.launcher.ServiceWiring;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code ./faultline} wires the services a third time, besides docker-compose.yml and the
 * manifests: its one table, devstack's {@link ServiceWiring}, is held to what the services read as
 * {@link ServiceEnvironmentTest} holds those two.
 */
class LauncherWiringTest {

    @Test
    void theLauncherRunsTheServicesComposeAndKubernetesRun() {
        assertThat(Arrays.stream(ServiceWiring.values()).map(ServiceWiring::serviceName))
                .containsExactlyInAnyOrderElementsOf(Overlays.SERVICES);
    }

    @Test
    void everyVariableTheLauncherSetsIsReadAndEveryRequiredOneIsSet() {
        Map<ServiceWiring, Integer> ports = new EnumMap<>(ServiceWiring.class);
        for (ServiceWiring service : ServiceWiring.values()) {
            ports.put(service, service.defaultPort());
        }
        ServiceWiring.Stack stack = new ServiceWiring.Stack(
                Path.of("/tmp/faultline"),
                "127.0.0.1",
                19092,
                15432,
                ports,
                new Secrets("1", "key", "token", "admin", "password", "session"));
        List<String> problems = new ArrayList<>();
        for (ServiceWiring service : ServiceWiring.values()) {
            problems.addAll(ServiceEnvironmentTest.check(service.serviceName(), service.environment(stack)));
            // a second instance (FAULTLINE_REPLICAS=2) sets nothing the service does not read either
            problems.addAll(ServiceEnvironmentTest.check(service.serviceName(), service.environment(stack, 2)));
        }
        assertThat(problems).isEmpty();
    }
}
