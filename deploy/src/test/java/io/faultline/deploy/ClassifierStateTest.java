package io.faultline.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Quantity;
import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The classifier's Kafka Streams state lives on an emptyDir: the changelog topics are the durable
 * copy and a standby replica keeps every store warm on a second pod, so losing a pod costs a task
 * move, not a full restore.
 */
class ClassifierStateTest {

    private static final String CLASSIFIER = "classifier-service";
    private static final Path APPLICATION_PROPERTIES =
            Overlays.REPOSITORY.resolve("classifier-service/src/main/resources/application.properties");

    static List<String> overlays() {
        return Overlays.names();
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void theStateDirectoryIsASizedEmptyDirTheSchedulerReservesDiskFor(String overlay) {
        Map<String, Object> workload = Overlays.render(overlay).workload(CLASSIFIER);
        Map<String, Object> container = Workloads.mainContainer(workload);
        String stateDir = ManifestReferencesTest.env(container).get("KAFKA_STREAMS_STATE_DIR");

        String volumeName = Tree.maps(container, "volumeMounts").stream()
                .filter(m -> stateDir.equals(m.get("mountPath")))
                .map(m -> Tree.text(m, "name"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("nothing is mounted at " + stateDir));
        Map<String, Object> volume = Tree.maps(Workloads.podSpec(workload), "volumes").stream()
                .filter(v -> volumeName.equals(v.get("name")))
                .findFirst()
                .orElseThrow();
        String sizeLimit = Tree.text(volume, "emptyDir", "sizeLimit");
        assertThat(sizeLimit).as("sizeLimit of the state emptyDir").isNotNull();

        // without the request, a pod lands on a node whose disk cannot hold its stores and is evicted later
        String request = Tree.text(container, "resources", "requests", "ephemeral-storage");
        assertThat(request).as("ephemeral-storage request").isNotNull();
        assertThat(bytes(request)).isGreaterThanOrEqualTo(bytes(sizeLimit));
    }

    @Test
    void prodGivesTheStateMoreRoomThanTheBase() {
        assertThat(bytes(stateSizeLimit("prod"))).isGreaterThan(bytes("10Gi"));
        assertThat(bytes(stateSizeLimit("dev"))).isLessThanOrEqualTo(bytes("10Gi"));
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void storesHaveAStandbyAndReplicatedChangelogs(String overlay) {
        Map<String, String> env = ManifestReferencesTest.env(
                Workloads.mainContainer(Overlays.render(overlay).workload(CLASSIFIER)));

        assertThat(Integer.parseInt(env.get("KAFKA_STREAMS_NUM_STANDBY_REPLICAS")))
                .isGreaterThanOrEqualTo(1);
        // -1: the brokers' default.replication.factor, 3 in prod and 1 on the single dev broker
        assertThat(env.get("KAFKA_STREAMS_REPLICATION_FACTOR")).isEqualTo("-1");
    }

    /**
     * Quarkus hands Kafka Streams only the {@code kafka-streams.*} properties it knows by name; an
     * environment variable for one that application.properties does not declare is silently dropped.
     */
    @ParameterizedTest
    @MethodSource("overlays")
    void everyKafkaStreamsVariableOverridesADeclaredProperty(String overlay) throws IOException {
        Properties declared = new Properties();
        try (Reader reader = Files.newBufferedReader(APPLICATION_PROPERTIES)) {
            declared.load(reader);
        }
        Map<String, String> env = ManifestReferencesTest.env(
                Workloads.mainContainer(Overlays.render(overlay).workload(CLASSIFIER)));

        List<String> variables = env.keySet().stream()
                .filter(k -> k.startsWith("KAFKA_STREAMS_"))
                .toList();
        assertThat(variables).isNotEmpty();
        for (String variable : variables) {
            String property = "kafka-streams."
                    + variable.substring("KAFKA_STREAMS_".length())
                            .toLowerCase(Locale.ROOT)
                            .replace('_', '.');
            assertThat(declared).as(variable).containsKey(property);
        }
    }

    private static String stateSizeLimit(String overlay) {
        Map<String, Object> workload = Overlays.render(overlay).workload(CLASSIFIER);
        return Tree.maps(Workloads.podSpec(workload), "volumes").stream()
                .filter(v -> "streams-state".equals(v.get("name")))
                .map(v -> Tree.text(v, "emptyDir", "sizeLimit"))
                .findFirst()
                .orElseThrow(() -> new AssertionError(overlay + ": no streams-state volume"));
    }

    private static BigDecimal bytes(String quantity) {
        return Quantity.getAmountInBytes(new Quantity(quantity));
    }
}
