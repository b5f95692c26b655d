package io.faultline.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The overlays under {@code kubernetes/overlays}, rendered by {@code kubectl kustomize} when kubectl
 * is on the PATH and by {@link KustomizationRenderer} otherwise.
 */
final class Overlays {

    static final Path KUBERNETES = Path.of("kubernetes");
    static final Path BASE = KUBERNETES.resolve("base");
    static final Path REPOSITORY = Path.of("..");

    /** The five services, as named in image, workload, Service and configuration. */
    static final List<String> SERVICES =
            List.of("ingest-service", "classifier-service", "resolver-service", "impact-service", "dashboard-api");

    private static final Map<String, Manifests> RENDERED = new ConcurrentHashMap<>();
    private static volatile Boolean kubectl;

    private Overlays() {}

    static List<String> names() {
        try (Stream<Path> entries = Files.list(KUBERNETES.resolve("overlays"))) {
            return entries.filter(Files::isDirectory)
                    .map(p -> p.getFileName().toString())
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path directory(String overlay) {
        return KUBERNETES.resolve("overlays").resolve(overlay);
    }

    /** The rendering the checks run on: kubectl's when available, which is what users apply. */
    static Manifests render(String overlay) {
        return RENDERED.computeIfAbsent(
                overlay,
                name -> new Manifests(
                        name,
                        kubectlAvailable()
                                ? kubectlKustomize(directory(name))
                                : KustomizationRenderer.render(directory(name))));
    }

    static boolean kubectlAvailable() {
        if (kubectl == null) {
            // -Dfaultline.deploy.renderer=java runs every check on the Java renderer alone
            kubectl = !"java".equals(System.getProperty("faultline.deploy.renderer"))
                    && Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                            .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, "kubectl")));
        }
        return kubectl;
    }

    static List<Map<String, Object>> kubectlKustomize(Path directory) {
        try {
            Process process = new ProcessBuilder("kubectl", "kustomize", directory.toString())
                    .redirectErrorStream(false)
                    .start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new AssertionError("kubectl kustomize " + directory + " failed:\n" + err);
            }
            return YamlDocuments.parse(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
