package io.faultline.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.faultline.schemas.topics.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every name, port, selector and file path one resource uses resolves to another resource. */
class ManifestReferencesTest {

    /**
     * Secrets that exist without kustomize: CloudNativePG keeps the database owner's credentials
     * ({@code <cluster>-app}) and its CA ({@code <cluster>-ca}); Strimzi the cluster CA
     * ({@code <kafka>-cluster-ca-cert}) and one Secret per KafkaUser.
     */
    static Set<String> generatedByOperators(Manifests manifests) {
        Set<String> names = new HashSet<>();
        manifests.ofKind("Cluster").forEach(c -> {
            names.add(Tree.text(c, "metadata", "name") + "-app");
            names.add(Tree.text(c, "metadata", "name") + "-ca");
        });
        manifests.ofKind("Kafka").forEach(k -> names.add(Tree.text(k, "metadata", "name") + "-cluster-ca-cert"));
        manifests.ofKind("KafkaUser").forEach(u -> names.add(Tree.text(u, "metadata", "name")));
        return names;
    }

    static List<String> overlays() {
        return Overlays.names();
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyServiceRunsTheReleaseImageNonRootOnAReadOnlyRoot(String overlay) {
        String tag = OperabilityTest.faultlineTag();
        for (String service : Overlays.SERVICES) {
            Map<String, Object> workload = Overlays.render(overlay).workload(service);
            Map<String, Object> container = Workloads.mainContainer(workload);
            Map<String, Object> pod = Workloads.podSpec(workload);

            assertThat(container.get("image")).as(service).isEqualTo("ghcr.io/faultline/" + service + ":" + tag);
            assertThat(Tree.at(pod, "securityContext", "runAsNonRoot"))
                    .as(service)
                    .contains(true);
            assertThat(Tree.at(container, "securityContext", "readOnlyRootFilesystem"))
                    .as(service)
                    .contains(true);
            assertThat(Tree.at(container, "securityContext", "allowPrivilegeEscalation"))
                    .as(service)
                    .contains(false);
            assertThat(Tree.list(container, "securityContext", "capabilities", "drop"))
                    .as(service)
                    .contains("ALL");
            assertThat(Tree.text(container, "resources", "requests", "memory"))
                    .as(service)
                    .isNotNull();
            assertThat(Tree.text(container, "resources", "limits", "memory"))
                    .as(service)
                    .isNotNull();

            String tmpVolume = Tree.maps(container, "volumeMounts").stream()
                    .filter(m -> "/tmp".equals(m.get("mountPath")))
                    .map(m -> Tree.text(m, "name"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(service + " mounts nothing writable at /tmp"));
            assertThat(Tree.maps(pod, "volumes"))
                    .filteredOn(v -> tmpVolume.equals(v.get("name")))
                    .singleElement()
                    .satisfies(v -> assertThat(v).containsKey("emptyDir"));
        }
    }

    /**
     * Each of the five services is an apps/v1 Deployment, rolled one surge pod at a time, with
     * startup, liveness and readiness probes on the Quarkus health endpoints.
     */
    @ParameterizedTest
    @MethodSource("overlays")
    void everyServiceIsADeploymentWithStartupLivenessAndReadinessProbes(String overlay) {
        Manifests manifests = Overlays.render(overlay);
        for (String service : Overlays.SERVICES) {
            Map<String, Object> workload = manifests.workload(service);
            assertThat(workload.get("kind")).as(service).isEqualTo("Deployment");
            assertThat(workload.get("apiVersion")).as(service).isEqualTo("apps/v1");
            assertThat(Tree.map(workload, "spec")).as(service).doesNotContainKey("volumeClaimTemplates");
            assertThat(Tree.text(workload, "spec", "strategy", "type"))
                    .as(service)
                    .isEqualTo("RollingUpdate");
            assertThat(Tree.at(workload, "spec", "strategy", "rollingUpdate", "maxUnavailable"))
                    .as(service)
                    .contains(0);
            assertThat(Tree.at(workload, "spec", "strategy", "rollingUpdate", "maxSurge"))
                    .as(service)
                    .contains(1);

            Map<String, Object> container = Workloads.mainContainer(workload);
            Map<String, String> endpoints = Map.of(
                    "startupProbe", "/q/health/started",
                    "livenessProbe", "/q/health/live",
                    "readinessProbe", "/q/health/ready");
            endpoints.forEach((probe, path) -> assertThat(Tree.text(container, probe, "httpGet", "path"))
                    .as(service + " " + probe)
                    .isEqualTo(path));
        }
        assertThat(manifests.workloads()).allSatisfy(w -> assertThat(w.get("kind"))
                .as(Tree.text(w, "metadata", "name"))
                .isEqualTo("Deployment"));
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void probesAndPortsAreTheQuarkusOnes(String overlay) {
        for (String service : Overlays.SERVICES) {
            Map<String, Object> container =
                    Workloads.mainContainer(Overlays.render(overlay).workload(service));

            assertThat(Tree.maps(container, "ports"))
                    .as(service)
                    .singleElement()
                    .satisfies(p -> {
                        assertThat(p.get("name")).isEqualTo("http");
                        assertThat(p.get("containerPort")).isEqualTo(8080);
                    });
            assertThat(env(container)).as(service).containsEntry("QUARKUS_HTTP_PORT", "8080");
            assertThat(Tree.text(container, "startupProbe", "httpGet", "path")).isEqualTo("/q/health/started");
            assertThat(Tree.text(container, "livenessProbe", "httpGet", "path")).isEqualTo("/q/health/live");
            assertThat(Tree.text(container, "readinessProbe", "httpGet", "path"))
                    .isEqualTo("/q/health/ready");
            for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
                assertThat(Tree.text(container, probe, "httpGet", "port"))
                        .as(service + " " + probe)
                        .isEqualTo("http");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void secretAndConfigMapReferencesResolve(String overlay) throws IOException {
        Manifests manifests = Overlays.render(overlay);
        String guide = Files.readString(Overlays.REPOSITORY.resolve("docs/operations.md"));

        for (Map<String, Object> workload : manifests.workloads()) {
            String service = Tree.text(workload, "metadata", "name");
            Map<String, Object> container = Workloads.mainContainer(workload);
            for (Map<String, Object> variable : Tree.maps(container, "env")) {
                String secret = Tree.text(variable, "valueFrom", "secretKeyRef", "name");
                if (secret == null) {
                    continue;
                }
                String key = Tree.text(variable, "valueFrom", "secretKeyRef", "key");
                var rendered = manifests.find("Secret", secret);
                if (rendered.isPresent()) {
                    assertThat(Tree.map(rendered.get(), "data")).as(secret).containsKey(key);
                } else {
                    // created outside kustomize: by an operator, or by the person installing,
                    // who finds the command in the guide
                    assertThat(generatedByOperators(manifests).contains(secret) || guide.contains(secret))
                            .as("%s: Secret %s is neither rendered, nor generated, nor documented", service, secret)
                            .isTrue();
                }
            }
            for (Map<String, Object> volume : Tree.maps(Workloads.podSpec(workload), "volumes")) {
                String secretVolume = Tree.text(volume, "secret", "secretName");
                if (secretVolume != null) {
                    assertThat(generatedByOperators(manifests).contains(secretVolume)
                                    || manifests.find("Secret", secretVolume).isPresent()
                                    || guide.contains(secretVolume))
                            .as(
                                    "%s: Secret volume %s is neither rendered, nor generated, nor documented",
                                    service, secretVolume)
                            .isTrue();
                }
                String configMap = Tree.text(volume, "configMap", "name");
                if (configMap != null) {
                    assertThat(manifests.find("ConfigMap", configMap))
                            .as(service + " " + configMap)
                            .isPresent();
                }
            }
            Set<String> volumeNames = new HashSet<>();
            Tree.maps(Workloads.podSpec(workload), "volumes").forEach(v -> volumeNames.add(Tree.text(v, "name")));
            for (Map<String, Object> mount : Tree.maps(container, "volumeMounts")) {
                assertThat(volumeNames).as(service).contains(Tree.text(mount, "name"));
            }
        }
    }

    /**
     * The root filesystem is read-only: a state directory (the classifier's stores, the resolver's
     * attempt journal) must be a writable volume, or the service fails when it first writes there.
     */
    @ParameterizedTest
    @MethodSource("overlays")
    void stateDirectoriesAreWritableVolumes(String overlay) {
        Manifests manifests = Overlays.render(overlay);
        Set<String> withState = new HashSet<>();
        for (String service : Overlays.SERVICES) {
            Map<String, Object> container = Workloads.mainContainer(manifests.workload(service));
            env(container).forEach((key, dir) -> {
                if (!key.endsWith("STATE_DIR")) {
                    return;
                }
                withState.add(service);
                Map<String, Object> mount = Tree.maps(container, "volumeMounts").stream()
                        .filter(m -> dir.equals(m.get("mountPath")))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError(service + ": nothing is mounted at " + key + "=" + dir));
                assertThat(mount.get("readOnly")).as(service + " " + dir).isNotEqualTo(true);
            });
        }
        assertThat(withState).contains("classifier-service", "resolver-service");
    }

    /** Each dashboard replica must check the cookies the others signed, or a session ends at the next pod. */
    @ParameterizedTest
    @MethodSource("overlays")
    void dashboardReplicasShareOneSessionKeyAndHaveAnAdminToLogIn(String overlay) {
        Map<String, Object> container =
                Workloads.mainContainer(Overlays.render(overlay).workload("dashboard-api"));
        for (String key : List.of("FAULTLINE_SESSION_SECRET", "FAULTLINE_ADMIN_USER", "FAULTLINE_ADMIN_PASSWORD")) {
            Map<String, Object> variable = Tree.maps(container, "env").stream()
                    .filter(v -> key.equals(v.get("name")))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("dashboard-api has no " + key));
            assertThat(Tree.text(variable, "valueFrom", "secretKeyRef", "name"))
                    .as(key)
                    .startsWith("faultline-admin"); // kustomize's generator adds a hash suffix
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void ruleFilesAreMountedWhereTheEnvironmentSaysTheyAre(String overlay) {
        Manifests manifests = Overlays.render(overlay);
        for (Map<String, Object> workload : manifests.workloads()) {
            Map<String, Object> container = Workloads.mainContainer(workload);
            for (Map.Entry<String, String> variable : env(container).entrySet()) {
                if (!variable.getKey().endsWith("_FILE") || variable.getValue().startsWith("classpath:")) {
                    continue;
                }
                String path = variable.getValue();
                String directory = path.substring(0, path.lastIndexOf('/'));
                String file = path.substring(path.lastIndexOf('/') + 1);
                Map<String, Object> mount = Tree.maps(container, "volumeMounts").stream()
                        .filter(m -> directory.equals(m.get("mountPath")))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError(variable + ": nothing is mounted at " + directory));
                String configMap = Tree.maps(Workloads.podSpec(workload), "volumes").stream()
                        .filter(v -> Tree.text(mount, "name").equals(v.get("name")))
                        .map(v -> Tree.text(v, "configMap", "name"))
                        .findFirst()
                        .orElseThrow();
                assertThat(Tree.map(manifests.get("ConfigMap", configMap), "data"))
                        .as(variable.toString())
                        .containsKey(file);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void servicesMonitorsBudgetsAndAutoscalersFindTheirPods(String overlay) {
        Manifests manifests = Overlays.render(overlay);
        for (Map<String, Object> service : manifests.ofKind("Service")) {
            String name = Tree.text(service, "metadata", "name");
            List<Map<String, Object>> selected = selectedWorkloads(manifests, Tree.map(service, "spec", "selector"));
            assertThat(selected).as("Service " + name).hasSize(1);
            Set<String> containerPorts = Tree.maps(Workloads.mainContainer(selected.get(0)), "ports").stream()
                    .map(p -> Tree.text(p, "name"))
                    .collect(Collectors.toSet());
            for (Map<String, Object> port : Tree.maps(service, "spec", "ports")) {
                assertThat(containerPorts).as("Service " + name).contains(Tree.text(port, "targetPort"));
            }
        }
        for (Map<String, Object> budget : manifests.ofKind("PodDisruptionBudget")) {
            assertThat(selectedWorkloads(manifests, Tree.map(budget, "spec", "selector", "matchLabels")))
                    .as("PDB " + Tree.text(budget, "metadata", "name"))
                    .hasSize(1);
        }
        for (Map<String, Object> monitor : manifests.ofKind("ServiceMonitor")) {
            Map<String, Object> selector = Tree.map(monitor, "spec", "selector", "matchLabels");
            List<Map<String, Object>> services = manifests.ofKind("Service").stream()
                    .filter(s -> Workloads.selects(selector, Tree.map(s, "metadata", "labels")))
                    .toList();
            assertThat(services)
                    .as("ServiceMonitor " + Tree.text(monitor, "metadata", "name"))
                    .hasSize(1);
            Set<String> ports = Tree.maps(services.get(0), "spec", "ports").stream()
                    .map(p -> Tree.text(p, "name"))
                    .collect(Collectors.toSet());
            for (Map<String, Object> endpoint : Tree.maps(monitor, "spec", "endpoints")) {
                assertThat(ports).contains(Tree.text(endpoint, "port"));
                assertThat(endpoint.get("path")).isEqualTo("/q/metrics");
            }
        }
        for (Map<String, Object> autoscaler : manifests.ofKind("HorizontalPodAutoscaler")) {
            String kind = Tree.text(autoscaler, "spec", "scaleTargetRef", "kind");
            String name = Tree.text(autoscaler, "spec", "scaleTargetRef", "name");
            assertThat(manifests.find(kind, name))
                    .as("HPA target " + kind + " " + name)
                    .isPresent();
            int min = (Integer) Tree.at(autoscaler, "spec", "minReplicas").orElseThrow();
            int max = (Integer) Tree.at(autoscaler, "spec", "maxReplicas").orElseThrow();
            assertThat(min).isPositive().isLessThanOrEqualTo(max);
            assertThat(kind).as("HPA target of " + name).isEqualTo("Deployment");
            if (name.equals("classifier-service")) {
                // a Kafka Streams replica beyond the partition count gets no active task
                assertThat(max).as("classifier replicas").isLessThanOrEqualTo(Topics.PARTITIONS);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void networkPoliciesSelectRealPods(String overlay) {
        Manifests manifests = Overlays.render(overlay);
        List<Map<String, Object>> podLabelSets = new ArrayList<>();
        manifests.workloads().forEach(w -> podLabelSets.add(Workloads.podLabels(w)));
        // CloudNativePG labels its instance pods cnpg.io/cluster=<cluster name>
        manifests
                .ofKind("Cluster")
                .forEach(c -> podLabelSets.add(Map.of("cnpg.io/cluster", Tree.text(c, "metadata", "name"))));

        for (Map<String, Object> policy : manifests.ofKind("NetworkPolicy")) {
            String name = Tree.text(policy, "metadata", "name");
            List<Map<String, Object>> selectors = new ArrayList<>();
            selectors.add(Tree.map(policy, "spec", "podSelector", "matchLabels"));
            for (Map<String, Object> rule : Tree.maps(policy, "spec", "ingress")) {
                for (Map<String, Object> peer : Tree.maps(rule, "from")) {
                    if (peer.containsKey("podSelector")) {
                        selectors.add(Tree.map(peer, "podSelector", "matchLabels"));
                    }
                }
            }
            for (Map<String, Object> selector : selectors) {
                if (selector.isEmpty()) {
                    continue; // {} selects every pod
                }
                assertThat(podLabelSets.stream().anyMatch(labels -> Workloads.selects(selector, labels)))
                        .as("NetworkPolicy %s selector %s", name, selector)
                        .isTrue();
            }
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void theResolversRbacIsBoundAndScopedToDeployments(String overlay) {
        Manifests manifests = Overlays.render(overlay);
        String namespace = Tree.text(manifests.ofKind("Namespace").get(0), "metadata", "name");
        for (Map<String, Object> workload : manifests.workloads()) {
            String account = Tree.text(Workloads.podSpec(workload), "serviceAccountName");
            if (account != null) {
                assertThat(manifests.find("ServiceAccount", account))
                        .as(account)
                        .isPresent();
            }
        }
        assertThat(Tree.text(Workloads.podSpec(manifests.workload("resolver-service")), "serviceAccountName"))
                .isEqualTo("resolver-service");
        for (Map<String, Object> binding : manifests.ofKind("ClusterRoleBinding")) {
            assertThat(manifests.find("ClusterRole", Tree.text(binding, "roleRef", "name")))
                    .isPresent();
            for (Map<String, Object> subject : Tree.maps(binding, "subjects")) {
                assertThat(subject.get("namespace")).isEqualTo(namespace);
                assertThat(manifests.find("ServiceAccount", Tree.text(subject, "name")))
                        .isPresent();
            }
        }
        Map<String, Object> remediation = manifests.get("ClusterRole", namespace + "-remediation");
        Set<String> resources = new HashSet<>();
        Set<String> verbs = new HashSet<>();
        for (Map<String, Object> rule : Tree.maps(remediation, "rules")) {
            Tree.list(rule, "resources").forEach(r -> resources.add(String.valueOf(r)));
            Tree.list(rule, "verbs").forEach(v -> verbs.add(String.valueOf(v)));
        }
        assertThat(resources).contains("deployments", "deployments/scale").doesNotContain("secrets", "*");
        assertThat(verbs).contains("patch").doesNotContain("delete", "create", "*");
        // nothing in the platform's own install grants remediation rights: target namespaces opt in
        assertThat(manifests.ofKind("RoleBinding")).isEmpty();
        assertThat(manifests.ofKind("ClusterRoleBinding"))
                .noneMatch(b -> (namespace + "-remediation").equals(Tree.text(b, "roleRef", "name")));
    }

    /** Endpoints in the environment point at what the overlay really creates. */
    @ParameterizedTest
    @MethodSource("overlays")
    void endpointsPointAtTheKafkaDatabaseAndServicesRendered(String overlay) {
        Manifests manifests = Overlays.render(overlay);
        String kafka = Tree.text(manifests.ofKind("Kafka").get(0), "metadata", "name");
        Map<String, Object> listener =
                Tree.maps(manifests.ofKind("Kafka").get(0), "spec", "kafka", "listeners").stream()
                        .filter(l -> Boolean.TRUE.equals(l.get("tls")) && l.containsKey("authentication"))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("no authenticated TLS listener"));
        String bootstrap = kafka + "-kafka-bootstrap:" + listener.get("port");
        Map<String, Object> cluster = manifests.ofKind("Cluster").get(0);
        String database = Tree.text(cluster, "spec", "bootstrap", "initdb", "database");
        String host = Tree.text(cluster, "metadata", "name") + "-rw";

        for (Map<String, Object> workload : manifests.workloads()) {
            Map<String, String> env = env(Workloads.mainContainer(workload));
            assertThat(env.get("KAFKA_BOOTSTRAP_SERVERS")).isEqualTo(bootstrap);
            if (env.containsKey("QUARKUS_KAFKA_STREAMS_BOOTSTRAP_SERVERS")) {
                assertThat(env.get("QUARKUS_KAFKA_STREAMS_BOOTSTRAP_SERVERS")).isEqualTo(bootstrap);
            }
            if (env.containsKey("QUARKUS_DATASOURCE_JDBC_URL")) {
                assertThat(env.get("QUARKUS_DATASOURCE_JDBC_URL"))
                        .startsWith("jdbc:postgresql://" + host + ":5432/" + database + "?");
                assertThat(env.get("QUARKUS_DATASOURCE_REACTIVE_URL"))
                        .isEqualTo("postgresql://" + host + ":5432/" + database);
                String owner = "secret:" + Tree.text(cluster, "metadata", "name") + "-app/";
                assertThat(env.get("QUARKUS_DATASOURCE_USERNAME")).isEqualTo(owner + "username");
                assertThat(env.get("QUARKUS_DATASOURCE_PASSWORD")).isEqualTo(owner + "password");
            }
            if (env.containsKey("FAULTLINE_IMPACT_URL")) {
                assertThat(env.get("FAULTLINE_IMPACT_URL")).isEqualTo("http://impact-service:8080");
                assertThat(manifests.find("Service", "impact-service")).isPresent();
            }
        }
        for (Map<String, Object> pool : manifests.ofKind("KafkaNodePool")) {
            assertThat(Tree.text(pool, "metadata", "labels", "strimzi.io/cluster"))
                    .isEqualTo(kafka);
        }
        Set<Object> roles = new HashSet<>();
        manifests.ofKind("KafkaNodePool").forEach(p -> roles.addAll(Tree.list(p, "spec", "roles")));
        assertThat(roles).contains("controller", "broker");
    }

    /** The environment as plain values; a variable from a Secret shows as "secret:name/key". */
    static Map<String, String> env(Map<String, Object> container) {
        Map<String, String> env = new java.util.LinkedHashMap<>();
        for (Map<String, Object> variable : Tree.maps(container, "env")) {
            String secret = Tree.text(variable, "valueFrom", "secretKeyRef", "name");
            env.put(
                    Tree.text(variable, "name"),
                    secret != null
                            ? "secret:" + secret + "/" + Tree.text(variable, "valueFrom", "secretKeyRef", "key")
                            : Tree.text(variable, "value"));
        }
        return env;
    }

    private static List<Map<String, Object>> selectedWorkloads(Manifests manifests, Map<String, Object> selector) {
        return manifests.workloads().stream()
                .filter(w -> Workloads.selects(selector, Workloads.podLabels(w)))
                .toList();
    }
}
