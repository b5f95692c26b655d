package io.faultline.ingest.rest;

import io.faultline.devstack.KafkaTestClient;
import io.faultline.schemas.ErrorEvent;
import io.faultline.schemas.TrafficSample;
import io.faultline.schemas.topics.Topics;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.eclipse.microprofile.config.ConfigProvider;

/** Reads back what ingest stored, from the real topics. */
final class RawTopic {

    private RawTopic() {}

    static KafkaTestClient client() {
        return new KafkaTestClient(ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
    }

    /** The stored events, read until one with {@code eventId} is among them. */
    static ErrorEvent event(String eventId) {
        List<ErrorEvent> events =
                events(list -> list.stream().anyMatch(e -> e.getEventId().equals(eventId)));
        return events.stream()
                .filter(e -> e.getEventId().equals(eventId))
                .findFirst()
                .orElseThrow(() -> new AssertionError("event " + eventId + " not on " + Topics.EVENTS_RAW.name()));
    }

    static List<ErrorEvent> events(Predicate<List<ErrorEvent>> done) {
        return client()
                .readUntil(
                        Topics.EVENTS_RAW.name(),
                        records ->
                                done.test(records.stream().map(RawTopic::decode).toList()),
                        Duration.ofSeconds(20))
                .stream()
                .map(RawTopic::decode)
                .toList();
    }

    static List<TrafficSample> traffic(Predicate<List<TrafficSample>> done) {
        return client()
                .readUntil(
                        Topics.TRAFFIC.name(),
                        records -> done.test(
                                records.stream().map(RawTopic::decodeTraffic).toList()),
                        Duration.ofSeconds(20))
                .stream()
                .map(RawTopic::decodeTraffic)
                .toList();
    }

    /** The id of the event a raw record holds (records are keyed by project). */
    static String eventId(org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]> r) {
        return decode(r).getEventId();
    }

    private static ErrorEvent decode(org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]> r) {
        return Topics.EVENTS_RAW.valueSerde().deserializer().deserialize(r.topic(), r.value());
    }

    private static TrafficSample decodeTraffic(org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]> r) {
        return Topics.TRAFFIC.valueSerde().deserializer().deserialize(r.topic(), r.value());
    }
}
