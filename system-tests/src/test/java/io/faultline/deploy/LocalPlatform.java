package io.faultline.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.faultline.devstack.EmbeddedKafkaBroker;
import io.faultline.devstack.EmbeddedPostgresServer;
import io.faultline.devstack.FreePorts;
import io.faultline.schemas.topics.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * What the operators provide in a cluster, played locally: the embedded broker for Strimzi's
 * Kafka (a SASL_SSL listener with SCRAM-SHA-512, a certificate from a CA of its own, the
 * KafkaUsers' credentials and ACLs enforced by KRaft's StandardAuthorizer) and the embedded
 * PostgreSQL for CloudNativePG's cluster (TLS from another CA, the application owner
 * authenticated by SCRAM over TLS only). A PLAINTEXT listener on the loopback stays for the test's
 * own clients and the inter-broker traffic; it is the super user, like Strimzi's internal
 * replication listener. For docker-compose.yml, the broker takes the settings Compose gives its
 * own, only its listeners moved to local ports.
 */
final class LocalPlatform implements AutoCloseable {

    static final String SCRAM_LOGIN = "org.apache.kafka.common.security.scram.ScramLoginModule";

    final Path home;
    final int saslPort = FreePorts.next();
    final EmbeddedKafkaBroker kafka;
    final EmbeddedPostgresServer postgres;
    final Path kafkaCa;
    final Path postgresCa;

    private LocalPlatform(Path home, boolean secured, Map<String, String> composeBroker) throws Exception {
        this.home = home;
        kafkaCa = secured ? Certificates.issue(home.resolve("kafka-tls")) : null;
        postgresCa = secured ? Certificates.issue(home.resolve("postgres-tls")) : null;
        int plainPort = FreePorts.next();
        int controllerPort = FreePorts.next();
        kafka = new EmbeddedKafkaBroker(home.resolve("kafka"), plainPort, controllerPort);
        if (secured) {
            Path tls = home.resolve("kafka-tls");
            Map<String, String> settings = new LinkedHashMap<>();
            settings.put(
                    "listeners",
                    "PLAINTEXT://127.0.0.1:" + plainPort + ",CONTROLLER://127.0.0.1:" + controllerPort
                            + ",SASL_SSL://127.0.0.1:" + saslPort);
            settings.put(
                    "advertised.listeners", "PLAINTEXT://127.0.0.1:" + plainPort + ",SASL_SSL://127.0.0.1:" + saslPort);
            settings.put(
                    "listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL_SSL:SASL_SSL");
            settings.put("sasl.enabled.mechanisms", "SCRAM-SHA-512");
            settings.put("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config", SCRAM_LOGIN + " required;");
            settings.put("ssl.keystore.type", "PEM");
            settings.put("ssl.keystore.location", tls.resolve("server.pem").toString());
            settings.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
            settings.put("allow.everyone.if.no.acl.found", "false");
            settings.put("super.users", "User:ANONYMOUS");
            kafka.withConfig(settings);
        }
        if (composeBroker != null) {
            kafka.withConfig(likeCompose(composeBroker, plainPort, controllerPort));
        }
        postgres = new EmbeddedPostgresServer(home.resolve("postgres"), FreePorts.next());
        if (secured) {
            Path tls = home.resolve("postgres-tls");
            postgres.withServerConfig("ssl", "on")
                    .withServerConfig("ssl_cert_file", tls.resolve("server.crt").toString())
                    .withServerConfig("ssl_key_file", tls.resolve("server.key").toString());
        }
    }

    /**
     * Kafka and PostgreSQL secured as the Kubernetes manifests demand: Kafka by SASL_SSL, the
     * database by TLS.
     */
    static LocalPlatform start(Path home) throws Exception {
        return started(new LocalPlatform(home, true, null));
    }

    /**
     * Kafka with the settings docker-compose.yml gives its broker ({@code composeBroker}, as
     * {@link ComposeKafka#brokerSettings} derives them), only its addresses made local;
     * PostgreSQL as Compose runs it (a password over plain TCP on its network).
     */
    static LocalPlatform startLikeCompose(Path home, Map<String, String> composeBroker) throws Exception {
        return started(new LocalPlatform(home, false, composeBroker));
    }

    private static LocalPlatform started(LocalPlatform platform) throws Exception {
        platform.kafka.start();
        platform.kafka.createTopics(Topics.all());
        platform.postgres.start();
        return platform;
    }

    /**
     * Compose's broker settings with each listener on a local port: the controller's and the
     * inter-broker listener's where the embedded broker expects them (its own admin client uses
     * the latter), the client listener on {@link #saslPort}; every host the loopback.
     */
    private Map<String, String> likeCompose(Map<String, String> composeBroker, int plainPort, int controllerPort) {
        Map<String, String> settings = new LinkedHashMap<>(composeBroker);
        String controller = composeBroker.get("controller.listener.names");
        String interBroker = composeBroker.get("inter.broker.listener.name");
        List<String> listeners = new ArrayList<>();
        List<String> advertised = new ArrayList<>();
        List<String> clientListeners = new ArrayList<>();
        for (String name : ComposeKafka.listeners(composeBroker).keySet()) {
            int port;
            if (name.equals(controller)) {
                port = controllerPort;
            } else if (name.equals(interBroker)) {
                port = plainPort;
            } else {
                port = saslPort;
                clientListeners.add(name);
            }
            listeners.add(name + "://127.0.0.1:" + port);
            if (!name.equals(controller)) {
                advertised.add(name + "://127.0.0.1:" + port);
            }
        }
        assertThat(clientListeners).as("Compose's client listeners").hasSize(1);
        assertThat(ComposeKafka.protocols(composeBroker).get(interBroker))
                .as("the embedded broker's own admin client needs no credentials on the inter-broker listener")
                .isEqualTo("PLAINTEXT");
        settings.put("listeners", String.join(",", listeners));
        settings.put("advertised.listeners", String.join(",", advertised));
        settings.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        // the embedded broker's own directory
        settings.remove("log.dirs");
        return settings;
    }

    String plainBootstrap() {
        return kafka.bootstrapServers();
    }

    String saslBootstrap() {
        return "127.0.0.1:" + saslPort;
    }

    int postgresPort() {
        return postgres.port();
    }

    /**
     * What Strimzi's User Operator does for a KafkaUser: SCRAM-SHA-512 credentials and the
     * user's ACLs, exactly as its spec lists them. Answers the Secret it would write.
     */
    Map<String, String> createKafkaUser(Map<String, Object> kafkaUser) throws Exception {
        String user = Tree.text(kafkaUser, "metadata", "name");
        String password = Certificates.randomHex(16);
        List<AclBinding> acls = new ArrayList<>();
        for (Map<String, Object> acl : Tree.maps(kafkaUser, "spec", "authorization", "acls")) {
            Map<String, Object> resource = Tree.map(acl, "resource");
            String type = Tree.text(resource, "type");
            ResourceType resourceType = ResourceType.fromString(snake(type));
            String name = resourceType == ResourceType.CLUSTER ? "kafka-cluster" : Tree.text(resource, "name");
            String pattern = Tree.text(resource, "patternType");
            ResourcePattern target = new ResourcePattern(
                    resourceType, name, "prefix".equals(pattern) ? PatternType.PREFIXED : PatternType.LITERAL);
            assertThat(pattern).as(user + ": patternType").isIn(null, "literal", "prefix");
            String host = Tree.text(acl, "host");
            for (Object operation : Tree.list(acl, "operations")) {
                AclOperation op = AclOperation.fromString(snake(String.valueOf(operation)));
                if (op == AclOperation.UNKNOWN) {
                    throw new AssertionError(user + ": unknown ACL operation " + operation);
                }
                acls.add(new AclBinding(
                        target,
                        new AccessControlEntry(
                                "User:" + user, host == null ? "*" : host, op, AclPermissionType.ALLOW)));
            }
        }
        createScramUser(user, password);
        grant(acls);
        Map<String, String> secret = new LinkedHashMap<>();
        secret.put("password", password);
        secret.put(
                "sasl.jaas.config", SCRAM_LOGIN + " required username=\"" + user + "\" password=\"" + password + "\";");
        return secret;
    }

    /** A SCRAM-SHA-512 user, as kafka-init's {@code user} (kafka-configs.sh) sets one. */
    void createScramUser(String user, String password) throws Exception {
        try (Admin admin = kafka.admin()) {
            List<UserScramCredentialAlteration> upsert = List.of(new UserScramCredentialUpsertion(
                    user, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), password));
            admin.alterUserScramCredentials(upsert).all().get(30, TimeUnit.SECONDS);
        }
    }

    /** kafka-init's {@code acl} lines (kafka-acls.sh --add --allow-principal), each as given. */
    void grant(List<AclBinding> acls) throws Exception {
        if (acls.isEmpty()) {
            return;
        }
        try (Admin admin = kafka.admin()) {
            admin.createAcls(acls).all().get(30, TimeUnit.SECONDS);
        }
    }

    static List<AclBinding> bindings(List<ComposeKafka.Acl> acls) {
        List<AclBinding> bindings = new ArrayList<>();
        for (ComposeKafka.Acl acl : acls) {
            ResourceType type = ResourceType.fromString(acl.type().replace('-', '_'));
            assertThat(type).as(acl.toString()).isNotEqualTo(ResourceType.UNKNOWN);
            ResourcePattern target = new ResourcePattern(
                    type, acl.name(), acl.pattern().equals("prefixed") ? PatternType.PREFIXED : PatternType.LITERAL);
            for (String operation : acl.operations()) {
                AclOperation op = AclOperation.fromString(snake(operation));
                assertThat(op).as(acl + ": operation " + operation).isNotEqualTo(AclOperation.UNKNOWN);
                bindings.add(new AclBinding(
                        target, new AccessControlEntry("User:" + acl.user(), "*", op, AclPermissionType.ALLOW)));
            }
        }
        return bindings;
    }

    /**
     * What CloudNativePG's initdb bootstrap does: the database owned by the application role,
     * which logs in with a password over TLS and nothing else. Answers the {@code -app} Secret.
     */
    Map<String, String> createApplicationOwner(String database, String owner, String password, boolean tlsOnly)
            throws Exception {
        try (Connection c = DriverManager.getConnection(
                        "jdbc:postgresql://127.0.0.1:" + postgres.port() + "/postgres", "postgres", "");
                Statement s = c.createStatement()) {
            s.execute("SET password_encryption = 'scram-sha-256'");
            s.execute("CREATE ROLE " + owner + " LOGIN PASSWORD '" + password + "'");
            s.execute("ALTER DATABASE " + database + " OWNER TO " + owner);
            s.execute("GRANT ALL ON SCHEMA public TO " + owner);
            // first match wins: the owner only by SCRAM (over TLS when the manifests ask for it),
            // the test's superuser as before
            String hba = (tlsOnly ? "hostssl" : "host") + " " + database + " " + owner + " 127.0.0.1/32 scram-sha-256\n"
                    + "local all postgres trust\n"
                    + "host all postgres 127.0.0.1/32 trust\n";
            Files.writeString(postgres.dataDirectory().resolve("pg_hba.conf"), hba);
            s.execute("SELECT pg_reload_conf()");
        }
        Map<String, String> secret = new LinkedHashMap<>();
        secret.put("username", owner);
        secret.put("password", password);
        return secret;
    }

    private static String snake(String camel) {
        return camel.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
    }

    @Override
    public void close() throws Exception {
        try {
            kafka.close();
        } finally {
            postgres.close();
        }
    }

    /** A CA and a server certificate it signed for 127.0.0.1 and localhost, made by openssl. */
    static final class Certificates {

        private Certificates() {}

        /** Writes ca.crt, server.crt, server.key (mode 600) and server.pem (key and chain); answers ca.crt. */
        static Path issue(Path dir) throws IOException, InterruptedException {
            Files.createDirectories(dir);
            openssl(
                    dir,
                    "req",
                    "-x509",
                    "-newkey",
                    "rsa:2048",
                    "-nodes",
                    "-days",
                    "2",
                    "-subj",
                    "/CN=faultline-test-ca",
                    "-keyout",
                    "ca.key",
                    "-out",
                    "ca.crt");
            openssl(
                    dir,
                    "req",
                    "-newkey",
                    "rsa:2048",
                    "-nodes",
                    "-subj",
                    "/CN=localhost",
                    "-keyout",
                    "server.key",
                    "-out",
                    "server.csr");
            Files.writeString(dir.resolve("san.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
            openssl(
                    dir,
                    "x509",
                    "-req",
                    "-in",
                    "server.csr",
                    "-CA",
                    "ca.crt",
                    "-CAkey",
                    "ca.key",
                    "-CAcreateserial",
                    "-days",
                    "2",
                    "-extfile",
                    "san.ext",
                    "-out",
                    "server.crt");
            Files.setPosixFilePermissions(dir.resolve("server.key"), PosixFilePermissions.fromString("rw-------"));
            Files.writeString(
                    dir.resolve("server.pem"),
                    Files.readString(dir.resolve("server.key"))
                            + Files.readString(dir.resolve("server.crt"))
                            + Files.readString(dir.resolve("ca.crt")));
            return dir.resolve("ca.crt");
        }

        static String randomHex(int bytes) {
            byte[] random = new byte[bytes];
            new java.security.SecureRandom().nextBytes(random);
            return java.util.HexFormat.of().formatHex(random);
        }

        private static void openssl(Path dir, String... args) throws IOException, InterruptedException {
            List<String> command = new ArrayList<>(List.of("openssl"));
            command.addAll(List.of(args));
            Process process = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new UncheckedIOException(new IOException(command + " failed: " + out));
            }
        }
    }
}
