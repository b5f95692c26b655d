package io.faultline.devstack.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LauncherSettingsTest {

    private static final Path ROOT = Path.of("/repo");
    private static final Path CWD = Path.of("/work/here");

    @Test
    void theDefaultsAreTheOnesTheScriptDocuments() {
        LauncherSettings s = LauncherSettings.from(ROOT, CWD, Map.of());

        assertThat(s.home()).isEqualTo(Path.of("/work/here/.faultline"));
        assertThat(s.bind()).isEqualTo("127.0.0.1");
        assertThat(s.kafkaPort()).isEqualTo(19092);
        assertThat(s.kafkaControllerPort()).isEqualTo(19093);
        assertThat(s.postgresPort()).isEqualTo(15432);
        assertThat(s.demoPort()).isEqualTo(8090);
        assertThat(s.javaOpts()).containsExactly("-Xmx384m");
        assertThat(s.devstackJavaOpts()).containsExactly("-XX:TieredStopAtLevel=1");
        assertThat(s.services()).containsExactly(ServiceWiring.values());
        assertThat(s.port(ServiceWiring.DASHBOARD)).isEqualTo(8080);
        assertThat(s.port(ServiceWiring.INGEST)).isEqualTo(8081);
        assertThat(s.port(ServiceWiring.CLASSIFIER)).isEqualTo(8082);
        assertThat(s.port(ServiceWiring.RESOLVER)).isEqualTo(8083);
        assertThat(s.port(ServiceWiring.IMPACT)).isEqualTo(8084);
    }

    @Test
    void theEnvironmentMovesEachPortAndNarrowsTheServices() {
        LauncherSettings s = LauncherSettings.from(
                ROOT,
                CWD,
                Map.of(
                        "FAULTLINE_INGEST_PORT", "18081",
                        "FAULTLINE_POSTGRES_PORT", "25432",
                        "FAULTLINE_SERVICES", "classifier-service  ingest-service",
                        "FAULTLINE_JAVA_OPTS", "-Xmx1g -XX:+UseG1GC"));

        assertThat(s.port(ServiceWiring.INGEST)).isEqualTo(18081);
        assertThat(s.postgresPort()).isEqualTo(25432);
        assertThat(s.services()).containsExactly(ServiceWiring.CLASSIFIER, ServiceWiring.INGEST);
        assertThat(s.javaOpts()).containsExactly("-Xmx1g", "-XX:+UseG1GC");
    }

    /** The benchmarks run the broker with the full JIT by setting the variable empty. */
    @Test
    void replicasRunFurtherInstancesAHundredPortsApart() {
        assertThat(LauncherSettings.from(ROOT, CWD, Map.of()).replicas()).isEqualTo(1);
        LauncherSettings s =
                LauncherSettings.from(ROOT, CWD, Map.of("FAULTLINE_REPLICAS", "2", "FAULTLINE_INGEST_PORT", "38081"));
        assertThat(s.replicas()).isEqualTo(2);
        assertThat(s.port(ServiceWiring.INGEST, 1)).isEqualTo(38081);
        assertThat(s.port(ServiceWiring.INGEST, 2)).isEqualTo(38181);
        assertThat(s.url(ServiceWiring.DASHBOARD, 2)).isEqualTo("http://127.0.0.1:8180");
        assertThat(s.withReplicas(3).replicas()).isEqualTo(3);
        assertThatThrownBy(() -> LauncherSettings.from(ROOT, CWD, Map.of("FAULTLINE_REPLICAS", "two")))
                .isInstanceOf(LauncherException.class)
                .hasMessageContaining("FAULTLINE_REPLICAS=two");
        assertThatThrownBy(() -> LauncherSettings.from(ROOT, CWD, Map.of("FAULTLINE_REPLICAS", "0")))
                .isInstanceOf(LauncherException.class);
    }

    @Test
    void anEmptyDevstackJavaOptsMeansNoneButAnEmptyPortMeansTheDefault() {
        LauncherSettings s = LauncherSettings.from(
                ROOT, CWD, Map.of("FAULTLINE_DEVSTACK_JAVA_OPTS", "", "FAULTLINE_KAFKA_PORT", ""));
        assertThat(s.devstackJavaOpts()).isEmpty();
        assertThat(s.kafkaPort()).isEqualTo(19092);
    }

    @Test
    void aRelativeHomeIsTakenFromTheWorkingDirectoryAsGiven() {
        assertThat(LauncherSettings.from(ROOT, CWD, Map.of("FAULTLINE_HOME", "stacks/a"))
                        .home())
                .isEqualTo(Path.of("/work/here/stacks/a"));
        assertThat(LauncherSettings.from(ROOT, CWD, Map.of("FAULTLINE_HOME", "/tmp/fl"))
                        .home())
                .isEqualTo(Path.of("/tmp/fl"));
    }

    @Test
    void aBadPortOrServiceNameIsRefusedByName() {
        assertThatThrownBy(() -> LauncherSettings.from(ROOT, CWD, Map.of("FAULTLINE_IMPACT_PORT", "80a")))
                .isInstanceOf(LauncherException.class)
                .hasMessage("FAULTLINE_IMPACT_PORT=80a is not a port (1-65535)");
        assertThatThrownBy(() -> LauncherSettings.from(ROOT, CWD, Map.of("FAULTLINE_KAFKA_PORT", "70000")))
                .hasMessageContaining("FAULTLINE_KAFKA_PORT");
        assertThatThrownBy(() -> LauncherSettings.from(ROOT, CWD, Map.of("FAULTLINE_SERVICES", "ingest")))
                .hasMessageContaining("'ingest'")
                .hasMessageContaining(String.join(", ", List.of("impact-service", "classifier-service")));
    }
}
