package io.faultline.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Access to the pod template of workload resources. */
final class Workloads {

    static final Set<String> KINDS = Set.of("Deployment", "StatefulSet", "DaemonSet");

    private Workloads() {}

    static boolean isWorkload(Map<String, Object> resource) {
        return KINDS.contains(String.valueOf(resource.get("kind")));
    }

    static Map<String, Object> podSpec(Map<String, Object> resource) {
        return Tree.map(resource, "spec", "template", "spec");
    }

    static Map<String, Object> podLabels(Map<String, Object> resource) {
        return Tree.map(resource, "spec", "template", "metadata", "labels");
    }

    static List<Map<String, Object>> containers(Map<String, Object> resource) {
        if (!isWorkload(resource)) {
            return List.of();
        }
        List<Map<String, Object>> containers = new ArrayList<>(Tree.maps(podSpec(resource), "initContainers"));
        containers.addAll(Tree.maps(podSpec(resource), "containers"));
        return containers;
    }

    /** The one application container of a Faultline workload. */
    static Map<String, Object> mainContainer(Map<String, Object> resource) {
        List<Map<String, Object>> containers = Tree.maps(podSpec(resource), "containers");
        if (containers.size() != 1) {
            throw new AssertionError(
                    Tree.text(resource, "metadata", "name") + " has " + containers.size() + " containers");
        }
        return containers.get(0);
    }

    /** Whether every key/value of {@code selector} is among {@code labels}. */
    static boolean selects(Map<String, Object> selector, Map<String, Object> labels) {
        return !selector.isEmpty()
                && selector.entrySet().stream()
                        .allMatch(e -> String.valueOf(e.getValue()).equals(String.valueOf(labels.get(e.getKey()))));
    }
}
