package io.faultline.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.faultline.devstack.FreePorts;
import io.faultline.devstack.KafkaTestClient;
import io.faultline.schemas.ClassifiedError;
import io.faultline.schemas.topics.Topics;
import io.sentry.Sentry;
import io.sentry.protocol.SentryId;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The configuration the deployments ship, run: each overlay is rendered, every Deployment's
 * environment is taken exactly as rendered (values, Secrets, ConfigMaps, the downward API, the
 * files its volumes mount), only the cluster's host names become local addresses, and the five
 * service jars start with it against the embedded broker and database standing in for Strimzi's
 * and CloudNativePG's clusters, with the authentication the manifests configure: SCRAM-SHA-512
 * over TLS and the KafkaUsers' ACLs for Kafka, verified TLS and a password for PostgreSQL. An
 * event sent by the official Sentry Java SDK to the DSN must come out classified and be shown by
 * the dashboard API. The same for docker-compose.yml's environment, against a broker with the
 * settings Compose gives its own (SCRAM-SHA-512 on the client listener, StandardAuthorizer) and
 * the users and ACLs its kafka-init service creates.
 */
class DeployedConfigurationIT {

    private static final Path REPO = Path.of(
                    System.getenv("FAULTLINE_REPO") != null ? System.getenv("FAULTLINE_REPO") : "..")
            .toAbsolutePath()
            .normalize();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern COMPOSE_VARIABLE =
            Pattern.compile("\\$\\$|\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[?-])([^}]*))?}");
    private static final Pattern KUBERNETES_VARIABLE = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");

    @ParameterizedTest(name = "overlay {0}")
    @ValueSource(strings = {"prod", "dev"})
    void theOverlaysConfigurationRunsAndAnEventReachesTheDashboard(String overlay) throws Exception {
        Manifests manifests = new Manifests(
                overlay, KustomizationRenderer.render(REPO.resolve("deploy/kubernetes/overlays/" + overlay)));
        Path home = home("overlay-" + overlay);
        try (LocalPlatform platform = LocalPlatform.start(home);
                ServiceProcesses services = new ServiceProcesses(home)) {
            Map<String, Map<String, String>> secrets = renderedData(manifests, "Secret", true);
            Map<String, Map<String, String>> configMaps = renderedData(manifests, "ConfigMap", false);
            Map<String, String> hosts = new LinkedHashMap<>();

            // what Strimzi's operators make: one Secret per KafkaUser, the cluster CA
            for (Map<String, Object> user : manifests.ofKind("KafkaUser")) {
                secrets.put(Tree.text(user, "metadata", "name"), platform.createKafkaUser(user));
            }
            Map<String, Object> kafka = only(manifests, "Kafka");
            String kafkaName = Tree.text(kafka, "metadata", "name");
            secrets.put(kafkaName + "-cluster-ca-cert", Map.of("ca.crt", Files.readString(platform.kafkaCa)));
            for (Map<String, Object> listener : Tree.maps(kafka, "spec", "kafka", "listeners")) {
                hosts.put(kafkaName + "-kafka-bootstrap:" + listener.get("port"), platform.saslBootstrap());
            }
            // what CloudNativePG makes: the application owner's Secret and the server CA
            Map<String, Object> cluster = only(manifests, "Cluster");
            String clusterName = Tree.text(cluster, "metadata", "name");
            secrets.put(
                    clusterName + "-app",
                    platform.createApplicationOwner(
                            Tree.text(cluster, "spec", "bootstrap", "initdb", "database"),
                            Tree.text(cluster, "spec", "bootstrap", "initdb", "owner"),
                            LocalPlatform.Certificates.randomHex(16),
                            true));
            secrets.put(clusterName + "-ca", Map.of("ca.crt", Files.readString(platform.postgresCa)));
            for (String suffix : List.of("-rw", "-ro", "-r")) {
                hosts.put(clusterName + suffix + ":5432", "127.0.0.1:" + platform.postgresPort());
            }
            // what docs/operations.md ("3. Secrets") tells the operator to create, generated the same way
            secrets.put(
                    "faultline-admin",
                    Map.of(
                            "token", hex(32),
                            "user", "admin",
                            "password", hex(16),
                            "session-secret", hex(32)));
            secrets.put("faultline-ingest", Map.of("default-project-key", hex(16), "user-hmac-key", hex(32)));

            Map<String, Map<String, String>> environments = new LinkedHashMap<>();
            for (String service : Overlays.SERVICES) {
                hosts.put("//" + service + ":8080", "//127.0.0.1:" + services.port(service));
            }
            for (String service : Overlays.SERVICES) {
                environments.put(
                        service,
                        podEnvironment(manifests.workload(service), secrets, configMaps, hosts, services, service));
            }
            services.start(environments);

            Map<String, String> ingest = environments.get("ingest-service");
            Map<String, String> dashboard = environments.get("dashboard-api");
            sendAndSee(
                    services,
                    platform,
                    ingest.get("FAULTLINE_DEFAULT_PROJECT_ID"),
                    ingest.get("FAULTLINE_DEFAULT_PROJECT_KEY"),
                    dashboard.get("FAULTLINE_ADMIN_TOKEN"),
                    "overlay " + overlay);
        }
    }

    @Test
    void composesConfigurationRunsAndAnEventReachesTheDashboard() throws Exception {
        Map<String, Object> compose = YamlDocuments.readOne(REPO.resolve("docker-compose.yml"));
        Map<String, String> variables = new HashMap<>();
        Path home = home("compose");
        try (LocalPlatform platform = LocalPlatform.startLikeCompose(home, ComposeKafka.brokerSettings(compose));
                ServiceProcesses services = new ServiceProcesses(home)) {
            // what kafka-init does once the broker is up: each service's SCRAM user, with the
            // password Compose hands it, and the ACLs it lists
            Map<String, String> init = composeEnvironment(compose, "kafka-init", variables);
            for (Map.Entry<String, String> user : ComposeKafka.users(compose).entrySet()) {
                assertThat(init).as("kafka-init's " + user.getValue()).containsKey(user.getValue());
                platform.createScramUser(user.getKey(), init.get(user.getValue()));
            }
            platform.grant(LocalPlatform.bindings(ComposeKafka.initAcls(compose)));
            Map<String, String> postgres = composeEnvironment(compose, "postgres", variables);
            platform.createApplicationOwner(
                    postgres.get("POSTGRES_DB"),
                    postgres.get("POSTGRES_USER"),
                    postgres.get("POSTGRES_PASSWORD"),
                    false);
            Map<String, String> hosts = new LinkedHashMap<>();
            hosts.put("kafka:9092", platform.saslBootstrap());
            hosts.put("postgres:5432", "127.0.0.1:" + platform.postgresPort());
            for (String service : Overlays.SERVICES) {
                // a service's own address included (FAULTLINE_CLASSIFIER_ADDRESS)
                hosts.put(service + ":8080", "127.0.0.1:" + services.port(service));
            }
            Map<String, Map<String, String>> environments = new LinkedHashMap<>();
            for (String service : Overlays.SERVICES) {
                Map<String, String> env = composeEnvironment(compose, service, variables);
                Map<String, Path> mounts = new LinkedHashMap<>();
                for (Object volume : Tree.list(compose, "services", service, "volumes")) {
                    String target = String.valueOf(volume).split(":")[1];
                    mounts.put(target, services.directory(service, target));
                }
                for (Object tmpfs : Tree.list(compose, "services", service, "tmpfs")) {
                    String target = String.valueOf(tmpfs).split(":")[0];
                    mounts.put(target, services.directory(service, target));
                }
                if (Tree.list(compose, "services", service, "tmpfs").isEmpty()) {
                    // the anchor's settings, merged by Compose
                    for (Object tmpfs : Tree.list(compose, "x-faultline-service", "tmpfs")) {
                        String target = String.valueOf(tmpfs).split(":")[0];
                        mounts.put(target, services.directory(service, target));
                    }
                }
                environments.put(service, localise(service, env, mounts, hosts, services));
            }
            services.start(environments);

            Map<String, String> ingest = environments.get("ingest-service");
            sendAndSee(
                    services,
                    platform,
                    ingest.get("FAULTLINE_DEFAULT_PROJECT_ID"),
                    ingest.get("FAULTLINE_DEFAULT_PROJECT_KEY"),
                    environments.get("dashboard-api").get("FAULTLINE_ADMIN_TOKEN"),
                    "compose");
        }
    }

    /**
     * The official Sentry Java SDK, given only the DSN, reports an exception; it must come out of
     * the classifier and be on the dashboard's overview.
     */
    private static void sendAndSee(
            ServiceProcesses services,
            LocalPlatform platform,
            String projectId,
            String projectKey,
            String adminToken,
            String what)
            throws Exception {
        String dsn = "http://" + projectKey + "@127.0.0.1:" + services.port("ingest-service") + "/" + projectId;
        Sentry.init(options -> {
            options.setDsn(dsn);
            options.setEnableUncaughtExceptionHandler(false);
            options.setShutdownTimeoutMillis(10_000);
        });
        SentryId id;
        try {
            id = Sentry.captureException(new DeployedConfigurationFailure("reported by the stack of " + what));
            Sentry.flush(15_000);
        } finally {
            Sentry.close();
        }
        String eventId = id.toString();

        KafkaTestClient kafka = new KafkaTestClient(platform.plainBootstrap());
        List<ConsumerRecord<String, byte[]>> classified = kafka.readUntil(
                Topics.ERRORS_CLASSIFIED.name(),
                records -> records.stream()
                        .anyMatch(
                                r -> classifiedEvent(r).getEvent().getEventId().equals(eventId)),
                Duration.ofSeconds(120));
        ClassifiedError error = classified.stream()
                .map(DeployedConfigurationIT::classifiedEvent)
                .filter(c -> c.getEvent().getEventId().equals(eventId))
                .findFirst()
                .orElseThrow(() -> new AssertionError(
                        what + ": event " + eventId + " was never classified; " + services.logTails()));
        assertThat(error.getGrouping().getComponents())
                .anyMatch(component -> component.contains(DeployedConfigurationFailure.class.getSimpleName()));

        Awaitility.await(what + ": group " + error.getGroupId() + " on the dashboard's overview")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                // an answer other than 200 is polled again until the deadline, then reported
                .ignoreExceptionsInstanceOf(AssertionError.class)
                .until(
                        () -> overview(services, adminToken).get("groups").findValuesAsText("groupId"),
                        groups -> groups.contains(error.getGroupId()));
    }

    private static JsonNode overview(ServiceProcesses services, String token) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(
                                "http://127.0.0.1:" + services.port("dashboard-api") + "/api/v1/overview?limit=500"))
                        .header("Authorization", "Bearer " + token)
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static ClassifiedError classifiedEvent(ConsumerRecord<String, byte[]> record) {
        return Topics.ERRORS_CLASSIFIED.valueSerde().deserializer().deserialize("t", record.value());
    }

    /**
     * A pod's environment as the kubelet builds it: the container's {@code env} in order
     * (values with {@code $(VAR)} expanded, Secret and ConfigMap keys, the downward API), then the
     * cluster's host names and the volumes' mount paths replaced by their local stand-ins.
     */
    private static Map<String, String> podEnvironment(
            Map<String, Object> workload,
            Map<String, Map<String, String>> secrets,
            Map<String, Map<String, String>> configMaps,
            Map<String, String> hosts,
            ServiceProcesses services,
            String service)
            throws IOException {
        Map<String, Object> container = Workloads.mainContainer(workload);
        Map<String, String> env = new LinkedHashMap<>();
        for (Map<String, Object> from : Tree.maps(container, "envFrom")) {
            Map<String, Object> secretRef = Tree.map(from, "secretRef");
            Map<String, Object> configMapRef = Tree.map(from, "configMapRef");
            Map<String, Map<String, String>> source = secretRef.isEmpty() ? configMaps : secrets;
            String name = Tree.text(secretRef.isEmpty() ? configMapRef : secretRef, "name");
            env.putAll(referenced(source, name, null, secretRef.isEmpty() ? configMapRef : secretRef, service));
        }
        for (Map<String, Object> variable : Tree.maps(container, "env")) {
            String name = Tree.text(variable, "name");
            if (variable.containsKey("value")) {
                Matcher m = KUBERNETES_VARIABLE.matcher(String.valueOf(variable.get("value")));
                env.put(name, m.replaceAll(r -> Matcher.quoteReplacement(env.getOrDefault(r.group(1), r.group()))));
                continue;
            }
            Map<String, Object> valueFrom = Tree.map(variable, "valueFrom");
            if (valueFrom.containsKey("secretKeyRef") || valueFrom.containsKey("configMapKeyRef")) {
                boolean secret = valueFrom.containsKey("secretKeyRef");
                Map<String, Object> ref = Tree.map(valueFrom, secret ? "secretKeyRef" : "configMapKeyRef");
                String key = Tree.text(ref, "key");
                Map<String, String> data =
                        referenced(secret ? secrets : configMaps, Tree.text(ref, "name"), key, ref, service);
                if (data.containsKey(key)) {
                    env.put(name, data.get(key));
                }
            } else if (valueFrom.containsKey("fieldRef")) {
                String field = Tree.text(valueFrom, "fieldRef", "fieldPath");
                env.put(
                        name,
                        switch (field) {
                            case "status.podIP", "status.hostIP" -> "127.0.0.1";
                            case "metadata.name" -> service + "-0";
                            case "metadata.namespace" -> Tree.text(workload, "metadata", "namespace");
                            default -> throw new AssertionError(
                                    service + ": fieldRef " + field + " has no local stand-in");
                        });
            } else {
                throw new AssertionError(service + ": " + name + " takes its value from " + valueFrom
                        + ", which this test cannot stand in for");
            }
        }

        // the volumes, mounted as the kubelet would: emptyDirs empty, Secrets and ConfigMaps as files
        Map<String, Map<String, Object>> volumes = new HashMap<>();
        Tree.maps(Workloads.podSpec(workload), "volumes").forEach(v -> volumes.put(Tree.text(v, "name"), v));
        Map<String, Path> mounts = new LinkedHashMap<>();
        for (Map<String, Object> mount : Tree.maps(container, "volumeMounts")) {
            assertThat(mount)
                    .as(service + ": subPath mounts are not stood in for")
                    .doesNotContainKey("subPath");
            String mountPath = Tree.text(mount, "mountPath");
            Path local = services.directory(service, mountPath);
            mounts.put(mountPath, local);
            Map<String, Object> volume = volumes.get(Tree.text(mount, "name"));
            for (String kind : List.of("secret", "configMap")) {
                if (volume.containsKey(kind)) {
                    Map<String, Object> source = Tree.map(volume, kind);
                    String name = Tree.text(source, kind.equals("secret") ? "secretName" : "name");
                    Map<String, String> data =
                            referenced(kind.equals("secret") ? secrets : configMaps, name, null, source, service);
                    List<Map<String, Object>> items = Tree.maps(source, "items");
                    if (items.isEmpty()) {
                        for (Map.Entry<String, String> e : data.entrySet()) {
                            Files.writeString(local.resolve(e.getKey()), e.getValue());
                        }
                    }
                    for (Map<String, Object> item : items) {
                        String key = Tree.text(item, "key");
                        assertThat(data).as(service + ": " + kind + " " + name).containsKey(key);
                        Path file = local.resolve(Tree.text(item, "path"));
                        Files.createDirectories(file.getParent());
                        Files.writeString(file, data.get(key));
                    }
                }
            }
        }
        return localise(service, env, mounts, hosts, services);
    }

    private static Map<String, String> referenced(
            Map<String, Map<String, String>> source, String name, String key, Map<String, Object> ref, String service) {
        Map<String, String> data = source.get(name);
        if (data == null || (key != null && !data.containsKey(key))) {
            // a pod whose required Secret or key is missing does not start (CreateContainerConfigError)
            assertThat(Boolean.TRUE.equals(ref.get("optional")))
                    .as(service + " needs " + name + (key == null ? "" : "/" + key) + ", which nothing creates")
                    .isTrue();
            return Map.of();
        }
        return data;
    }

    /**
     * The one change to a deployment's environment: where the cluster has a host name or a
     * mount path, the local stand-in. The service's own listening port moves off 8080 too, since
     * five processes share one host here.
     */
    private static Map<String, String> localise(
            String service,
            Map<String, String> env,
            Map<String, Path> mounts,
            Map<String, String> hosts,
            ServiceProcesses services) {
        Map<String, String> local = new LinkedHashMap<>();
        List<String> mountPaths = new ArrayList<>(mounts.keySet());
        mountPaths.sort(Comparator.comparingInt(String::length).reversed());
        for (Map.Entry<String, String> e : env.entrySet()) {
            String value = e.getValue();
            for (Map.Entry<String, String> host : hosts.entrySet()) {
                value = value.replace(host.getKey(), host.getValue());
            }
            // a pod's own address (the downward API's podIP) with the container's port
            value = value.replace("127.0.0.1:8080", "127.0.0.1:" + services.port(service));
            for (String mountPath : mountPaths) {
                if (value.equals(mountPath) || value.contains(mountPath + "/")) {
                    value = value.replace(mountPath, mounts.get(mountPath).toString());
                }
            }
            local.put(e.getKey(), value);
        }
        local.put("QUARKUS_HTTP_PORT", Integer.toString(services.port(service)));
        // every cluster address was mapped: nothing may still point into the cluster
        for (Map.Entry<String, String> e : local.entrySet()) {
            for (String host : hosts.keySet()) {
                String name = host.replaceFirst("^//", "").replaceFirst(":\\d+$", "");
                assertThat(e.getValue())
                        .as(service + ": " + e.getKey() + " still names the cluster host " + name)
                        .doesNotContain(name + ":");
            }
            assertThat(e.getValue())
                    .as(service + ": " + e.getKey())
                    .doesNotContain("/etc/faultline", "/var/lib/faultline");
        }
        Path tmp = mounts.get("/tmp");
        local.put(
                "FAULTLINE_TEST_TMPDIR",
                tmp != null
                        ? tmp.toString()
                        : services.directory(service, "/tmp").toString());
        return local;
    }

    /** A Compose service's {@code environment} with {@code ${VAR:?}}, {@code ${VAR:-}} and {@code $$} resolved. */
    private static Map<String, String> composeEnvironment(
            Map<String, Object> compose, String service, Map<String, String> variables) {
        Map<String, String> env = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e :
                Tree.map(compose, "services", service, "environment").entrySet()) {
            Matcher m = COMPOSE_VARIABLE.matcher(String.valueOf(e.getValue()));
            env.put(e.getKey(), m.replaceAll(r -> {
                if (r.group().equals("$$")) {
                    return "\\$";
                }
                String name = r.group(1);
                String operator = r.group(2);
                if (operator != null && operator.endsWith("?")) {
                    // a required variable: generated, as docs/operations.md ("Docker Compose") does
                    return Matcher.quoteReplacement(variables.computeIfAbsent(name, n -> hex(32)));
                }
                String set = variables.get(name);
                return Matcher.quoteReplacement(set != null ? set : operator != null ? r.group(3) : "");
            }));
        }
        return env;
    }

    private static Map<String, Map<String, String>> renderedData(Manifests manifests, String kind, boolean base64) {
        Map<String, Map<String, String>> all = new HashMap<>();
        for (Map<String, Object> resource : manifests.ofKind(kind)) {
            Map<String, String> data = new LinkedHashMap<>();
            Tree.map(resource, "data")
                    .forEach((k, v) -> data.put(
                            k,
                            base64
                                    ? new String(Base64.getDecoder().decode(String.valueOf(v)), StandardCharsets.UTF_8)
                                    : String.valueOf(v)));
            Tree.map(resource, "stringData").forEach((k, v) -> data.put(k, String.valueOf(v)));
            all.put(Tree.text(resource, "metadata", "name"), data);
        }
        return all;
    }

    private static Map<String, Object> only(Manifests manifests, String kind) {
        List<Map<String, Object>> resources = manifests.ofKind(kind);
        assertThat(resources).as(manifests.overlay() + " renders one " + kind).hasSize(1);
        return resources.get(0);
    }

    private static String hex(int bytes) {
        return LocalPlatform.Certificates.randomHex(bytes);
    }

    private static Path home(String name) throws IOException {
        Path home = Path.of("target", "deployed-configuration", name).toAbsolutePath();
        if (Files.exists(home)) {
            try (var walk = Files.walk(home)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        return Files.createDirectories(home);
    }

    /** The exception the SDK reports: a type of its own, so its group is this test's alone. */
    static final class DeployedConfigurationFailure extends RuntimeException {
        DeployedConfigurationFailure(String message) {
            super(message);
        }
    }

    /** The five service jars as processes, each with exactly the environment given. */
    static final class ServiceProcesses implements AutoCloseable {

        private final Path home;
        private final Map<String, Integer> ports = new HashMap<>();
        private final Map<String, Process> processes = new LinkedHashMap<>();

        ServiceProcesses(Path home) {
            this.home = home;
            Overlays.SERVICES.forEach(s -> ports.put(s, FreePorts.next()));
        }

        int port(String service) {
            return ports.get(service);
        }

        Path directory(String service, String mountPath) {
            try {
                return Files.createDirectories(home.resolve(service).resolve("mount" + mountPath.replace('/', '_')));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        void start(Map<String, Map<String, String>> environments) throws IOException {
            for (Map.Entry<String, Map<String, String>> e : environments.entrySet()) {
                String service = e.getKey();
                Map<String, String> env = new LinkedHashMap<>(e.getValue());
                String tmp = env.remove("FAULTLINE_TEST_TMPDIR");
                Path jar = REPO.resolve(service).resolve("target/quarkus-app/quarkus-run.jar");
                assertThat(jar).as("build the services first (mvn package)").exists();
                // -Xmx stands in for the container's memory limit, which MaxRAMPercentage reads
                ProcessBuilder pb = new ProcessBuilder(
                                "java",
                                "-Xmx384m",
                                "-XX:TieredStopAtLevel=1",
                                "-Djava.io.tmpdir=" + tmp,
                                "-jar",
                                jar.toString())
                        .directory(home.resolve(service).toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(home.resolve(service + ".log").toFile());
                // only what the deployment sets, as in a container
                String path = pb.environment().get("PATH");
                pb.environment().clear();
                pb.environment().put("PATH", path);
                pb.environment().putAll(env);
                Files.writeString(home.resolve(service + ".env"), String.join("\n", env.keySet()) + "\n");
                processes.put(service, pb.start());
            }
            Awaitility.await("the five services ready")
                    .atMost(Duration.ofSeconds(300))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> {
                        for (Map.Entry<String, Process> p : processes.entrySet()) {
                            if (!p.getValue().isAlive()) {
                                throw new AssertionError(
                                        p.getKey() + " exited " + p.getValue().exitValue() + ":\n"
                                                + tail(home.resolve(p.getKey() + ".log"), 60));
                            }
                        }
                        return processes.keySet().stream().allMatch(this::ready);
                    });
        }

        private boolean ready(String service) {
            try {
                return HTTP.send(
                                        HttpRequest.newBuilder(URI.create(
                                                        "http://127.0.0.1:" + port(service) + "/q/health/ready"))
                                                .timeout(Duration.ofSeconds(5))
                                                .build(),
                                        HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        String logTails() {
            StringBuilder out = new StringBuilder();
            processes
                    .keySet()
                    .forEach(s ->
                            out.append("\n--- ").append(s).append('\n').append(tail(home.resolve(s + ".log"), 20)));
            return out.toString();
        }

        private static String tail(Path log, int lines) {
            try {
                List<String> all = Files.readAllLines(log);
                return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
            } catch (IOException e) {
                return "(no log)";
            }
        }

        @Override
        public void close() throws InterruptedException {
            processes.values().forEach(Process::destroy);
            for (Process p : processes.values()) {
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
    }
}
