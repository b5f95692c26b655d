package io.faultline.devstack.launcher;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code ./faultline} reads from its environment: where the repository and the stack's home
 * are, the ports, the JVM options and which services run. The header of the {@code faultline}
 * script lists the variables and their defaults.
 *
 * @param environment the launcher's whole environment, which every component it starts inherits
 *     (an operator's {@code FAULTLINE_*} settings reach the services this way, as with Compose's
 *     {@code env_file})
 * @param replicas how many instances of each service run ({@code FAULTLINE_REPLICAS}, or
 *     {@code up --replicas N}); instance N listens on the service's port + 100 × (N − 1)
 */
record LauncherSettings(
        Path root,
        Path home,
        String bind,
        int kafkaPort,
        int kafkaControllerPort,
        int postgresPort,
        int demoPort,
        List<String> javaOpts,
        List<String> devstackJavaOpts,
        List<ServiceWiring> services,
        Map<ServiceWiring, Integer> ports,
        Map<String, String> environment,
        int replicas) {

    static LauncherSettings from(Path root, Path workingDirectory, Map<String, String> env) {
        String home = env.getOrDefault("FAULTLINE_HOME", "");
        // as the shell did: a relative home is taken from the working directory, not normalised, so
        // that the home in every component's command line is the one the operator gave
        Path homePath = home.isEmpty()
                ? Path.of(workingDirectory + "/.faultline")
                : home.startsWith("/") ? Path.of(home) : Path.of(workingDirectory + "/" + home);
        Map<ServiceWiring, Integer> ports = new LinkedHashMap<>();
        for (ServiceWiring service : ServiceWiring.values()) {
            ports.put(service, port(env, service.portVariable(), service.defaultPort()));
        }
        return new LauncherSettings(
                root,
                homePath,
                nonEmpty(env, "FAULTLINE_BIND", "127.0.0.1"),
                port(env, "FAULTLINE_KAFKA_PORT", 19092),
                port(env, "FAULTLINE_KAFKA_CONTROLLER_PORT", 19093),
                port(env, "FAULTLINE_POSTGRES_PORT", 15432),
                port(env, "FAULTLINE_DEMO_PORT", 8090),
                words(nonEmpty(env, "FAULTLINE_JAVA_OPTS", "-Xmx384m")),
                // C1 only by default: the broker and database start faster and a local stack is mostly
                // idle; the benchmarks run them with the full JIT (set, but empty)
                words(env.getOrDefault("FAULTLINE_DEVSTACK_JAVA_OPTS", "-XX:TieredStopAtLevel=1")),
                services(env.get("FAULTLINE_SERVICES")),
                Map.copyOf(ports),
                Map.copyOf(env),
                replicas(env.get("FAULTLINE_REPLICAS")));
    }

    static int replicas(String value) {
        if (value == null || value.isBlank()) {
            return 1;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1 && n <= ServiceWiring.MAX_INSTANCES) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new LauncherException("FAULTLINE_REPLICAS=" + value + " is not a number of instances (1-"
                + ServiceWiring.MAX_INSTANCES + ")");
    }

    /** The same settings with {@code n} instances of each service ({@code up --replicas N}). */
    LauncherSettings withReplicas(int n) {
        return new LauncherSettings(
                root,
                home,
                bind,
                kafkaPort,
                kafkaControllerPort,
                postgresPort,
                demoPort,
                javaOpts,
                devstackJavaOpts,
                services,
                ports,
                environment,
                replicas(Integer.toString(n)));
    }

    /** Instance {@code instance}'s port (1 is the service's own). */
    int port(ServiceWiring service, int instance) {
        return ServiceWiring.instancePort(port(service), instance);
    }

    String url(ServiceWiring service, int instance) {
        return "http://" + bind + ":" + port(service, instance);
    }

    /** {@code FAULTLINE_SERVICES} narrows the stack (the benchmarks start only what they measure). */
    static List<ServiceWiring> services(String names) {
        if (names == null || names.isBlank()) {
            return List.of(ServiceWiring.values());
        }
        List<ServiceWiring> services = new ArrayList<>();
        for (String name : words(names)) {
            services.add(ServiceWiring.named(name)
                    .orElseThrow(() -> new LauncherException(
                            "FAULTLINE_SERVICES names '" + name + "'; the services are " + ServiceWiring.names())));
        }
        return List.copyOf(services);
    }

    int port(ServiceWiring service) {
        return ports.get(service);
    }

    Path run() {
        return home.resolve("run");
    }

    Path logs() {
        return home.resolve("logs");
    }

    Path secretsFile() {
        return home.resolve("secrets.env");
    }

    Path postmasterPid() {
        return home.resolve("postgres/data/postmaster.pid");
    }

    String kafkaBootstrap() {
        return "127.0.0.1:" + kafkaPort;
    }

    String url(ServiceWiring service) {
        return "http://" + bind + ":" + port(service);
    }

    /** What each service's wiring is made of, with these credentials. */
    ServiceWiring.Stack stack(Secrets secrets) {
        return new ServiceWiring.Stack(home, bind, kafkaPort, postgresPort, ports, secrets);
    }

    private static int port(Map<String, String> env, String variable, int defaultPort) {
        String value = nonEmpty(env, variable, Integer.toString(defaultPort));
        try {
            int port = Integer.parseInt(value.trim());
            if (port < 1 || port > 65_535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new LauncherException(variable + "=" + value + " is not a port (1-65535)");
        }
    }

    /** {@code ${VAR:-default}}: unset and empty both take the default. */
    private static String nonEmpty(Map<String, String> env, String variable, String defaultValue) {
        String value = env.get(variable);
        return value == null || value.isEmpty() ? defaultValue : value;
    }

    static List<String> words(String value) {
        return value.isBlank() ? List.of() : Arrays.asList(value.trim().split("\\s+"));
    }
}
