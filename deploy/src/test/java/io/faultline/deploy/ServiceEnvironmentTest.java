package io.faultline.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each variable a deployment sets is one the service reads (a misspelt or stale one is silently
 * ignored by Quarkus), and each one the service requires is set; both sides derived from the code
 * by {@link ServiceConfiguration}.
 */
class ServiceEnvironmentTest {

    /** {@code $(NAME)}: Kubernetes substitutes another variable of the container. */
    private static final Pattern SUBSTITUTION = Pattern.compile("\\$\\(([A-Z0-9_]+)\\)");

    static List<String> overlays() {
        return Overlays.names();
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyVariableAManifestSetsIsReadAndEveryRequiredOneIsSet(String overlay) {
        Manifests manifests = Overlays.render(overlay);
        List<String> problems = new ArrayList<>();
        for (String service : Overlays.SERVICES) {
            Map<String, String> env = ManifestReferencesTest.env(Workloads.mainContainer(manifests.workload(service)));
            problems.addAll(check(service, env));
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void everyVariableComposeSetsIsReadAndEveryRequiredOneIsSet() {
        Map<String, Object> compose = YamlDocuments.readOne(Overlays.REPOSITORY.resolve("docker-compose.yml"));
        List<String> problems = new ArrayList<>();
        for (String service : Overlays.SERVICES) {
            Map<String, String> env = new java.util.LinkedHashMap<>();
            Tree.map(compose, "services", service, "environment").forEach((k, v) -> env.put(k, String.valueOf(v)));
            problems.addAll(check(service, env));
        }
        assertThat(problems).isEmpty();
    }

    /** The derivation itself: a variable only a stale list knew is not read, a real one is. */
    @Test
    void theDerivationKnowsWhatTheServicesRead() {
        assertThat(ServiceConfiguration.reads("ingest-service", "FAULTLINE_INGEST_SCRUBBING_USER_HMAC_KEY"))
                .isTrue();
        assertThat(ServiceConfiguration.reads("resolver-service", "FAULTLINE_NOTIFY_PAGERDUTY_ROUTING_KEY"))
                .isTrue();
        assertThat(ServiceConfiguration.reads("resolver-service", "FAULTLINE_PAGERDUTY_ROUTING_KEY"))
                .isTrue();
        assertThat(ServiceConfiguration.reads("dashboard-api", "FAULTLINE_SESSION_SECURE_COOKIE"))
                .isTrue();
        assertThat(ServiceConfiguration.reads("classifier-service", "QUARKUS_KAFKA_STREAMS_SASL_JAAS_CONFIG"))
                .isTrue();
        assertThat(ServiceConfiguration.reads("impact-service", "KAFKA_SASL_JAAS_CONFIG"))
                .isTrue();
        assertThat(ServiceConfiguration.reads("ingest-service", "QUARKUS_SHUTDOWN_DELAY"))
                .isTrue();
        assertThat(ServiceConfiguration.reads("ingest-service", "FAULTLINE_DEFAULT_PROJECT_SECRET"))
                .isFalse();
        assertThat(ServiceConfiguration.reads("impact-service", "FAULTLINE_CLASSIFICATION_RULES_FILE"))
                .isFalse();
        assertThat(ServiceConfiguration.reads("classifier-service", "KAFKA_STREAMS_NUM_STANDBY_REPLICAS"))
                .isTrue();
    }

    /**
     * KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_* and KAFKA_SSL_* reach the channels through Quarkus, but a
     * client a service builds by hand sees only what it is given: each must start from
     * KafkaConnection.settings (the service's kafka.* connection settings), or it would try the
     * authenticated listener without credentials.
     */
    @Test
    void everyHandMadeKafkaClientTakesTheConnectionSettings() throws java.io.IOException {
        Pattern client = Pattern.compile("new Kafka(Producer|Consumer)<|Admin\\.create\\(|AdminClient\\.create\\(");
        List<String> problems = new ArrayList<>();
        for (String service : Overlays.SERVICES) {
            try (var files = java.nio.file.Files.walk(
                    Overlays.REPOSITORY.resolve(service).resolve("src/main/java"))) {
                for (var file :
                        files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    String source = java.nio.file.Files.readString(file);
                    if (client.matcher(source).find() && !source.contains("KafkaConnection.")) {
                        problems.add(file + " builds a Kafka client without KafkaConnection.settings");
                    }
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    static List<String> check(String service, Map<String, String> env) {
        List<String> problems = new ArrayList<>();
        List<String> substituted = new ArrayList<>();
        env.values().forEach(value -> {
            Matcher matcher = SUBSTITUTION.matcher(String.valueOf(value));
            while (matcher.find()) {
                substituted.add(matcher.group(1));
            }
        });
        for (String variable : env.keySet()) {
            if (!ServiceConfiguration.reads(service, variable) && !substituted.contains(variable)) {
                problems.add(service + " is given " + variable + ", which it does not read");
            }
        }
        for (String variable : ServiceConfiguration.required(service)) {
            if (!env.containsKey(variable)) {
                problems.add(service + " requires " + variable + ", which is not set");
            }
        }
        return problems;
    }
}
