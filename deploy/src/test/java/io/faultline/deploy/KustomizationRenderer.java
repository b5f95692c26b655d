package io.faultline.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Renders a kustomization the way {@code kubectl kustomize} does, for the subset of kustomize
 * that Faultline's manifests use, so the manifests are checked on a machine without kubectl:
 * {@code resources} (files and directories), {@code configMapGenerator} ({@code files}),
 * {@code secretGenerator} ({@code literals}), {@code patches} (a file or inline patch, JSON 6902
 * operations or a merge patch, {@code $patch: delete}), {@code namespace}, {@code labels} and
 * {@code images}.
 *
 * <p>Two differences from kustomize, both deliberate: generated ConfigMaps and Secrets keep their
 * plain names (kustomize appends a content hash and rewrites the references, which a comparison
 * strips again), and a patch file is applied as a JSON merge patch, which is what kustomize does
 * for custom resources; Faultline's overlays patch built-in kinds only with JSON 6902 operations.
 * When kubectl is on the PATH, a test renders both ways and demands the same result.
 */
final class KustomizationRenderer {

    /** Kinds that live outside any namespace: the namespace transformer leaves them alone. */
    private static final Set<String> CLUSTER_SCOPED = Set.of(
            "Namespace",
            "ClusterRole",
            "ClusterRoleBinding",
            "CustomResourceDefinition",
            "PersistentVolume",
            "StorageClass",
            "PriorityClass",
            "IngressClass",
            "ValidatingWebhookConfiguration",
            "MutatingWebhookConfiguration");

    private static final Set<String> KEYS = Set.of(
            "apiVersion",
            "kind",
            "resources",
            "configMapGenerator",
            "secretGenerator",
            "patches",
            "namespace",
            "labels",
            "images");

    private KustomizationRenderer() {}

    static List<Map<String, Object>> render(Path directory) {
        Path file = directory.resolve("kustomization.yaml");
        Map<String, Object> kustomization = YamlDocuments.readOne(file);
        for (String key : kustomization.keySet()) {
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException(file + ": '" + key + "' is not supported by this renderer");
            }
        }
        List<Map<String, Object>> resources = new ArrayList<>();
        for (Object entry : Tree.list(kustomization, "resources")) {
            Path path = directory.resolve(String.valueOf(entry)).normalize();
            if (Files.isDirectory(path)) {
                resources.addAll(render(path));
            } else {
                YamlDocuments.read(path).forEach(doc -> resources.add(Tree.copy(doc)));
            }
        }
        for (Map<String, Object> generator : Tree.maps(kustomization, "configMapGenerator")) {
            resources.add(configMap(directory, generator));
        }
        for (Map<String, Object> generator : Tree.maps(kustomization, "secretGenerator")) {
            resources.add(secret(generator));
        }
        // kustomize's order of built-in transformers: patches, namespace, labels, images
        for (Map<String, Object> patch : Tree.maps(kustomization, "patches")) {
            applyPatch(directory, patch, resources);
        }
        String namespace = Tree.text(kustomization, "namespace");
        if (namespace != null) {
            resources.forEach(resource -> setNamespace(resource, namespace));
        }
        for (Map<String, Object> label : Tree.maps(kustomization, "labels")) {
            if (Boolean.TRUE.equals(label.get("includeSelectors"))
                    || Boolean.TRUE.equals(label.get("includeTemplates"))) {
                throw new IllegalArgumentException(file + ": labels reach only metadata in this renderer");
            }
            Map<String, Object> pairs = Tree.map(label, "pairs");
            resources.forEach(resource -> metadataMap(resource, "labels").putAll(pairs));
        }
        for (Map<String, Object> image : Tree.maps(kustomization, "images")) {
            resources.forEach(resource -> setImage(resource, image));
        }
        return resources;
    }

    private static Map<String, Object> configMap(Path directory, Map<String, Object> generator) {
        Map<String, Object> data = new LinkedHashMap<>();
        for (Object entry : Tree.list(generator, "files")) {
            String spec = String.valueOf(entry);
            int equals = spec.indexOf('=');
            String key = equals < 0 ? Path.of(spec).getFileName().toString() : spec.substring(0, equals);
            Path source = directory.resolve(equals < 0 ? spec : spec.substring(equals + 1));
            try {
                data.put(key, Files.readString(source));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        for (Object entry : Tree.list(generator, "literals")) {
            String[] pair = String.valueOf(entry).split("=", 2);
            data.put(pair[0], pair[1]);
        }
        return resource("v1", "ConfigMap", Tree.text(generator, "name"), "data", data);
    }

    private static Map<String, Object> secret(Map<String, Object> generator) {
        Map<String, Object> data = new LinkedHashMap<>();
        for (Object entry : Tree.list(generator, "literals")) {
            String[] pair = String.valueOf(entry).split("=", 2);
            data.put(pair[0], Base64.getEncoder().encodeToString(pair[1].getBytes(StandardCharsets.UTF_8)));
        }
        Map<String, Object> secret = resource("v1", "Secret", Tree.text(generator, "name"), "data", data);
        secret.put("type", "Opaque");
        return secret;
    }

    private static Map<String, Object> resource(
            String apiVersion, String kind, String name, String field, Map<String, Object> value) {
        Map<String, Object> resource = new LinkedHashMap<>();
        resource.put("apiVersion", apiVersion);
        resource.put("kind", kind);
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", name);
        resource.put("metadata", metadata);
        resource.put(field, value);
        return resource;
    }

    @SuppressWarnings("unchecked")
    private static void applyPatch(Path directory, Map<String, Object> patch, List<Map<String, Object>> resources) {
        Map<String, Object> target = Tree.map(patch, "target");
        if (patch.containsKey("path")) {
            for (Map<String, Object> document :
                    YamlDocuments.read(directory.resolve(String.valueOf(patch.get("path"))))) {
                applyMergePatch(document, target.isEmpty() ? selectorOf(document) : target, resources);
            }
            return;
        }
        Object inline = YamlDocuments.parseAny(String.valueOf(patch.get("patch")));
        if (inline instanceof List<?> operations) {
            List<Map<String, Object>> matches = matching(target, resources);
            if (matches.isEmpty()) {
                throw new IllegalArgumentException("patch target " + target + " matches no resource");
            }
            for (Map<String, Object> resource : matches) {
                JsonPatch.apply(resource, (List<Map<String, Object>>) operations);
            }
        } else if (inline instanceof Map<?, ?> document) {
            Map<String, Object> merge = (Map<String, Object>) document;
            applyMergePatch(merge, target.isEmpty() ? selectorOf(merge) : target, resources);
        } else {
            throw new IllegalArgumentException("unsupported patch " + patch);
        }
    }

    private static Map<String, Object> selectorOf(Map<String, Object> document) {
        Map<String, Object> selector = new LinkedHashMap<>();
        selector.put("kind", document.get("kind"));
        selector.put("name", Tree.text(document, "metadata", "name"));
        return selector;
    }

    private static void applyMergePatch(
            Map<String, Object> document, Map<String, Object> target, List<Map<String, Object>> resources) {
        List<Map<String, Object>> matches = matching(target, resources);
        if (matches.isEmpty()) {
            throw new IllegalArgumentException("patch target " + target + " matches no resource");
        }
        for (Map<String, Object> resource : matches) {
            if ("delete".equals(document.get("$patch"))) {
                resources.remove(resource);
            } else {
                Map<String, Object> body = Tree.copy(document);
                // identity fields select the target; they are not changes
                body.remove("apiVersion");
                body.remove("kind");
                Tree.map(body, "metadata").remove("name");
                JsonPatch.merge(resource, body);
            }
        }
    }

    private static List<Map<String, Object>> matching(Map<String, Object> target, List<Map<String, Object>> resources) {
        List<Map<String, Object>> matches = new ArrayList<>();
        for (Map<String, Object> resource : resources) {
            if (matchesField(target.get("kind"), resource.get("kind"))
                    && matchesField(target.get("name"), Tree.text(resource, "metadata", "name"))) {
                matches.add(resource);
            }
        }
        return matches;
    }

    private static boolean matchesField(Object wanted, Object actual) {
        return wanted == null || String.valueOf(wanted).equals(String.valueOf(actual));
    }

    private static void setNamespace(Map<String, Object> resource, String namespace) {
        String kind = String.valueOf(resource.get("kind"));
        if (!CLUSTER_SCOPED.contains(kind)) {
            metadataMap(resource, "").put("namespace", namespace);
        }
        if (kind.equals("RoleBinding") || kind.equals("ClusterRoleBinding")) {
            // kustomize moves only subjects left in the "default" namespace
            for (Map<String, Object> subject : Tree.maps(resource, "subjects")) {
                if ("ServiceAccount".equals(subject.get("kind")) && "default".equals(subject.get("namespace"))) {
                    subject.put("namespace", namespace);
                }
            }
        }
    }

    /** The metadata map ({@code field} empty) or one of its maps, created if absent. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> metadataMap(Map<String, Object> resource, String field) {
        Map<String, Object> metadata =
                (Map<String, Object>) resource.computeIfAbsent("metadata", k -> new LinkedHashMap<String, Object>());
        if (field.isEmpty()) {
            return metadata;
        }
        return (Map<String, Object>) metadata.computeIfAbsent(field, k -> new LinkedHashMap<String, Object>());
    }

    private static void setImage(Map<String, Object> resource, Map<String, Object> image) {
        String name = Tree.text(image, "name");
        for (Map<String, Object> container : Workloads.containers(resource)) {
            String current = String.valueOf(container.get("image"));
            int cut = current.lastIndexOf(':') > current.lastIndexOf('/') ? current.lastIndexOf(':') : current.length();
            if (!current.substring(0, cut).equals(name)) {
                continue;
            }
            String newName = image.containsKey("newName") ? Tree.text(image, "newName") : name;
            String tag = image.containsKey("newTag")
                    ? Tree.text(image, "newTag")
                    : (cut < current.length() ? current.substring(cut + 1) : null);
            container.put("image", tag == null ? newName : newName + ":" + tag);
        }
    }
}
