package io.faultline.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.faultline.devstack.launcher.Secrets;
import io.faultline.devstack.launcher.ServiceWiring;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code ./faultline} wires the services a third time, besides docker-compose.yml and the
 * manifests: its one table, devstack's {@link ServiceWiring}, is held to what the services read as
 * {@link ServiceEnvironmentTest} holds those two.
 */
class LauncherWiringTest {

    /** What the services' properties read a static member's name from. */
    private static final String INSTANCE_ID = "FAULTLINE_KAFKA_INSTANCE_ID";

    @Test
    void theLauncherRunsTheServicesComposeAndKubernetesRun() {
        assertThat(Arrays.stream(ServiceWiring.values()).map(ServiceWiring::serviceName))
                .containsExactlyInAnyOrderElementsOf(Overlays.SERVICES);
    }

    @Test
    void everyVariableTheLauncherSetsIsReadAndEveryRequiredOneIsSet() {
        ServiceWiring.Stack stack = stack();
        List<String> problems = new ArrayList<>();
        for (ServiceWiring service : ServiceWiring.values()) {
            problems.addAll(ServiceEnvironmentTest.check(service.serviceName(), service.environment(stack)));
            // a second instance (FAULTLINE_REPLICAS=2) sets nothing the service does not read either
            problems.addAll(ServiceEnvironmentTest.check(service.serviceName(), service.environment(stack, 2)));
        }
        assertThat(problems).isEmpty();
    }

    /**
     * A consumer killed and restarted by the supervisor must get its partitions back at once, not
     * after the dead member's session expired: every consumer group a service shares between its
     * instances (not the dashboard's one-group-per-start feeds) is joined as a static member, under a
     * name each instance keeps across restarts and no two instances share.
     */
    @Test
    void everySharedConsumerGroupIsJoinedAsAStaticMemberNamedPerInstance() {
        ServiceWiring.Stack stack = stack();
        List<String> problems = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (ServiceWiring service : ServiceWiring.values()) {
            Properties properties = ServiceConfiguration.applicationProperties(service.serviceName());
            List<String> sharedGroups = properties.stringPropertyNames().stream()
                    .filter(p -> p.endsWith(".group.id") || p.equals("quarkus.kafka-streams.application-id"))
                    .filter(p -> !properties.getProperty(p).contains("${quarkus.uuid}"))
                    .sorted()
                    .toList();
            for (String group : sharedGroups) {
                String instanceId = group.equals("quarkus.kafka-streams.application-id")
                        ? "kafka-streams.group.instance.id"
                        : group.replaceFirst("\\.group\\.id$", ".group.instance.id");
                if (!("${" + INSTANCE_ID + ":}").equals(properties.getProperty(instanceId))) {
                    problems.add(service.serviceName() + ": " + instanceId + " is " + properties.getProperty(instanceId)
                            + ", not the instance's static member name");
                }
            }
            for (int instance = 1; instance <= 2; instance++) {
                String name = service.environment(stack, instance).get(INSTANCE_ID);
                if (sharedGroups.isEmpty()) {
                    continue;
                }
                if (name == null) {
                    problems.add(service.instanceName(instance) + " is given no " + INSTANCE_ID);
                } else if (!name.equals(service.instanceName(instance)) || !names.add(name)) {
                    // the component's name: the one every restart of this instance is given again
                    problems.add(service.instanceName(instance) + " joins as " + name);
                }
            }
        }
        assertThat(problems).isEmpty();
        // the consumers: impact, resolver and the classifier, two instances each
        assertThat(names).hasSize(6);
    }

    private static ServiceWiring.Stack stack() {
        Map<ServiceWiring, Integer> ports = new EnumMap<>(ServiceWiring.class);
        for (ServiceWiring service : ServiceWiring.values()) {
            ports.put(service, service.defaultPort());
        }
        return new ServiceWiring.Stack(
                Path.of("/tmp/faultline"),
                "127.0.0.1",
                19092,
                15432,
                ports,
                new Secrets("1", "key", "token", "admin", "password", "session"));
    }
}
