package io.faultline.schemas.health;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Whether every Kafka consumer a service declares has joined its group. A framework's Kafka check
 * is UP as soon as the broker answers, seconds before the consumers hold their partitions: a load
 * balancer or the e2e bench took that for "working", and the first records waited out the group's
 * join (issue #22). A consumer counts once its first assignment completed, even an empty one, so a
 * replica left without partitions of a small topic still becomes ready; a later rebalance does not
 * make it unready (it resumes within the rebalance, and a consumer that stopped is the liveness
 * checks' business).
 *
 * <p>The services' readiness checks feed it from their consumers' rebalance listener; it holds no
 * framework type so that every service shares the counting and the reading of the configuration.
 */
public final class ConsumerGroupsJoined {

    private static final String PREFIX = "mp.messaging.incoming.";
    private static final String CONNECTOR = ".connector";

    /** Group id → consumers its channels run. */
    private final Map<String, Integer> expected;

    /** Group id → the consumers (by identity) that completed an assignment. */
    private final Map<String, Set<Object>> joined = new ConcurrentHashMap<>();

    public ConsumerGroupsJoined(Map<String, Integer> expected) {
        this.expected = Map.copyOf(expected);
    }

    /**
     * The group and consumer count of each enabled smallrye-kafka incoming channel of a
     * configuration: a channel's group defaults to the application's name, as the connector's does,
     * and runs as many consumers as its {@code concurrency}.
     *
     * @param propertyNames every property name of the configuration
     * @param value a property's value, if set
     */
    public static Map<String, Integer> expectedConsumers(
            Iterable<String> propertyNames, Function<String, Optional<String>> value) {
        String application = value.apply("quarkus.application.name").orElse("");
        Map<String, Integer> expected = new TreeMap<>();
        for (String property : propertyNames) {
            if (!property.startsWith(PREFIX) || !property.endsWith(CONNECTOR)) {
                continue;
            }
            String channel = property.substring(PREFIX.length(), property.length() - CONNECTOR.length());
            String key = PREFIX + (channel.startsWith("\"") ? channel : "\"" + channel + "\"");
            if (!"smallrye-kafka".equals(value.apply(property).orElse(""))
                    || !Boolean.parseBoolean(value.apply(key + ".enabled").orElse("true"))) {
                continue;
            }
            String group = value.apply(key + ".group.id").orElse(application);
            int consumers = Integer.parseInt(
                    value.apply(key + ".concurrency").orElse("1").trim());
            expected.merge(group, consumers, Integer::sum);
        }
        return expected;
    }

    /** A consumer of a group completed an assignment; the same consumer again counts once. */
    public void joined(String group, Object consumer) {
        joined.computeIfAbsent(group, g -> Collections.newSetFromMap(new ConcurrentHashMap<>()))
                .add(consumer);
    }

    /** Whether every expected consumer of every group has joined. */
    public boolean ready() {
        return expected.entrySet().stream().allMatch(group -> joinedCount(group.getKey()) >= group.getValue());
    }

    /** Per group, "joined/expected", for the check's data. */
    public Map<String, String> progress() {
        Map<String, String> progress = new TreeMap<>();
        expected.forEach((group, count) -> progress.put(group, joinedCount(group) + "/" + count));
        return progress;
    }

    private int joinedCount(String group) {
        return joined.getOrDefault(group, Set.of()).size();
    }
}
