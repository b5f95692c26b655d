package io.faultline.classifier.streams;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

import io.faultline.classifier.detection.DetectionSettings;
import io.faultline.devstack.KafkaTestClient;
import io.faultline.devstack.quarkus.KafkaTestResource;
import io.faultline.schemas.ClassifiedError;
import io.faultline.schemas.ErrorEvent;
import io.faultline.schemas.ErrorGroup;
import io.faultline.schemas.topics.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * The classifier on a real broker: raw events in (one on its project's partition, one elsewhere),
 * classified errors and groups out, rates over REST; then the streams restart on the same application id and state directory and a new event
 * of the same error lands in the same group.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
class ClassifierStreamsTest {

    private static final Duration DEADLINE = Duration.ofSeconds(90);

    private final Config config = ConfigProvider.getConfig();
    private final KafkaTestClient kafka = new KafkaTestClient(config.getValue("kafka.bootstrap.servers", String.class));

    @Inject
    KafkaStreams streams;

    /** Keyed by project, as ingest writes it: on the partition of the project's task. */
    private void send(ErrorEvent event) {
        send(event.getProjectId(), event);
    }

    private void send(String key, ErrorEvent event) {
        kafka.produce(
                Topics.EVENTS_RAW.name(),
                key,
                Topics.EVENTS_RAW.valueSerde().serializer().serialize("t", event));
    }

    /** A key the default partitioner puts on another partition than the project's. */
    private static String keyElsewhereThan(String projectId) {
        int home = ProjectPartitioner.of(projectId, Topics.PARTITIONS);
        for (int i = 0; ; i++) {
            if (ProjectPartitioner.of("k" + i, Topics.PARTITIONS) != home) {
                return "k" + i;
            }
        }
    }

    private List<ClassifiedError> classified(int atLeast) {
        List<ConsumerRecord<String, byte[]>> read =
                kafka.readUntil(Topics.ERRORS_CLASSIFIED.name(), r -> r.size() >= atLeast, DEADLINE);
        return read.stream()
                .map(r -> Topics.ERRORS_CLASSIFIED.valueSerde().deserializer().deserialize("t", r.value()))
                .toList();
    }

    @Test
    void eventsAreClassifiedGroupedCountedAndKeepTheirGroupAcrossARestart() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        send(ClassifierTopologyTest.sqlError("e".repeat(32), 10, now));
        // written by another producer onto another partition: it takes the repartition hop and
        // still meets the first in the project's task
        send(keyElsewhereThan("1"), ClassifierTopologyTest.sqlError("f".repeat(32), 99, now.plusMillis(10)));

        List<ClassifiedError> first = classified(2);
        assertThat(first).hasSize(2);
        String groupId = first.get(0).getGroupId();
        assertThat(first.get(1).getGroupId()).isEqualTo(groupId);
        // groups go out once per publishing round: the two events may share one record
        List<ErrorGroup> groups = groupsUntilCount(2);
        assertThat(groups).extracting(ErrorGroup::getGroupId).containsOnly(groupId);
        assertThat(groups.get(groups.size() - 1).getCount()).isEqualTo(2);

        Awaitility.await().atMost(DEADLINE).untilAsserted(() -> given().get("/api/v1/rates/groups/" + groupId)
                .then()
                .statusCode(200)
                .body("key", is(groupId))
                // both events fall in the hour around now, or the one before if the hour just turned
                .body("windows.findAll { it.window == '1h' }.collect { it.count + it.previousCount }.sum()", is(2)));

        streams.close(Duration.ofSeconds(30));
        try (KafkaStreams restarted = new KafkaStreams(
                ClassifierTopology.build(ClassifierTopologyTest::analyzer, DetectionSettings.defaults()),
                sameApplication())) {
            restarted.start();
            send(ClassifierTopologyTest.sqlError("9".repeat(32), 42, now.plusSeconds(1)));

            List<ClassifiedError> all = classified(3);
            assertThat(all).hasSize(3);
            assertThat(all.get(2).getGroupId()).isEqualTo(groupId);
            List<ErrorGroup> after = groupsUntilCount(3);
            // the restored group store carried the count on from 2
            assertThat(after.get(after.size() - 1).getCount()).isEqualTo(3);
        }
    }

    /** The groups published up to the first one counting {@code count} events. */
    private List<ErrorGroup> groupsUntilCount(long count) {
        return kafka
                .readUntil(
                        Topics.GROUPS.name(),
                        r -> r.stream().map(ClassifierStreamsTest::group).anyMatch(g -> g.getCount() >= count),
                        DEADLINE)
                .stream()
                .map(ClassifierStreamsTest::group)
                .toList();
    }

    private static ErrorGroup group(ConsumerRecord<String, byte[]> record) {
        return Topics.GROUPS.valueSerde().deserializer().deserialize("t", record.value());
    }

    /** The Kafka Streams settings the service runs with, from its configuration. */
    private Properties sameApplication() {
        Properties p = new Properties();
        p.put(
                StreamsConfig.APPLICATION_ID_CONFIG,
                config.getValue("quarkus.kafka-streams.application-id", String.class));
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.getValue("kafka.bootstrap.servers", String.class));
        p.put(StreamsConfig.STATE_DIR_CONFIG, config.getValue("kafka-streams.state.dir", String.class));
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        return p;
    }
}
