package io.faultline.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What docker-compose.yml asks of its Kafka: the broker settings the apache/kafka image derives
 * from the {@code KAFKA_*} variables, and the users and ACLs the one-shot {@code kafka-init}
 * service creates (its {@code user} and {@code acl} lines).
 */
final class ComposeKafka {

    /** {@code acl <user> <topic|group|transactional-id> <name> <literal|prefixed> <operation>...} */
    private static final Pattern ACL_LINE = Pattern.compile(
            "(?m)^\\s*acl (\\S+) (topic|group|transactional-id) (\\S+) (literal|prefixed)((?: [A-Za-z]+)+)\\s*$");
    /** {@code user <name> "$VARIABLE"}, the variable written {@code $$} as Compose escapes it. */
    private static final Pattern USER_LINE = Pattern.compile("(?m)^\\s*user (\\S+) \"\\$\\$?([A-Z0-9_]+)\"\\s*$");

    /** One ACL as kafka-acls.sh takes it; operations as the KafkaUser resource spells them. */
    record Acl(String user, String type, String name, String pattern, Set<String> operations) {}

    private ComposeKafka() {}

    static Map<String, Object> service(Map<String, Object> compose, String name) {
        return Tree.map(compose, "services", name);
    }

    /** The init service's script (its command's only element), empty where there is none. */
    static String initScript(Map<String, Object> compose) {
        List<Object> command = Tree.list(compose, "services", "kafka-init", "command");
        return command.isEmpty() ? "" : String.valueOf(command.get(0));
    }

    /** Each SCRAM user the init service sets, with the variable that holds its password. */
    static Map<String, String> users(Map<String, Object> compose) {
        Map<String, String> users = new LinkedHashMap<>();
        Matcher m = USER_LINE.matcher(initScript(compose));
        while (m.find()) {
            users.put(m.group(1), m.group(2));
        }
        return users;
    }

    static List<Acl> initAcls(Map<String, Object> compose) {
        List<Acl> acls = new ArrayList<>();
        Matcher m = ACL_LINE.matcher(initScript(compose));
        while (m.find()) {
            acls.add(new Acl(
                    m.group(1),
                    m.group(2),
                    m.group(3),
                    m.group(4),
                    new LinkedHashSet<>(List.of(m.group(5).trim().split(" ")))));
        }
        return acls;
    }

    /** A KafkaUser's ACLs in the same terms. */
    static List<Acl> userAcls(Map<String, Object> kafkaUser) {
        String user = Tree.text(kafkaUser, "metadata", "name");
        List<Acl> acls = new ArrayList<>();
        for (Map<String, Object> acl : Tree.maps(kafkaUser, "spec", "authorization", "acls")) {
            String type = Tree.text(acl, "resource", "type");
            String pattern = Tree.text(acl, "resource", "patternType");
            Set<String> operations = new LinkedHashSet<>();
            Tree.list(acl, "operations").forEach(o -> operations.add(String.valueOf(o)));
            acls.add(new Acl(
                    user,
                    type.equals("transactionalId") ? "transactional-id" : type,
                    Tree.text(acl, "resource", "name"),
                    "prefix".equals(pattern) ? "prefixed" : "literal",
                    operations));
        }
        return acls;
    }

    /**
     * The broker's settings as the apache/kafka image derives them from its environment: each
     * {@code KAFKA_X} becomes {@code x} lower-cased, with {@code ___} read as {@code -},
     * {@code __} as {@code _} and {@code _} as {@code .}.
     */
    static Map<String, String> brokerSettings(Map<String, Object> compose) {
        Map<String, String> settings = new LinkedHashMap<>();
        Tree.map(service(compose, "kafka"), "environment").forEach((variable, value) -> {
            if (variable.startsWith("KAFKA_")) {
                settings.put(property(variable), String.valueOf(value));
            }
        });
        return settings;
    }

    static String property(String variable) {
        return variable.substring("KAFKA_".length())
                .toLowerCase(Locale.ROOT)
                .replace("___", "-")
                .replace("__", "\u0000")
                .replace('_', '.')
                .replace('\u0000', '_');
    }

    /** listener name to its {@code host:port} in {@code listeners}, the host empty for every interface. */
    static Map<String, String> listeners(Map<String, String> settings) {
        Map<String, String> listeners = new LinkedHashMap<>();
        for (String listener : settings.getOrDefault("listeners", "").split(",")) {
            int scheme = listener.indexOf("://");
            listeners.put(listener.substring(0, scheme).trim(), listener.substring(scheme + 3));
        }
        return listeners;
    }

    static Map<String, String> protocols(Map<String, String> settings) {
        Map<String, String> protocols = new LinkedHashMap<>();
        for (String entry :
                settings.getOrDefault("listener.security.protocol.map", "").split(",")) {
            String[] parts = entry.trim().split(":");
            protocols.put(parts[0], parts[1]);
        }
        return protocols;
    }
}
