package io.faultline.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What running Faultline for real takes beyond starting: scaling, drains, rollouts, two overlays, patching. */
class OperabilityTest {

    private static final Set<String> CLUSTER_SCOPED = Set.of("ClusterRole", "ClusterRoleBinding");
    /**
     * A third-party image: {@code registry.host[:port]/path/name:tag@sha256:<digest>}, the tag for
     * the reader, the digest for what runs (a publisher may push a tag again; a digest is what
     * was tested).
     */
    private static final Pattern DIGEST_PINNED =
            Pattern.compile("[a-z0-9.-]+\\.[a-z]+(:[0-9]+)?/[a-z0-9./_-]+:[A-Za-z0-9._-]+@sha256:[0-9a-f]{64}");

    private static final String FAULTLINE_IMAGES = "ghcr.io/faultline/";
    /** The one place Faultline's own image tag is written; build-images.sh tags with it. */
    static final Path IMAGE_TAG = Overlays.REPOSITORY.resolve("deploy/images/TAG");

    private static final Pattern PROJECT_VERSION =
            Pattern.compile("<artifactId>faultline-parent</artifactId>\\s*<version>([^<]+)</version>");

    static List<String> overlays() {
        return Overlays.names();
    }

    /** The HPA owns the replica count: a replicas field would reset a scaled-out ingest at every apply. */
    @ParameterizedTest
    @MethodSource("overlays")
    void deploymentsUnderAnAutoscalerDoNotSetReplicas(String overlay) {
        Manifests manifests = Overlays.render(overlay);
        for (Map<String, Object> autoscaler : manifests.ofKind("HorizontalPodAutoscaler")) {
            String target = Tree.text(autoscaler, "spec", "scaleTargetRef", "name");
            assertThat(Tree.map(manifests.get("Deployment", target), "spec"))
                    .as(target)
                    .doesNotContainKey("replicas");
        }
    }

    /** Deleting one overlay must not delete the other's cluster-wide RBAC. */
    @Test
    void clusterScopedNamesCarryTheOverlay() {
        Set<String> seen = new HashSet<>();
        for (String overlay : Overlays.names()) {
            Manifests manifests = Overlays.render(overlay);
            String namespace = Tree.text(manifests.ofKind("Namespace").get(0), "metadata", "name");
            for (Map<String, Object> resource : manifests.resources()) {
                if (!CLUSTER_SCOPED.contains(String.valueOf(resource.get("kind")))) {
                    continue;
                }
                String name = Tree.text(resource, "metadata", "name");
                assertThat(name).as(overlay + " " + resource.get("kind")).startsWith(namespace + "-");
                assertThat(seen.add(resource.get("kind") + "/" + name))
                        .as(resource.get("kind") + " " + name + " in two overlays")
                        .isTrue();
            }
            for (Map<String, Object> binding : manifests.ofKind("ClusterRoleBinding")) {
                assertThat(manifests.find("ClusterRole", Tree.text(binding, "roleRef", "name")))
                        .as(overlay + " " + Tree.text(binding, "metadata", "name"))
                        .isPresent();
            }
        }
    }

    /** Losing a node must not take two of three brokers or controllers. */
    @ParameterizedTest
    @MethodSource("overlays")
    void kafkaPoolsSpreadAcrossNodes(String overlay) {
        for (Map<String, Object> pool : Overlays.render(overlay).ofKind("KafkaNodePool")) {
            String name = Tree.text(pool, "metadata", "name");
            List<Map<String, Object>> spread = Tree.maps(pool, "spec", "template", "pod", "topologySpreadConstraints");
            assertThat(spread).as("pool " + name).anySatisfy(constraint -> {
                assertThat(constraint.get("topologyKey")).isEqualTo("kubernetes.io/hostname");
                assertThat(constraint.get("maxSkew")).isEqualTo(1);
                assertThat(constraint.get("whenUnsatisfiable")).isEqualTo("DoNotSchedule");
                assertThat(Tree.map(constraint, "labelSelector", "matchLabels"))
                        .containsEntry("strimzi.io/pool-name", name);
            });
        }
    }

    /**
     * A budget that demands as many pods as a workload may run at its minimum blocks every node
     * drain; each budget lets one pod go.
     */
    @ParameterizedTest
    @MethodSource("overlays")
    void disruptionBudgetsLetADrainThrough(String overlay) {
        Manifests manifests = Overlays.render(overlay);
        for (Map<String, Object> budget : manifests.ofKind("PodDisruptionBudget")) {
            assertThat(Tree.map(budget, "spec"))
                    .as(Tree.text(budget, "metadata", "name"))
                    .doesNotContainKey("minAvailable")
                    .containsEntry("maxUnavailable", 1);
        }
        for (Map<String, Object> kafka : manifests.ofKind("Kafka")) {
            Tree.at(kafka, "spec", "kafka", "template", "podDisruptionBudget", "maxUnavailable")
                    .ifPresent(max -> assertThat(max).isEqualTo(1));
        }
    }

    /**
     * Ingest answers every request it accepted before it stops: the pod leaves the Service's
     * endpoints (preStop) while Quarkus still serves, then Quarkus waits for in-flight requests, all
     * within the grace period.
     */
    @ParameterizedTest
    @MethodSource("overlays")
    void ingestDrainsOnSigterm(String overlay) {
        Map<String, Object> workload = Overlays.render(overlay).workload("ingest-service");
        Map<String, Object> container = Workloads.mainContainer(workload);
        Map<String, String> env = ManifestReferencesTest.env(container);

        List<Object> preStop = Tree.list(container, "lifecycle", "preStop", "exec", "command");
        assertThat(preStop).as("preStop").hasSize(2).startsWith("sleep");
        long preStopSeconds = Long.parseLong(String.valueOf(preStop.get(1)));
        assertThat(ServiceConfiguration.applicationProperties("ingest-service"))
                .as("quarkus.shutdown.delay-enabled is fixed at build time")
                .containsEntry("quarkus.shutdown.delay-enabled", "true");
        long delay = seconds(env.get("QUARKUS_SHUTDOWN_DELAY"));
        long timeout = seconds(env.get("QUARKUS_SHUTDOWN_TIMEOUT"));
        int grace = (Integer) Tree.at(Workloads.podSpec(workload), "terminationGracePeriodSeconds")
                .orElseThrow();
        assertThat(delay).isPositive();
        assertThat(timeout).isPositive();
        assertThat(preStopSeconds + delay + timeout).isLessThan(grace);
    }

    /**
     * Images name their registry and cannot change under the same reference: third-party ones
     * by digest, Faultline's own by the tag of deploy/images/TAG, the release and the commit
     * they were built from.
     */
    @ParameterizedTest
    @MethodSource("overlays")
    void imagesAreRegistryQualifiedAndPinned(String overlay) {
        Manifests manifests = Overlays.render(overlay);
        List<String> images = new ArrayList<>();
        manifests.workloads().forEach(w -> Workloads.containers(w).forEach(c -> images.add(Tree.text(c, "image"))));
        manifests.ofKind("Cluster").forEach(c -> images.add(Tree.text(c, "spec", "imageName")));
        assertThat(images).isNotEmpty().allSatisfy(OperabilityTest::assertPinned);
    }

    @Test
    void composeImagesAreRegistryQualifiedAndPinned() {
        Map<String, Object> compose = YamlDocuments.readOne(Overlays.REPOSITORY.resolve("docker-compose.yml"));
        Tree.map(compose, "services").forEach((service, definition) -> {
            assertThat(Tree.at(definition, "image")).as(service).isPresent();
            assertPinned(Tree.text(definition, "image"));
        });
    }

    /**
     * {@code <release>-g<commit>}: the project's version without -SNAPSHOT and the commit whose
     * sources the images hold (build-images.sh refuses to build other sources under it), so no
     * two builds share a tag.
     */
    @Test
    void faultlinesImageTagNamesTheReleaseAndTheCommit() throws IOException {
        Matcher version = PROJECT_VERSION.matcher(Files.readString(Overlays.REPOSITORY.resolve("pom.xml")));
        assertThat(version.find()).as("the project's version in pom.xml").isTrue();
        String release = version.group(1).replace("-SNAPSHOT", "");
        assertThat(faultlineTag()).matches(Pattern.quote(release) + "-g[0-9a-f]{7,40}");
    }

    static String faultlineTag() {
        try {
            return Files.readString(IMAGE_TAG).trim();
        } catch (IOException e) {
            throw new AssertionError("Faultline's image tag is kept in " + IMAGE_TAG, e);
        }
    }

    private static void assertPinned(String image) {
        if (image.startsWith(FAULTLINE_IMAGES)) {
            assertThat(image)
                    .as("a Faultline image, tagged as deploy/images/TAG says")
                    .matches(Pattern.quote(FAULTLINE_IMAGES) + "[a-z-]+:" + Pattern.quote(faultlineTag()));
        } else {
            assertThat(image).as("a third-party image, pinned by digest").matches(DIGEST_PINNED);
        }
    }

    /** bookworm alone is the release as it shipped; its security fixes come from bookworm-security. */
    @Test
    void theBaseImageTakesSecurityUpdates() throws IOException {
        String script = Files.readString(Overlays.REPOSITORY.resolve("deploy/images/build-base-image.sh"));
        assertThat(script).contains("bookworm-security").containsPattern("apt-get[^\\n]* (dist-)?upgrade");
    }

    private static long seconds(String duration) {
        assertThat(duration).as("a duration in seconds").isNotNull().matches("[0-9]+s");
        return Long.parseLong(duration.substring(0, duration.length() - 1));
    }
}
