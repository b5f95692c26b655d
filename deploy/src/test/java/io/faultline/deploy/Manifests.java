package io.faultline.deploy;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The resources one overlay renders to. */
record Manifests(String overlay, List<Map<String, Object>> resources) {

    Manifests {
        resources = List.copyOf(resources);
    }

    List<Map<String, Object>> ofKind(String kind) {
        return resources.stream().filter(r -> kind.equals(r.get("kind"))).toList();
    }

    List<Map<String, Object>> workloads() {
        return resources.stream().filter(Workloads::isWorkload).toList();
    }

    Optional<Map<String, Object>> find(String kind, String name) {
        return ofKind(kind).stream()
                .filter(r -> name.equals(Tree.text(r, "metadata", "name")))
                .findFirst();
    }

    Map<String, Object> get(String kind, String name) {
        return find(kind, name).orElseThrow(() -> new AssertionError(overlay + " renders no " + kind + " " + name));
    }

    Map<String, Object> workload(String name) {
        return workloads().stream()
                .filter(r -> name.equals(Tree.text(r, "metadata", "name")))
                .findFirst()
                .orElseThrow(() -> new AssertionError(overlay + " renders no workload " + name));
    }
}
