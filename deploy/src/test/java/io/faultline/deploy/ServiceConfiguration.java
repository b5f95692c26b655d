package io.faultline.deploy;

import java.util.List;
import java.util.Map;

/**
 * The environment variables each service reads in a container, the contract between the services'
 * configuration and both deployments (Kubernetes and compose).
 */
final class ServiceConfiguration {

    private static final List<String> COMMON =
            List.of("QUARKUS_HTTP_PORT", "KAFKA_BOOTSTRAP_SERVERS", "JAVA_TOOL_OPTIONS");

    private static final Map<String, List<String>> OWN = Map.of(
            "ingest-service",
                    List.of("FAULTLINE_DEFAULT_PROJECT_ID", "FAULTLINE_DEFAULT_PROJECT_KEY", "FAULTLINE_ADMIN_TOKEN"),
            "classifier-service",
                    List.of(
                            "QUARKUS_KAFKA_STREAMS_BOOTSTRAP_SERVERS",
                            "KAFKA_STREAMS_STATE_DIR",
                            "KAFKA_STREAMS_NUM_STANDBY_REPLICAS",
                            "KAFKA_STREAMS_REPLICATION_FACTOR",
                            "FAULTLINE_CLASSIFICATION_RULES_FILE",
                            "POD_IP",
                            "FAULTLINE_CLASSIFIER_ADDRESS"),
            "resolver-service", List.of("FAULTLINE_RUNBOOKS_FILE", "FAULTLINE_STATE_DIR"),
            "impact-service",
                    List.of(
                            "QUARKUS_DATASOURCE_REACTIVE_URL",
                            "QUARKUS_DATASOURCE_JDBC_URL",
                            "QUARKUS_DATASOURCE_USERNAME",
                            "QUARKUS_DATASOURCE_PASSWORD",
                            "FAULTLINE_WORKFLOWS_FILE"),
            "dashboard-api",
                    List.of(
                            "FAULTLINE_ADMIN_TOKEN",
                            "FAULTLINE_ADMIN_USER",
                            "FAULTLINE_ADMIN_PASSWORD",
                            "FAULTLINE_SESSION_SECRET",
                            "FAULTLINE_IMPACT_URL"));

    private ServiceConfiguration() {}

    static List<String> keys(String service) {
        List<String> own = OWN.get(service);
        if (own == null) {
            throw new IllegalArgumentException("unknown service " + service);
        }
        return java.util.stream.Stream.concat(COMMON.stream(), own.stream()).toList();
    }
}
