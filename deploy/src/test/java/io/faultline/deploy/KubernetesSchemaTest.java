package io.faultline.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Built-in kinds read into the fabric8 Kubernetes model: a field the API does not know (a typo
 * such as {@code readOnlyRootFilesytem}) would be silently dropped by the API server, so here it
 * fails. Custom resources (Strimzi, CloudNativePG, ServiceMonitor) are checked by the other tests.
 */
class KubernetesSchemaTest {

    private static final Map<String, Class<? extends HasMetadata>> MODELS = Map.ofEntries(
            Map.entry("apps/v1/Deployment", Deployment.class),
            Map.entry("v1/Service", Service.class),
            Map.entry("v1/ServiceAccount", ServiceAccount.class),
            Map.entry("v1/ConfigMap", ConfigMap.class),
            Map.entry("v1/Secret", Secret.class),
            Map.entry("v1/Namespace", Namespace.class),
            Map.entry("autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class),
            Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
            Map.entry("rbac.authorization.k8s.io/v1/ClusterRole", ClusterRole.class),
            Map.entry("rbac.authorization.k8s.io/v1/ClusterRoleBinding", ClusterRoleBinding.class),
            Map.entry("rbac.authorization.k8s.io/v1/RoleBinding", RoleBinding.class));

    private static final ObjectMapper JSON = new ObjectMapper();

    static List<String> overlays() {
        return Overlays.names();
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void builtInKindsHoldOnlyFieldsTheApiKnows(String overlay) {
        List<String> unknown = new ArrayList<>();
        for (Map<String, Object> resource : Overlays.render(overlay).resources()) {
            String kind = resource.get("apiVersion") + "/" + resource.get("kind");
            if (String.valueOf(resource.get("apiVersion")).contains(".") && !MODELS.containsKey(kind)) {
                continue; // a custom resource
            }
            Class<? extends HasMetadata> model = MODELS.get(kind);
            assertThat(model)
                    .as("no model for %s: an unexpected kind or API version", kind)
                    .isNotNull();
            collectUnknownFields(
                    JSON.convertValue(resource, model), kind + " " + Tree.text(resource, "metadata", "name"), unknown);
        }
        assertThat(unknown).isEmpty();
    }

    @Test
    void aMisspeltFieldIsFound() {
        Map<String, Object> deployment = Tree.copy(Overlays.render("dev").workload("ingest-service"));
        Tree.map(Workloads.mainContainer(deployment), "securityContext").put("readOnlyRootFilesytem", true);
        List<String> unknown = new ArrayList<>();

        collectUnknownFields(JSON.convertValue(deployment, Deployment.class), "ingest-service", unknown);

        assertThat(unknown).singleElement().asString().contains("readOnlyRootFilesytem");
    }

    private static void collectUnknownFields(Object node, String path, List<String> unknown) {
        if (node instanceof Collection<?> elements) {
            int index = 0;
            for (Object element : elements) {
                collectUnknownFields(element, path + "[" + index++ + "]", unknown);
            }
            return;
        }
        if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> collectUnknownFields(value, path + "." + key, unknown));
            return;
        }
        if (node == null || !node.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method getter : node.getClass().getMethods()) {
            if (getter.getParameterCount() != 0
                    || !getter.getName().startsWith("get")
                    || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            Object value;
            try {
                value = getter.invoke(node);
            } catch (IllegalAccessException | InvocationTargetException e) {
                continue; // computed accessors (e.g. Quantity's numerical amount) may throw
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    unknown.add(path + ": " + extra.keySet());
                }
            } else {
                collectUnknownFields(value, path + "." + getter.getName().substring(3), unknown);
            }
        }
    }
}
