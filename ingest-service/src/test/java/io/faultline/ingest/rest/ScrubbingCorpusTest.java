package io.faultline.ingest.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.faultline.devstack.quarkus.KafkaTestResource;
import io.faultline.ingest.scrubbing.SecretCorpus;
import io.faultline.schemas.topics.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Events seeded with secrets go in through the native batch API and as Sentry envelopes; the raw
 * topic is read back byte for byte and none of the secrets may be in it. The generated corpus
 * ({@link SecretCorpus}: every kind of secret in every field) goes in twice: as it is, which the
 * streaming mapper takes, and with a key written twice, which only the tree mapper takes.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
class ScrubbingCorpusTest {

    private static final Pattern SECRET =
            Pattern.compile("S3CRET-[A-Z]+-\\d{4}|4111 1111 1111 1111|DE89370400440532013000|203\\.0\\.113\\.77");

    @Test
    void noSeededSecretReachesTheTopic() throws Exception {
        String corpus;
        try (InputStream in = getClass().getResourceAsStream("/scrubbing/secret-events.ndjson")) {
            corpus = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<String> lines = corpus.lines().filter(l -> !l.isBlank()).toList();
        List<String> ids = new ArrayList<>();
        List<String> withIds = new ArrayList<>();
        for (String line : lines) {
            String id = SentryResourceTest.id();
            ids.add(id);
            withIds.add("{\"event_id\":\"" + id + "\"," + line.substring(1));
        }
        given().header("Authorization", "Bearer test-project-key")
                .contentType("application/x-ndjson")
                .body(String.join("\n", withIds).getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/projects/1/events")
                .then()
                .statusCode(202);
        // the same corpus as Sentry envelopes
        for (String line : lines) {
            String id = SentryResourceTest.id();
            ids.add(id);
            String event = "{\"event_id\":\"" + id + "\"," + line.substring(1);
            given().header("X-Sentry-Auth", SentryResourceTest.AUTH)
                    .body(("{}\n{\"type\":\"event\"}\n" + event + "\n").getBytes(StandardCharsets.UTF_8))
                    .post("/api/1/envelope/")
                    .then()
                    .statusCode(200);
        }
        Set<String> wanted = Set.copyOf(ids);
        List<ConsumerRecord<String, byte[]>> records = RawTopic.client()
                .readUntil(
                        Topics.EVENTS_RAW.name(),
                        read -> read.stream()
                                .map(RawTopic::eventId)
                                .collect(Collectors.toSet())
                                .containsAll(wanted),
                        Duration.ofSeconds(30));
        List<ConsumerRecord<String, byte[]>> ours = records.stream()
                .filter(r -> wanted.contains(RawTopic.eventId(r)))
                .toList();
        assertThat(ours).hasSize(ids.size());
        List<String> leaks = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : ours) {
            // Avro strings are UTF-8 on the wire: a leaked secret is a byte-level substring
            Matcher m = SECRET.matcher(new String(r.value(), StandardCharsets.ISO_8859_1));
            while (m.find()) {
                leaks.add(RawTopic.eventId(r) + ": " + m.group());
            }
        }
        assertThat(leaks).isEmpty();
        String all = ours.stream()
                .map(r -> new String(r.value(), StandardCharsets.ISO_8859_1))
                .collect(Collectors.joining());
        assertThat(all).contains("[Filtered]").contains("hmac:").contains("application/json");
    }

    @Test
    void noGeneratedSecretReachesTheTopicOnEitherMappingPath() {
        List<SecretCorpus.Seeded> corpus = SecretCorpus.events(20261207);
        Map<String, SecretCorpus.Seeded> byId = new HashMap<>();
        for (boolean tree : new boolean[] {false, true}) {
            List<String> lines = new ArrayList<>();
            for (SecretCorpus.Seeded seeded : corpus) {
                String id = SentryResourceTest.id();
                byId.put(id, seeded);
                // a duplicate key is what the streaming mapper leaves to the tree (which keeps the last)
                String head = tree
                        ? "{\"event_id\":\"" + id + "\",\"level\":\"info\",\"level\":\"error\","
                        : "{\"event_id\":\"" + id + "\",";
                lines.add(head + seeded.json().substring(1));
            }
            given().header("Authorization", "Bearer test-project-key")
                    .contentType("application/x-ndjson")
                    .body(String.join("\n", lines).getBytes(StandardCharsets.UTF_8))
                    .post("/api/v1/projects/1/events")
                    .then()
                    .statusCode(202);
        }
        List<ConsumerRecord<String, byte[]>> ours = RawTopic.client()
                .readUntil(
                        Topics.EVENTS_RAW.name(),
                        read -> read.stream()
                                .map(RawTopic::eventId)
                                .collect(Collectors.toSet())
                                .containsAll(byId.keySet()),
                        Duration.ofSeconds(60))
                .stream()
                .filter(r -> byId.containsKey(RawTopic.eventId(r)))
                .toList();
        assertThat(ours).hasSize(byId.size());
        List<String> leaks = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : ours) {
            SecretCorpus.Seeded seeded = byId.get(RawTopic.eventId(r));
            String bytes = new String(r.value(), StandardCharsets.ISO_8859_1);
            for (String needle : seeded.secret().needles()) {
                if (bytes.contains(needle)) {
                    leaks.add(seeded.secret().kind() + " in " + seeded.field() + ": " + needle);
                }
            }
        }
        assertThat(leaks).isEmpty();
    }
}
