package io.faultline.resolver.strategy;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;

/**
 * Restarts or scales a deployment. Parameters: {@code operation} ({@code restart} or
 * {@code scale}), {@code deployment} (required), {@code namespace} (default), {@code replicas}
 * (for scale).
 */
@ApplicationScoped
public class KubernetesStrategy implements RemediationStrategy {

    private final ClusterClient cluster;

    public KubernetesStrategy(ClusterClient cluster) {
        this.cluster = cluster;
    }

    @Override
    public String name() {
        return "kubernetes";
    }

    @Override
    public ActionOutcome execute(ActionRequest request) throws Exception {
        Map<String, String> vars = request.variables();
        String namespace =
                TemplateRenderer.render(request.optional("namespace", "default"), vars, TemplateRenderer.PLAIN);
        String deployment = TemplateRenderer.render(request.required("deployment"), vars, TemplateRenderer.PLAIN);
        String operation = request.optional("operation", "restart");
        Map<String, String> details = Map.of("namespace", namespace, "deployment", deployment, "operation", operation);
        return switch (operation) {
            case "restart" -> ActionOutcome.success(cluster.rolloutRestart(namespace, deployment), details);
            case "scale" -> {
                int replicas = Integer.parseInt(request.required("replicas"));
                yield ActionOutcome.success(cluster.scale(namespace, deployment, replicas), details);
            }
            default -> throw new IllegalArgumentException(
                    "operation must be restart or scale, not '" + operation + "'");
        };
    }
}
