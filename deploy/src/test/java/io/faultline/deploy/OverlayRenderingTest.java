package io.faultline.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class OverlayRenderingTest {

    static List<String> overlays() {
        return Overlays.names();
    }

    @Test
    void thereAreDevAndProdOverlays() {
        assertThat(Overlays.names()).contains("dev", "prod");
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyOverlayRendersThePlatform(String overlay) {
        Manifests manifests = Overlays.render(overlay);

        assertThat(manifests.workloads())
                .extracting(w -> Tree.text(w, "metadata", "name"))
                .containsExactlyInAnyOrderElementsOf(Overlays.SERVICES);
        assertThat(manifests.ofKind("Service")).hasSizeGreaterThanOrEqualTo(5);
        assertThat(manifests.ofKind("ServiceMonitor")).hasSize(5);
        assertThat(manifests.ofKind("PodDisruptionBudget")).hasSize(5);
        assertThat(manifests.ofKind("HorizontalPodAutoscaler"))
                .extracting(h -> Tree.text(h, "metadata", "name"))
                .containsExactlyInAnyOrder("ingest-service", "classifier-service");
        assertThat(manifests.ofKind("Kafka")).hasSize(1);
        assertThat(manifests.ofKind("KafkaNodePool")).isNotEmpty();
        assertThat(manifests.ofKind("KafkaTopic")).isNotEmpty();
        assertThat(manifests.ofKind("Cluster")).hasSize(1);
        assertThat(manifests.ofKind("NetworkPolicy")).isNotEmpty();
        // rules, workflows and runbooks come from the services themselves (MountedConfigurationTest)
        assertThat(manifests.ofKind("ConfigMap")).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everythingLandsInTheOverlaysNamespace(String overlay) {
        Manifests manifests = Overlays.render(overlay);
        List<Map<String, Object>> namespaces = manifests.ofKind("Namespace");
        assertThat(namespaces).hasSize(1);
        String namespace = Tree.text(namespaces.get(0), "metadata", "name");

        for (Map<String, Object> resource : manifests.resources()) {
            String kind = String.valueOf(resource.get("kind"));
            if (!Set.of("Namespace", "ClusterRole", "ClusterRoleBinding").contains(kind)) {
                assertThat(Tree.text(resource, "metadata", "namespace"))
                        .as("%s %s", kind, Tree.text(resource, "metadata", "name"))
                        .isEqualTo(namespace);
            }
        }
    }

    /** A credential written in a file is one anybody with the repository knows. */
    @Test
    void noOverlayWritesASecretDown() throws IOException {
        try (Stream<Path> files = Files.walk(Overlays.KUBERNETES)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                for (Map<String, Object> document : YamlDocuments.read(file)) {
                    assertThat(document.get("kind")).as(file.toString()).isNotEqualTo("Secret");
                    assertThat(document).as(file.toString()).doesNotContainKey("secretGenerator");
                }
            }
        }
        for (String overlay : Overlays.names()) {
            assertThat(Overlays.render(overlay).ofKind("Secret")).as(overlay).isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void theJavaRendererRendersEveryOverlay(String overlay) {
        List<Map<String, Object>> resources = KustomizationRenderer.render(Overlays.directory(overlay));

        assertThat(resources).extracting(r -> r.get("kind")).contains("Deployment", "KafkaTopic", "Kafka", "Cluster");
    }

    /** The fallback renderer is only trustworthy while it agrees with the real kustomize. */
    @Test
    void theJavaRendererAgreesWithKubectlKustomize() {
        assumeTrue(Overlays.kubectlAvailable(), "kubectl is not on the PATH");
        List<Path> directories = new ArrayList<>();
        Overlays.names().forEach(name -> directories.add(Overlays.directory(name)));
        directories.add(Overlays.KUBERNETES.resolve("remediation-target"));

        for (Path directory : directories) {
            List<Map<String, Object>> ours = KustomizationRenderer.render(directory);
            Set<String> generated = ours.stream()
                    .filter(r -> Set.of("ConfigMap", "Secret").contains(r.get("kind")))
                    .map(r -> Tree.text(r, "metadata", "name"))
                    .collect(Collectors.toSet());
            List<Map<String, Object>> theirs = Overlays.kubectlKustomize(directory);

            assertThat(sorted(withoutHashSuffix(theirs, generated)))
                    .as(directory.toString())
                    .isEqualTo(sorted(ours));
        }
    }

    private static List<Map<String, Object>> sorted(List<Map<String, Object>> resources) {
        return resources.stream()
                .sorted(Comparator.comparing((Map<String, Object> r) -> String.valueOf(r.get("kind")))
                        .thenComparing(r -> Tree.text(r, "metadata", "name")))
                .toList();
    }

    /** kustomize names a generated ConfigMap or Secret {@code name-<10 character hash>}. */
    @SuppressWarnings("unchecked")
    private static <T> T withoutHashSuffix(T node, Set<String> generated) {
        if (node instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), withoutHashSuffix(v, generated)));
            return (T) copy;
        }
        if (node instanceof List<?> list) {
            return (T) list.stream().map(v -> withoutHashSuffix(v, generated)).toList();
        }
        if (node instanceof String text) {
            for (String name : generated) {
                if (Pattern.matches(Pattern.quote(name) + "-[a-z0-9]{10}", text)) {
                    return (T) name;
                }
            }
        }
        return node;
    }
}
