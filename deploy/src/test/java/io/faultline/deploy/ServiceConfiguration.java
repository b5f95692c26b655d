package io.faultline.deploy;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import io.smallrye.config.WithParentName;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The environment variables each service reads, derived from its code rather than kept by hand:
 * the {@code ${VAR}} references and the properties of its {@code application.properties}, its
 * {@code @ConfigMapping} interfaces and {@code @ConfigProperty} injections, and the families that
 * Quarkus passes through by prefix ({@code KAFKA_*} to every Kafka client of the service, the
 * typed {@code quarkus.kafka-streams.*} and {@code quarkus.shutdown.*} settings).
 *
 * <p>A variable is <em>required</em> when the property it feeds has no default anywhere: the
 * service fails at start without it.
 */
final class ServiceConfiguration {

    /** Read by the JVM itself, in every container. */
    private static final Set<String> JVM = Set.of("JAVA_TOOL_OPTIONS");

    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(:[^}]*)?}");
    private static final Pattern CONFIG_PROPERTY = Pattern.compile(
            "@ConfigProperty\\(\\s*name\\s*=\\s*\"([^\"]+)\"(\\s*,\\s*defaultValue)?[^)]*\\)\\s*(\\S+)");
    private static final Pattern CONFIG_MAPPING = Pattern.compile("@ConfigMapping\\(prefix");

    /** Quarkus settings the deployments use beyond what application.properties declares. */
    private static final List<String> QUARKUS_MAPPINGS = List.of(
            "io.quarkus.runtime.shutdown.ShutdownConfig",
            "io.quarkus.kafka.streams.runtime.KafkaStreamsRuntimeConfig",
            // quarkus.http.*: the launcher binds each service to FAULTLINE_BIND with QUARKUS_HTTP_HOST
            "io.quarkus.vertx.http.runtime.VertxHttpConfig");

    /** Quarkus settings whose default is computed at start rather than declared with @WithDefault. */
    private static final Set<String> QUARKUS_COMPUTED_DEFAULTS = Set.of("quarkus.http.host");

    /** Per-datasource groups of Quarkus, at the prefix of the default datasource. */
    private static final Map<String, String> QUARKUS_DEFAULT_DATASOURCE_GROUPS = Map.of(
            "io.quarkus.reactive.datasource.runtime.DataSourceReactiveRuntimeConfig", "quarkus.datasource.reactive",
            "io.quarkus.reactive.pg.client.runtime.DataSourceReactivePostgreSQLConfig",
                    "quarkus.datasource.reactive.postgresql");

    private static final Map<String, Map<String, Boolean>> READ = new ConcurrentHashMap<>();

    private ServiceConfiguration() {}

    /** Every variable the service reads, mapped to whether it is required. */
    static Map<String, Boolean> variables(String service) {
        return READ.computeIfAbsent(service, ServiceConfiguration::derive);
    }

    static boolean reads(String service, String variable) {
        return JVM.contains(variable) || variables(service).containsKey(variable);
    }

    static Set<String> required(String service) {
        Map<String, Boolean> variables = variables(service);
        return new java.util.TreeSet<>(
                variables.keySet().stream().filter(variables::get).toList());
    }

    /** SmallRye's environment name of a property: every character but a letter or digit becomes _. */
    static String environmentName(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    static Properties applicationProperties(String service) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(sources(service).resolve("resources/application.properties"))) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    private static Path sources(String service) {
        return Overlays.REPOSITORY.resolve(service).resolve("src/main");
    }

    private static Map<String, Boolean> derive(String service) {
        Map<String, Boolean> variables = new TreeMap<>();
        Properties properties = applicationProperties(service);
        Set<String> declared = new java.util.HashSet<>();
        for (String key : properties.stringPropertyNames()) {
            if (key.startsWith("%")) {
                continue; // a test or dev profile
            }
            declared.add(key);
            variables.put(environmentName(key), false);
            Matcher reference = REFERENCE.matcher(properties.getProperty(key));
            while (reference.find()) {
                variables.merge(reference.group(1), reference.group(2) == null, Boolean::logicalOr);
            }
        }
        for (Path source : javaSources(service)) {
            String text;
            try {
                text = Files.readString(source);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Matcher injection = CONFIG_PROPERTY.matcher(text);
            while (injection.find()) {
                String property = injection.group(1);
                boolean optional = injection.group(2) != null
                        || injection.group(3).startsWith("Optional")
                        || injection.group(3).startsWith("java.util.Optional")
                        || declared.contains(property);
                variables.merge(environmentName(property), !optional, Boolean::logicalAnd);
            }
            if (CONFIG_MAPPING.matcher(text).find()) {
                String className = sources(service)
                        .resolve("java")
                        .relativize(source)
                        .toString()
                        .replace(".java", "")
                        .replace('/', '.');
                walkMapping(load(className), declared, variables);
            }
        }
        for (String mapping : QUARKUS_MAPPINGS) {
            try {
                walkMapping(Class.forName(mapping), declared, variables);
            } catch (ClassNotFoundException e) {
                // the service does not have that extension
            }
        }
        if (declared.contains("quarkus.datasource.db-kind")) {
            QUARKUS_DEFAULT_DATASOURCE_GROUPS.forEach((group, prefix) -> {
                try {
                    walk(Class.forName(group), prefix, declared, variables);
                } catch (ClassNotFoundException e) {
                    throw new AssertionError(group + " is not on the test classpath", e);
                }
            });
        }
        // Quarkus gives every kafka.* setting (KAFKA_* in the environment, lower-cased, _ read as .)
        // to the service's Kafka clients: the channels and, through KafkaConnection.settings, the
        // clients made by hand
        for (String name : kafkaClientSettings()) {
            variables.putIfAbsent("KAFKA_" + environmentName(name), false);
        }
        return variables;
    }

    private static Set<String> kafkaClientSettings() {
        Set<String> names = new java.util.TreeSet<>();
        names.addAll(ProducerConfig.configNames());
        names.addAll(ConsumerConfig.configNames());
        names.addAll(AdminClientConfig.configNames());
        return names;
    }

    private static List<Path> javaSources(String service) {
        try (Stream<Path> files = Files.walk(sources(service).resolve("java"))) {
            return files.filter(p -> p.toString().endsWith(".java")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Class<?> load(String className) {
        try {
            return Class.forName(className);
        } catch (ClassNotFoundException e) {
            throw new AssertionError(className + " is not on the deploy module's test classpath", e);
        }
    }

    private static void walkMapping(Class<?> mapping, Set<String> declared, Map<String, Boolean> variables) {
        walk(mapping, mapping.getAnnotation(ConfigMapping.class).prefix(), declared, variables);
    }

    private static void walk(Class<?> group, String prefix, Set<String> declared, Map<String, Boolean> variables) {
        for (Method method : group.getMethods()) {
            if (method.getParameterCount() != 0 || method.isDefault() || Modifier.isStatic(method.getModifiers())) {
                continue;
            }
            WithName withName = method.getAnnotation(WithName.class);
            String property = method.getAnnotation(WithParentName.class) != null
                    ? prefix
                    : prefix + "." + (withName != null ? withName.value() : kebab(method.getName()));
            Class<?> type = method.getReturnType();
            if (type.isInterface() && !type.getName().startsWith("java.")) {
                walk(type, property, declared, variables);
                continue;
            }
            if (Map.class.isAssignableFrom(type)) {
                continue; // keys chosen by the operator, e.g. rate-limit.projects."42"
            }
            boolean optional = method.getAnnotation(WithDefault.class) != null
                    || QUARKUS_COMPUTED_DEFAULTS.contains(property)
                    || type == Optional.class
                    || type == OptionalInt.class
                    || type == OptionalLong.class
                    || type == OptionalDouble.class
                    || declared.contains(property);
            variables.merge(environmentName(property), !optional, Boolean::logicalAnd);
        }
    }

    private static String kebab(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }
}
