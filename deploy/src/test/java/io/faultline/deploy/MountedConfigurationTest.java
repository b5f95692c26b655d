package io.faultline.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.faultline.classifier.classification.ClassificationRules;
import io.faultline.impact.workflow.WorkflowFileParser;
import io.faultline.resolver.runbook.RunbookParser;
import io.faultline.resolver.strategy.Notifier;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every configuration file a deployment hands a service - a ConfigMap key or a Compose bind mount
 * named by a {@code FAULTLINE_*_FILE} variable, or a {@code classpath:} resource - loads with the
 * parser of the service that reads it. A service refuses to start on a file it cannot parse, so a
 * file that only reads as YAML would keep every replica down.
 */
class MountedConfigurationTest {

    private static final Path COMPOSE = Overlays.REPOSITORY.resolve("docker-compose.yml");
    private static final Set<String> RUNBOOK_STRATEGIES = Set.of("webhook", "redrive", "kubernetes", "notify");

    static List<String> overlays() {
        return Overlays.names();
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyFileAManifestHandsAServiceLoadsWithThatServicesParser(String overlay) {
        Manifests manifests = Overlays.render(overlay);
        List<String> loaded = new ArrayList<>();
        for (Map<String, Object> workload : manifests.workloads()) {
            String service = Tree.text(workload, "metadata", "name");
            Map<String, Object> container = Workloads.mainContainer(workload);
            ManifestReferencesTest.env(container).forEach((variable, value) -> {
                if (variable.endsWith("_FILE")) {
                    loaded.add(load(service, variable, value, mountedText(manifests, workload, container, value)));
                }
            });
        }
        assertThat(loaded).doesNotContainNull();
    }

    @Test
    void everyFileComposeHandsAServiceLoadsWithThatServicesParser() {
        Map<String, Object> compose = YamlDocuments.readOne(COMPOSE);
        for (String service : Overlays.SERVICES) {
            Map<String, Object> composed = Tree.map(compose, "services", service);
            Tree.map(composed, "environment").forEach((variable, value) -> {
                if (!variable.endsWith("_FILE")) {
                    return;
                }
                String path = String.valueOf(value);
                String text = null;
                if (!path.startsWith("classpath:")) {
                    String source = Tree.list(composed, "volumes").stream()
                            .map(String::valueOf)
                            .map(v -> v.split(":"))
                            .filter(parts -> parts.length > 1 && parts[1].equals(path))
                            .map(parts -> parts[0])
                            .findFirst()
                            .orElseThrow(() -> new AssertionError(service + ": nothing is mounted at " + path));
                    text = read(Overlays.REPOSITORY.resolve(source));
                }
                load(service, variable, path, text);
            });
        }
    }

    /**
     * Rules, workflows and runbooks have one home: the service that reads them ships them. A copy
     * under deploy/ drifts (it had 18 classification rules where the classifier ships 207, and
     * fields the parsers no longer accept).
     */
    @Test
    void noCopyOfTheServicesRulesWorkflowsOrRunbooksLivesUnderDeploy() throws IOException {
        List<Path> copies = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("."))) {
            for (Path file : files.filter(
                            p -> !p.startsWith("./target") && p.toString().endsWith(".yaml"))
                    .toList()) {
                for (Map<String, Object> document : YamlDocuments.read(file)) {
                    if (document.containsKey("kind")) {
                        continue; // a Kubernetes resource (a ClusterRole has rules of its own)
                    }
                    if (document.containsKey("rules")
                            || document.containsKey("workflows")
                            || document.containsKey("runbooks")
                            || document.containsKey("fingerprints")) {
                        copies.add(file);
                    }
                }
            }
        }
        assertThat(copies).isEmpty();
    }

    /** What a cluster runs when nothing is mounted: the files the services ship, which must load. */
    @Test
    void theServicesShippedDefaultsLoad() {
        assertThat(ClassificationRules.loadDefault().ruleIds()).hasSizeGreaterThan(100);
        load("impact-service", "FAULTLINE_WORKFLOWS_FILE", "classpath:workflows.yaml", null);
        load("resolver-service", "FAULTLINE_RUNBOOKS_FILE", "classpath:runbooks.yaml", null);
    }

    /** The classifier assigns only workflows that impact-service values, and it values every one. */
    @Test
    void theShippedRulesAndWorkflowsNameTheSameWorkflows() {
        var workflows = WorkflowFileParser.parse(
                        stream(resource("impact-service", "workflows.yaml")), "impact-service workflows.yaml")
                .workflows()
                .stream()
                .map(io.faultline.impact.workflow.Workflow::name)
                .toList();
        assertThat(ClassificationRules.loadDefault().workflows()).containsExactlyInAnyOrderElementsOf(workflows);
    }

    @Test
    void aFileTheServiceWouldRefuseFailsHere() {
        String workflows = "workflows:\n  - id: booking\n    name: Booking\n    weight: 1\n    revenuePerHour: 1\n";
        assertThatCode(() -> load("impact-service", "FAULTLINE_WORKFLOWS_FILE", "/etc/w.yaml", workflows))
                .hasMessageContaining("field 'id': unknown field");
    }

    /** The text of the file at {@code path} in the container, from the ConfigMap mounted there. */
    private static String mountedText(
            Manifests manifests, Map<String, Object> workload, Map<String, Object> container, String path) {
        if (path.startsWith("classpath:")) {
            return null;
        }
        String directory = path.substring(0, path.lastIndexOf('/'));
        String key = path.substring(path.lastIndexOf('/') + 1);
        Map<String, Object> mount = Tree.maps(container, "volumeMounts").stream()
                .filter(m -> directory.equals(m.get("mountPath")))
                .findFirst()
                .orElseThrow(() -> new AssertionError(path + ": nothing is mounted at " + directory));
        String configMap = Tree.maps(Workloads.podSpec(workload), "volumes").stream()
                .filter(v -> Tree.text(mount, "name").equals(v.get("name")))
                .map(v -> Tree.text(v, "configMap", "name"))
                .findFirst()
                .orElseThrow(() -> new AssertionError(path + " is not on a ConfigMap volume"));
        return Tree.text(manifests.get("ConfigMap", configMap), "data", key);
    }

    /**
     * Parses {@code text} (or, for a {@code classpath:} path, the service's resource of that name)
     * the way {@code service} parses what {@code variable} names; returns the source name.
     */
    static String load(String service, String variable, String path, String text) {
        String source = service + " " + variable + "=" + path;
        String content = text != null ? text : resource(service, path.substring("classpath:".length()));
        switch (variable) {
            case "FAULTLINE_CLASSIFICATION_RULES_FILE" -> ClassificationRules.load(stream(content), source);
            case "FAULTLINE_GROUPING_RULES_FILE" -> parseFingerprintRules(content, source);
            case "FAULTLINE_WORKFLOWS_FILE" -> WorkflowFileParser.parse(stream(content), source);
            case "FAULTLINE_RUNBOOKS_FILE" -> new RunbookParser(RUNBOOK_STRATEGIES, Notifier.CHANNELS)
                    .parse(content, source);
            default -> throw new AssertionError(source + ": no parser known for " + variable);
        }
        return source;
    }

    private static String resource(String service, String name) {
        Path file = Overlays.REPOSITORY
                .resolve(service)
                .resolve("src/main/resources")
                .resolve(name);
        assertThat(file).as(service + " ships classpath:" + name).isRegularFile();
        return read(file);
    }

    private static void parseFingerprintRules(String content, String source) {
        try {
            Class<?> parser = Class.forName("io.faultline.classifier.grouping.fingerprint.FingerprintRulesParser");
            Method parse = parser.getDeclaredMethod("parse", InputStream.class, String.class);
            parse.setAccessible(true);
            parse.invoke(null, stream(content), source);
        } catch (InvocationTargetException e) {
            throw (RuntimeException) e.getCause();
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private static InputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
