package io.faultline.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a deployment must not leave open: Kafka without authentication, a database connection that
 * does not check whom it talks to, credentials anybody can read in a file, ports on every
 * interface, and the settings the services need to be safe (admin token, user hashing, Secure
 * cookies) left unset.
 */
class SecureDefaultsTest {

    private static final Pattern CREDENTIAL =
            Pattern.compile(".*(TOKEN|PASSWORD|SECRET|_KEY|JAAS_CONFIG|WEBHOOK_URL)$");
    /** {@code ${NAME:?message}}: Compose refuses to start without NAME and prints the message. */
    private static final Pattern REQUIRED = Pattern.compile("\\$\\{([A-Z0-9_]+):\\?([^}]*)}");

    private static final Pattern REFERENCE = Pattern.compile("\\$\\{[^}]*}");
    private static final Pattern LITERAL_PASSWORD = Pattern.compile("password=\"[^\"]+\"");

    private final Map<String, Object> compose =
            YamlDocuments.readOne(Overlays.REPOSITORY.resolve("docker-compose.yml"));

    static List<String> overlays() {
        return Overlays.names();
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyKafkaListenerAuthenticatesAndAdmitsOnlyFaultlinesPods(String overlay) {
        Map<String, Object> kafka = Overlays.render(overlay).ofKind("Kafka").get(0);
        List<Map<String, Object>> listeners = Tree.maps(kafka, "spec", "kafka", "listeners");
        assertThat(listeners).isNotEmpty().allSatisfy(listener -> {
            String name = Tree.text(listener, "name");
            assertThat(Tree.text(listener, "authentication", "type"))
                    .as("authentication of listener " + name)
                    .isIn("scram-sha-512", "tls");
            assertThat(listener.get("tls")).as("TLS on listener " + name).isEqualTo(true);
            assertThat(Tree.maps(listener, "networkPolicyPeers"))
                    .as("networkPolicyPeers of listener " + name)
                    .singleElement()
                    .satisfies(peer -> assertThat(Tree.map(peer, "podSelector", "matchLabels"))
                            .containsEntry("app.kubernetes.io/part-of", "faultline"));
        });
        assertThat(Tree.text(kafka, "spec", "kafka", "authorization", "type")).isEqualTo("simple");
        assertThat(Tree.map(kafka, "spec", "entityOperator")).containsKey("userOperator");
    }

    /** Each service is its own KafkaUser, reached over TLS with the cluster's CA. */
    @ParameterizedTest
    @MethodSource("overlays")
    void eachServiceConnectsToKafkaAsItsOwnUserOverTls(String overlay) {
        Manifests manifests = Overlays.render(overlay);
        for (String service : Overlays.SERVICES) {
            Map<String, Object> workload = manifests.workload(service);
            Map<String, String> env = ManifestReferencesTest.env(Workloads.mainContainer(workload));
            String user = "faultline-" + service;
            assertThat(manifests.find("KafkaUser", user)).as(service).isPresent();
            List<String> prefixes = service.equals("classifier-service")
                    ? List.of("KAFKA_", "QUARKUS_KAFKA_STREAMS_")
                    : List.of("KAFKA_");
            for (String prefix : prefixes) {
                assertThat(env)
                        .as(service + " " + prefix + "*")
                        .containsEntry(prefix + "SECURITY_PROTOCOL", "SASL_SSL")
                        .containsEntry(prefix + "SASL_MECHANISM", "SCRAM-SHA-512")
                        .containsEntry(prefix + "SASL_JAAS_CONFIG", "secret:" + user + "/sasl.jaas.config")
                        .containsEntry(prefix + "SSL_TRUSTSTORE_TYPE", "PEM");
                String truststore = env.get(prefix + "SSL_TRUSTSTORE_LOCATION");
                assertThat(secretMountedAt(workload, truststore))
                        .as(service + " " + truststore)
                        .isEqualTo("faultline-cluster-ca-cert");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void impactServiceChecksTheDatabasesCertificate(String overlay) {
        Map<String, Object> workload = Overlays.render(overlay).workload("impact-service");
        Map<String, String> env = ManifestReferencesTest.env(Workloads.mainContainer(workload));

        assertThat(env.get("QUARKUS_DATASOURCE_JDBC_URL"))
                .contains("sslmode=verify-full")
                .contains("sslrootcert=/etc/faultline/db-ca/ca.crt");
        assertThat(env)
                .containsEntry("QUARKUS_DATASOURCE_REACTIVE_POSTGRESQL_SSL_MODE", "verify-full")
                .containsEntry("QUARKUS_DATASOURCE_REACTIVE_HOSTNAME_VERIFICATION_ALGORITHM", "HTTPS")
                .containsEntry("QUARKUS_DATASOURCE_REACTIVE_TRUST_CERTIFICATE_PEM", "true")
                .containsEntry(
                        "QUARKUS_DATASOURCE_REACTIVE_TRUST_CERTIFICATE_PEM_CERTS", "/etc/faultline/db-ca/ca.crt");
        assertThat(secretMountedAt(workload, "/etc/faultline/db-ca/ca.crt")).isEqualTo("faultline-db-ca");
    }

    /** Approvals and runbook reloads need the admin token; escalations the notification credentials. */
    @ParameterizedTest
    @MethodSource("overlays")
    void theResolverGetsTheAdminTokenAndNotificationCredentials(String overlay) {
        assertThat(env(overlay, "resolver-service"))
                .containsEntry("FAULTLINE_ADMIN_TOKEN", "secret:faultline-admin/token")
                .containsEntry("FAULTLINE_SLACK_WEBHOOK_URL", "secret:faultline-notifications/slack-webhook-url")
                .containsEntry(
                        "FAULTLINE_PAGERDUTY_ROUTING_KEY", "secret:faultline-notifications/pagerduty-routing-key");
    }

    /** Without the key, user ids, e-mails and IPs are stored in clear. */
    @ParameterizedTest
    @MethodSource("overlays")
    void ingestHashesUserIdentifiers(String overlay) {
        assertThat(env(overlay, "ingest-service"))
                .containsEntry("FAULTLINE_INGEST_SCRUBBING_USER_HMAC_KEY", "secret:faultline-ingest/user-hmac-key");
    }

    /** TLS ends at the Ingress in front of the dashboard: its session cookie must not travel in clear. */
    @ParameterizedTest
    @MethodSource("overlays")
    void theDashboardCookieIsSecure(String overlay) {
        assertThat(env(overlay, "dashboard-api")).containsEntry("FAULTLINE_SESSION_SECURE_COOKIE", "true");
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyCredentialComesFromASecret(String overlay) {
        for (String service : Overlays.SERVICES) {
            env(overlay, service).forEach((variable, value) -> {
                if (CREDENTIAL.matcher(variable).matches()) {
                    assertThat(value).as(service + " " + variable).startsWith("secret:");
                }
            });
        }
    }

    private static Map<String, String> env(String overlay, String service) {
        return ManifestReferencesTest.env(
                Workloads.mainContainer(Overlays.render(overlay).workload(service)));
    }

    /** A Sentry SDK refuses a DSN whose project id is not a number (sentry-python: BadDsn). */
    @ParameterizedTest
    @MethodSource("overlays")
    void theDefaultProjectIdIsOneADsnCanCarry(String overlay) {
        Map<String, String> ingest = ManifestReferencesTest.env(
                Workloads.mainContainer(Overlays.render(overlay).workload("ingest-service")));
        assertThat(ingest.get("FAULTLINE_DEFAULT_PROJECT_ID")).matches("[0-9]+");
        assertThat(Tree.text(compose, "services", "ingest-service", "environment", "FAULTLINE_DEFAULT_PROJECT_ID"))
                .matches("[0-9]+");
    }

    /**
     * Every credential in Compose is required from the environment, with a message naming it:
     * a value that holds one (a JAAS configuration holds a password) references only required
     * variables and writes no password down.
     */
    @Test
    void composeRefusesToStartWithoutEachCredential() {
        List<String> problems = new ArrayList<>();
        Tree.map(compose, "services").forEach((service, definition) -> Tree.map(definition, "environment")
                .forEach((variable, value) -> {
                    if (!CREDENTIAL.matcher(variable).matches()) {
                        return;
                    }
                    String text = String.valueOf(value);
                    if (variable.endsWith("JAAS_CONFIG") && !text.contains("password=")) {
                        return; // a broker's login module: it checks credentials, it holds none
                    }
                    boolean optionalChannel = variable.equals("FAULTLINE_SLACK_WEBHOOK_URL")
                            || variable.equals("FAULTLINE_PAGERDUTY_ROUTING_KEY");
                    if (optionalChannel && text.matches("\\$\\{[A-Z0-9_]+:-}")) {
                        return; // no default value: empty leaves the channel off
                    }
                    Matcher reference = REFERENCE.matcher(text);
                    int references = 0;
                    while (reference.find()) {
                        references++;
                        Matcher required = REQUIRED.matcher(reference.group());
                        if (!required.matches() || !required.group(2).contains(required.group(1))) {
                            problems.add(service + " " + variable + ": " + reference.group());
                        }
                    }
                    if (references == 0
                            || LITERAL_PASSWORD
                                    .matcher(REFERENCE.matcher(text).replaceAll(""))
                                    .find()) {
                        problems.add(service + " " + variable + ": " + text);
                    }
                }));
        assertThat(problems).isEmpty();
    }

    /**
     * Compose's Kafka: every listener another container can reach authenticates with
     * SCRAM-SHA-512 and the authorizer denies what no ACL allows; what needs no password (the
     * controller, the broker's own replication listener) answers on the container's loopback only.
     */
    @Test
    void composeKafkaAuthenticatesEveryListenerTheNetworkReaches() {
        Map<String, String> settings = ComposeKafka.brokerSettings(compose);
        Map<String, String> protocols = ComposeKafka.protocols(settings);
        Map<String, String> listeners = ComposeKafka.listeners(settings);
        assertThat(listeners).isNotEmpty();
        listeners.forEach((name, address) -> {
            if (address.startsWith("127.0.0.1:")) {
                return;
            }
            assertThat(protocols.getOrDefault(name, name))
                    .as("listener " + name + " on " + address)
                    .isIn("SASL_PLAINTEXT", "SASL_SSL");
            assertThat(settings)
                    .as("listener " + name)
                    .containsKey("listener.name." + name.toLowerCase(Locale.ROOT) + ".scram-sha-512.sasl.jaas.config");
        });
        assertThat(settings)
                .containsEntry("sasl.enabled.mechanisms", "SCRAM-SHA-512")
                .containsEntry("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer")
                .containsEntry("allow.everyone.if.no.acl.found", "false");
        // no service is a super user: the anonymous one is whoever uses a loopback listener
        assertThat(settings.getOrDefault("super.users", "").split(";"))
                .containsExactlyInAnyOrder("User:kafka-admin", "User:ANONYMOUS");
        assertThat(Tree.list(compose, "services", "kafka", "ports")).isEmpty();
    }

    /** Each service is its own Kafka user, with a password Compose requires and kafka-init sets. */
    @Test
    void eachComposeServiceConnectsToKafkaAsItsOwnUser() {
        Map<String, String> users = ComposeKafka.users(compose);
        Map<String, Object> init = Tree.map(compose, "services", "kafka-init", "environment");
        for (String service : Overlays.SERVICES) {
            String user = "faultline-" + service;
            assertThat(users).as(service + ": kafka-init sets its credentials").containsKey(user);
            String variable = users.get(user);
            assertThat(String.valueOf(init.get(variable)))
                    .as("kafka-init " + variable)
                    .startsWith("${" + variable + ":?");
            List<String> prefixes = service.equals("classifier-service")
                    ? List.of("KAFKA_", "QUARKUS_KAFKA_STREAMS_")
                    : List.of("KAFKA_");
            Map<String, Object> env = Tree.map(compose, "services", service, "environment");
            for (String prefix : prefixes) {
                assertThat(Tree.text(env, prefix + "SECURITY_PROTOCOL"))
                        .as(service + " " + prefix + "SECURITY_PROTOCOL")
                        .isEqualTo("SASL_PLAINTEXT");
                assertThat(Tree.text(env, prefix + "SASL_MECHANISM"))
                        .as(service + " " + prefix + "SASL_MECHANISM")
                        .isEqualTo("SCRAM-SHA-512");
                assertThat(Tree.text(env, prefix + "SASL_JAAS_CONFIG"))
                        .as(service + " " + prefix + "SASL_JAAS_CONFIG")
                        .startsWith("org.apache.kafka.common.security.scram.ScramLoginModule" + " required ")
                        .contains("username=\"" + user + "\"")
                        .contains("password=\"${" + variable + ":?");
            }
        }
        assertThat(Set.copyOf(users.values())).as("one password per user").hasSize(users.size());
    }

    @Test
    void composePublishesPortsOnTheLoopbackOnly() {
        Tree.map(compose, "services").forEach((service, definition) -> {
            for (Object port : Tree.list(definition, "ports")) {
                assertThat(String.valueOf(port)).as(service).startsWith("127.0.0.1:");
            }
        });
        assertThat(Tree.list(compose, "services", "ingest-service", "ports")).isNotEmpty();
    }

    /** RocksDB and lz4 load the native libraries they unpack into /tmp: a noexec /tmp stops them. */
    @Test
    void composeTmpAllowsTheNativeLibrariesToLoad() {
        for (String service : Overlays.SERVICES) {
            assertThat(Tree.list(compose, "services", service, "tmpfs"))
                    .as(service)
                    .anySatisfy(mount -> assertThat(String.valueOf(mount)).matches("/tmp:(.*,)?exec(,.*)?"));
        }
    }

    @Test
    void composeGivesTheServicesTheirCredentials() {
        assertThat(Tree.map(compose, "services", "resolver-service", "environment"))
                .containsKeys(
                        "FAULTLINE_ADMIN_TOKEN", "FAULTLINE_SLACK_WEBHOOK_URL", "FAULTLINE_PAGERDUTY_ROUTING_KEY");
        assertThat(Tree.map(compose, "services", "ingest-service", "environment"))
                .containsKey("FAULTLINE_INGEST_SCRUBBING_USER_HMAC_KEY");
    }

    /** The name of the Secret whose volume holds {@code path}, or null. */
    private static String secretMountedAt(Map<String, Object> workload, String path) {
        if (path == null) {
            return null;
        }
        String directory = path.substring(0, path.lastIndexOf('/'));
        return Tree.maps(Workloads.mainContainer(workload), "volumeMounts").stream()
                .filter(m -> directory.equals(m.get("mountPath")))
                .map(m -> Tree.text(m, "name"))
                .flatMap(name -> Tree.maps(Workloads.podSpec(workload), "volumes").stream()
                        .filter(v -> name.equals(v.get("name"))))
                .map(v -> Tree.text(v, "secret", "secretName"))
                .findFirst()
                .orElse(null);
    }
}
