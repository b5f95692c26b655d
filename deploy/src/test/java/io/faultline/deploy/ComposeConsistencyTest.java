package io.faultline.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.faultline.schemas.topics.Topic;
import io.faultline.schemas.topics.Topics;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docker-compose.yml runs the same images with the same configuration keys as the manifests. */
class ComposeConsistencyTest {

    private static final Path COMPOSE = Overlays.REPOSITORY.resolve("docker-compose.yml");
    private static final Pattern TOPIC_LINE =
            Pattern.compile("--topic (\\S+) --partitions (\\d+)((?: --config \\S+)*)");

    private final Map<String, Object> compose = YamlDocuments.readOne(COMPOSE);
    private final Manifests manifests = Overlays.render("dev");

    @Test
    void servicesUseTheImagesAndSettingsOfTheManifests() {
        for (String service : Overlays.SERVICES) {
            Map<String, Object> composed = Tree.map(compose, "services", service);
            Map<String, Object> container = Workloads.mainContainer(manifests.workload(service));

            assertThat(composed.get("image")).as(service).isEqualTo(container.get("image"));
            for (String key : List.of(
                    "QUARKUS_HTTP_PORT",
                    "JAVA_TOOL_OPTIONS",
                    "KAFKA_STREAMS_STATE_DIR",
                    "FAULTLINE_STATE_DIR",
                    "FAULTLINE_DEFAULT_PROJECT_ID")) {
                if (Tree.map(composed, "environment").containsKey(key)) {
                    assertThat(Tree.text(composed, "environment", key))
                            .as(service + " " + key)
                            .isEqualTo(ManifestReferencesTest.env(container).get(key));
                }
            }
        }
    }

    @Test
    void servicesRunLikeInKubernetesAndReportReadiness() {
        for (String service : Overlays.SERVICES) {
            Map<String, Object> composed = Tree.map(compose, "services", service);
            assertThat(composed.get("read_only")).as(service).isEqualTo(true);
            assertThat(Tree.list(composed, "tmpfs")).as(service).anySatisfy(mount -> assertThat(String.valueOf(mount))
                    .startsWith("/tmp:"));
            assertThat(String.valueOf(composed.get("user"))).as(service).startsWith("185");
            assertThat(String.valueOf(Tree.at(composed, "healthcheck", "test").orElseThrow()))
                    .as(service)
                    .contains("/q/health/ready")
                    .contains("8080");
        }
    }

    /** A read-only root: state directories are volumes. */
    @Test
    void stateDirectoriesAreVolumes() {
        for (String service : Overlays.SERVICES) {
            Map<String, Object> composed = Tree.map(compose, "services", service);
            Map<String, String> mounts = new HashMap<>();
            for (Object volume : Tree.list(composed, "volumes")) {
                String[] parts = String.valueOf(volume).split(":");
                mounts.put(parts[1], parts[0]);
            }
            Tree.map(composed, "environment").forEach((key, value) -> {
                if (key.endsWith("STATE_DIR")) {
                    assertThat(mounts).as(service + " " + key).containsKey(String.valueOf(value));
                }
            });
        }
    }

    @Test
    void topicCreationFollowsTheCatalogue() {
        String script = ComposeKafka.initScript(compose);
        Map<String, String> created = new HashMap<>();
        Matcher matcher = TOPIC_LINE.matcher(script);
        while (matcher.find()) {
            created.put(matcher.group(1), matcher.group(2) + matcher.group(3));
        }

        assertThat(created.keySet())
                .containsExactlyInAnyOrderElementsOf(
                        Topics.all().stream().map(Topic::name).toList());
        for (Topic<?, ?> topic : Topics.all()) {
            StringBuilder expected = new StringBuilder().append(topic.partitions());
            expected.append(" --config cleanup.policy=").append(topic.configs().get("cleanup.policy"));
            if (topic.configs().containsKey("retention.ms")) {
                expected.append(" --config retention.ms=")
                        .append(topic.configs().get("retention.ms"));
            }
            assertThat(created.get(topic.name())).as(topic.name()).isEqualTo(expected.toString());
        }
    }

    /**
     * kafka-init creates the users of the Kubernetes KafkaUsers and grants each exactly the ACLs
     * its KafkaUser has (which KafkaUserAclTest derives from the services' code).
     */
    @Test
    void kafkaUsersAndAclsAreThoseOfTheKafkaUsers() {
        List<Map<String, Object>> kafkaUsers = manifests.ofKind("KafkaUser");
        assertThat(ComposeKafka.users(compose).keySet())
                .containsExactlyInAnyOrderElementsOf(kafkaUsers.stream()
                        .map(u -> Tree.text(u, "metadata", "name"))
                        .toList());
        assertThat(ComposeKafka.initAcls(compose))
                .containsExactlyInAnyOrderElementsOf(kafkaUsers.stream()
                        .flatMap(u -> ComposeKafka.userAcls(u).stream())
                        .toList());
    }

    /**
     * The administrator the broker's storage is formatted with is the super user kafka-init logs
     * in as, with the same required password.
     */
    @Test
    void kafkaInitLogsInAsTheAdministratorTheStorageWasFormattedWith() {
        String format = String.valueOf(
                Tree.list(compose, "services", "kafka", "command").get(0));
        String init = ComposeKafka.initScript(compose);
        assertThat(format)
                .contains("--add-scram \"SCRAM-SHA-512=[name=kafka-admin,password=$$FAULTLINE_KAFKA_ADMIN_PASSWORD]\"");
        assertThat(init)
                .contains("username=\\\"kafka-admin\\\" password=\\\"$$FAULTLINE_KAFKA_ADMIN_PASSWORD\\\"")
                .contains("--command-config /tmp/admin.properties");
        assertThat(ComposeKafka.brokerSettings(compose).get("super.users")).contains("User:kafka-admin");
        for (String service : List.of("kafka", "kafka-init")) {
            assertThat(Tree.text(compose, "services", service, "environment", "FAULTLINE_KAFKA_ADMIN_PASSWORD"))
                    .as(service)
                    .startsWith("${FAULTLINE_KAFKA_ADMIN_PASSWORD:?");
        }
    }

    @Test
    void kafkaRunsInKraftModeWithoutAutoCreation() {
        Map<String, Object> kafka = Tree.map(compose, "services", "kafka");
        assertThat(Tree.text(kafka, "image")).startsWith("docker.io/apache/kafka:");
        assertThat(Tree.text(kafka, "environment", "KAFKA_PROCESS_ROLES")).isEqualTo("broker,controller");
        assertThat(Tree.text(kafka, "environment", "KAFKA_AUTO_CREATE_TOPICS_ENABLE"))
                .isEqualTo("false");
        assertThat(Tree.text(kafka, "environment", "KAFKA_NUM_PARTITIONS"))
                .isEqualTo(String.valueOf(Topics.PARTITIONS));
    }
}
