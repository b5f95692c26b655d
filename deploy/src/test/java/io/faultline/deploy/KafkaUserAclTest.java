package io.faultline.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.faultline.schemas.topics.Topic;
import io.faultline.schemas.topics.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each service's KafkaUser may touch exactly the catalogue topics its code and
 * application.properties name, read what its channels consume, write what they produce and its
 * dead-letter topics, and join only its own consumer groups; nobody may create, alter or delete a
 * catalogue topic. The uses are derived from the services' sources and the Topics catalogue.
 */
class KafkaUserAclTest {

    private static final Pattern TOPIC_CONSTANT = Pattern.compile("Topics\\.([A-Z][A-Z_]*[A-Z])\\b");
    private static final Set<String> FORBIDDEN_ON_CATALOGUE =
            Set.of("All", "Create", "Delete", "Alter", "AlterConfigs");

    /** What one service does with Kafka, as its code says. */
    record Uses(Set<String> topics, Set<String> reads, Set<String> writes, Set<String> groups, String streamsId) {}

    static List<String> overlays() {
        return Overlays.names();
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void eachUserMayTouchExactlyWhatItsServiceUses(String overlay) {
        Manifests manifests = Overlays.render(overlay);
        Set<String> catalogue = Topics.all().stream().map(Topic::name).collect(Collectors.toSet());
        for (String service : Overlays.SERVICES) {
            Uses uses = uses(service);
            List<Map<String, Object>> acls =
                    Tree.maps(manifests.get("KafkaUser", "faultline-" + service), "spec", "authorization", "acls");

            Set<String> literalTopics = names(acls, "topic", "literal");
            assertThat(literalTopics).as(service + " topics").isEqualTo(uses.topics());
            assertThat(catalogue).as(service).containsAll(literalTopics);
            for (String topic : uses.reads()) {
                assertThat(operations(acls, "topic", topic))
                        .as(service + " reads " + topic)
                        .contains("Read");
            }
            for (String topic : uses.writes()) {
                assertThat(operations(acls, "topic", topic))
                        .as(service + " writes " + topic)
                        .contains("Write");
            }
            for (String topic : literalTopics) {
                assertThat(operations(acls, "topic", topic))
                        .as(service + " on " + topic)
                        .doesNotContainAnyElementsOf(FORBIDDEN_ON_CATALOGUE);
            }

            Set<String> groups = new TreeSet<>(names(acls, "group", "literal"));
            names(acls, "group", "prefix").forEach(prefix -> groups.add(prefix + "*"));
            Set<String> expectedGroups = new TreeSet<>(uses.groups());
            Set<String> prefixTopics = names(acls, "topic", "prefix");
            Set<String> transactional = names(acls, "transactionalId", "prefix");
            if (uses.streamsId() != null) {
                expectedGroups.add(uses.streamsId());
                assertThat(prefixTopics).as(service + " internal topics").containsExactly(uses.streamsId() + "-");
                assertThat(transactional).as(service + " transactions").containsExactly(uses.streamsId() + "-");
            } else {
                assertThat(prefixTopics).as(service).isEmpty();
                assertThat(transactional).as(service).isEmpty();
            }
            assertThat(groups).as(service + " groups").isEqualTo(expectedGroups);
            assertThat(acls)
                    .as(service)
                    .noneMatch(acl -> "*".equals(Tree.text(acl, "resource", "name"))
                            || "cluster".equals(Tree.text(acl, "resource", "type")));
        }
    }

    static Uses uses(String service) {
        Set<String> topics = new TreeSet<>();
        Set<String> reads = new TreeSet<>();
        Set<String> writes = new TreeSet<>();
        Set<String> groups = new TreeSet<>();
        for (String constant : topicConstants(service)) {
            try {
                Object field = Topics.class.getField(constant).get(null);
                if (field instanceof Topic<?, ?> topic) {
                    topics.add(topic.name());
                }
            } catch (ReflectiveOperationException e) {
                // a constant that is not a topic (a header name, the partition count)
            }
        }
        Properties properties = ServiceConfiguration.applicationProperties(service);
        for (String key : properties.stringPropertyNames()) {
            String value = properties.getProperty(key);
            if (key.startsWith("%")) {
                continue;
            }
            if (key.startsWith("mp.messaging.incoming.") && key.endsWith("\".topic")) {
                reads.add(value);
            } else if (key.endsWith("dead-letter-queue.topic")
                    || (key.startsWith("mp.messaging.outgoing.") && key.endsWith(".topic"))) {
                writes.add(value);
            } else if (key.startsWith("mp.messaging.incoming.") && key.endsWith(".group.id")) {
                int placeholder = value.indexOf("${");
                groups.add(placeholder < 0 ? value : value.substring(0, placeholder) + "*");
            } else if (key.equals("quarkus.kafka-streams.topics")) {
                topics.addAll(List.of(value.split(",")));
            }
        }
        topics.addAll(reads);
        topics.addAll(writes);
        return new Uses(topics, reads, writes, groups, properties.getProperty("quarkus.kafka-streams.application-id"));
    }

    private static Set<String> topicConstants(String service) {
        Set<String> constants = new HashSet<>();
        try (Stream<Path> files =
                Files.walk(Overlays.REPOSITORY.resolve(service).resolve("src/main/java"))) {
            for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher matcher = TOPIC_CONSTANT.matcher(Files.readString(file));
                while (matcher.find()) {
                    constants.add(matcher.group(1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return constants;
    }

    private static Set<String> names(List<Map<String, Object>> acls, String type, String pattern) {
        return acls.stream()
                .filter(acl -> type.equals(Tree.text(acl, "resource", "type"))
                        && pattern.equals(Tree.text(acl, "resource", "patternType")))
                .map(acl -> Tree.text(acl, "resource", "name"))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> operations(List<Map<String, Object>> acls, String type, String name) {
        Set<String> operations = new TreeSet<>();
        acls.stream()
                .filter(acl -> type.equals(Tree.text(acl, "resource", "type"))
                        && name.equals(Tree.text(acl, "resource", "name")))
                .forEach(acl -> Tree.list(acl, "operations").forEach(o -> operations.add(String.valueOf(o))));
        return operations;
    }
}
