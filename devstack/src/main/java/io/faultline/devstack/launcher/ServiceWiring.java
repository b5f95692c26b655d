package io.faultline.devstack.launcher;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How the local stack wires each service, in one place: its port and the variable that moves it,
 * its jar, and the environment its process gets (the broker, the database, the credentials of
 * {@code secrets.env}). docker-compose.yml and the Kubernetes manifests wire the same services for
 * their platforms; the deploy module's {@code LauncherWiringTest} checks that every variable set
 * here is one the service reads, as {@code ServiceEnvironmentTest} does for those two.
 *
 * <p>The order is the start order: the consumers first, the intake and the dashboard last.
 */
public enum ServiceWiring {
    IMPACT("impact-service", "FAULTLINE_IMPACT_PORT", 8084) {
        @Override
        void addEnvironment(Map<String, String> env, Stack stack, int instance) {
            staticMember(env, instance);
            env.put("QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://127.0.0.1:" + stack.postgresPort() + "/faultline");
            env.put(
                    "QUARKUS_DATASOURCE_JDBC_URL",
                    "jdbc:postgresql://127.0.0.1:" + stack.postgresPort() + "/faultline");
            env.put("QUARKUS_DATASOURCE_USERNAME", "postgres");
            // alert messages link to the group's page on this stack's dashboard
            env.put("FAULTLINE_ALERTS_DASHBOARD_URL", "http://" + stack.bind() + ":" + stack.port(DASHBOARD));
        }
    },
    CLASSIFIER("classifier-service", "FAULTLINE_CLASSIFIER_PORT", 8082) {
        @Override
        void addEnvironment(Map<String, String> env, Stack stack, int instance) {
            staticMember(env, instance);
            env.put("QUARKUS_KAFKA_STREAMS_BOOTSTRAP_SERVERS", stack.kafkaBootstrap());
            // Kafka Streams locks its task directories: two instances on one state dir never both run
            env.put("KAFKA_STREAMS_STATE_DIR", stack.home() + "/" + instanceName("classifier", instance) + "/streams");
            // a rate query for a key another instance holds is asked of it at this address
            env.put("FAULTLINE_CLASSIFIER_ADDRESS", "127.0.0.1:" + port(stack, instance));
        }
    },
    RESOLVER("resolver-service", "FAULTLINE_RESOLVER_PORT", 8083) {
        @Override
        void addEnvironment(Map<String, String> env, Stack stack, int instance) {
            staticMember(env, instance);
            env.put("FAULTLINE_ADMIN_TOKEN", stack.secrets().adminToken());
            // the attempt journal is one process's: each instance journals the attempts of its partitions
            env.put("FAULTLINE_STATE_DIR", stack.home() + "/" + instanceName("resolver", instance));
        }
    },
    INGEST("ingest-service", "FAULTLINE_INGEST_PORT", 8081) {
        @Override
        void addEnvironment(Map<String, String> env, Stack stack, int instance) {
            env.put("FAULTLINE_DEFAULT_PROJECT_ID", stack.secrets().projectId());
            env.put("FAULTLINE_DEFAULT_PROJECT_KEY", stack.secrets().projectKey());
            env.put("FAULTLINE_ADMIN_TOKEN", stack.secrets().adminToken());
        }
    },
    DASHBOARD("dashboard-api", "FAULTLINE_DASHBOARD_PORT", 8080) {
        @Override
        void addEnvironment(Map<String, String> env, Stack stack, int instance) {
            Secrets secrets = stack.secrets();
            env.put("FAULTLINE_ADMIN_TOKEN", secrets.adminToken());
            env.put("FAULTLINE_ADMIN_USER", secrets.adminUser());
            env.put("FAULTLINE_ADMIN_PASSWORD", secrets.adminPassword());
            env.put("FAULTLINE_SESSION_SECRET", secrets.sessionSecret());
            env.put("FAULTLINE_INGEST_PUBLIC_URL", "http://" + stack.bind() + ":" + stack.port(INGEST));
            env.put("FAULTLINE_DEFAULT_PROJECT_ID", secrets.projectId());
            env.put("FAULTLINE_IMPACT_URL", "http://127.0.0.1:" + stack.port(IMPACT));
        }
    };

    /**
     * What a service's wiring depends on: the stack's addresses and its credentials.
     *
     * @param ports each service's port
     */
    public record Stack(
            Path home,
            String bind,
            int kafkaPort,
            int postgresPort,
            Map<ServiceWiring, Integer> ports,
            Secrets secrets) {

        int port(ServiceWiring service) {
            return ports.get(service);
        }

        String kafkaBootstrap() {
            return "127.0.0.1:" + kafkaPort;
        }
    }

    /** How far each further instance's port is from the one before (FAULTLINE_REPLICAS). */
    public static final int INSTANCE_PORT_STEP = 100;

    /** At most this many instances of each service run locally (FAULTLINE_REPLICAS). */
    public static final int MAX_INSTANCES = 4;

    /** The variable naming a service instance's static member in its consumer groups. */
    public static final String KAFKA_INSTANCE_ID = "FAULTLINE_KAFKA_INSTANCE_ID";

    private final String serviceName;
    private final String portVariable;
    private final int defaultPort;

    ServiceWiring(String serviceName, String portVariable, int defaultPort) {
        this.serviceName = serviceName;
        this.portVariable = portVariable;
        this.defaultPort = defaultPort;
    }

    /** The module's directory and the component's name in {@code run/} and {@code logs/}. */
    public String serviceName() {
        return serviceName;
    }

    /** The launcher's variable that moves the service's port. */
    public String portVariable() {
        return portVariable;
    }

    public int defaultPort() {
        return defaultPort;
    }

    /** The Quarkus fast-jar {@code ./mvnw package} builds. */
    public Path jar(Path root) {
        return root.resolve(serviceName).resolve("target/quarkus-app/quarkus-run.jar");
    }

    /** The variables the service's (first) process is given, beyond the launcher's own environment. */
    public Map<String, String> environment(Stack stack) {
        return environment(stack, 1);
    }

    /**
     * The variables instance {@code instance} (1, 2, ...) of the service is given: its own port, and
     * its own directory for what one process keeps on disk (Kafka Streams' stores, the resolver's
     * journal); the broker, the database and the consumer groups are shared, so the instances share
     * the work out as a Deployment's replicas do.
     */
    public Map<String, String> environment(Stack stack, int instance) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port(stack, instance)));
        env.put("QUARKUS_HTTP_HOST", stack.bind());
        env.put("KAFKA_BOOTSTRAP_SERVERS", stack.kafkaBootstrap());
        addEnvironment(env, stack, instance);
        return env;
    }

    abstract void addEnvironment(Map<String, String> env, Stack stack, int instance);

    /**
     * Kafka's static membership for the service's consumer groups: each instance joins as the same
     * member every time it starts, so one the supervisor restarts after a kill takes its partitions
     * back at once instead of waiting out the killed member's session. The name is the component's,
     * unique per instance and stable across restarts, as a member id must be.
     */
    void staticMember(Map<String, String> env, int instance) {
        env.put(KAFKA_INSTANCE_ID, instanceName(instance));
    }

    /**
     * Instance {@code instance}'s port: the service's port, plus {@link #INSTANCE_PORT_STEP} for each
     * instance after the first (ingest 8081, 8181, ...).
     */
    public int port(Stack stack, int instance) {
        return instancePort(stack.port(this), instance);
    }

    static int instancePort(int basePort, int instance) {
        return basePort + INSTANCE_PORT_STEP * (instance - 1);
    }

    /** The component's name of instance {@code instance}: the service's for the first, then NAME-2, NAME-3. */
    public String instanceName(int instance) {
        return instanceName(serviceName, instance);
    }

    static String instanceName(String name, int instance) {
        return instance == 1 ? name : name + "-" + instance;
    }

    public static Optional<ServiceWiring> named(String serviceName) {
        return Arrays.stream(values())
                .filter(s -> s.serviceName.equals(serviceName))
                .findFirst();
    }

    static List<String> names() {
        return Arrays.stream(values()).map(ServiceWiring::serviceName).toList();
    }

    /**
     * The booking demo of {@code ./faultline demo}: an application that reports to the stack through
     * the Sentry SDK, not one of its services.
     */
    static Map<String, String> bookingDemoEnvironment(Stack stack, int demoPort, boolean traffic) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("QUARKUS_HTTP_PORT", Integer.toString(demoPort));
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        env.put("KAFKA_BOOTSTRAP_SERVERS", stack.kafkaBootstrap());
        env.put("SENTRY_DSN", stack.secrets().dsn("127.0.0.1", stack.port(INGEST)));
        env.put("BOOKING_TRAFFIC", Boolean.toString(traffic));
        return env;
    }
}
