package io.faultline.resolver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.faultline.devstack.KafkaTestClient;
import io.faultline.devstack.quarkus.KafkaTestResource;
import io.faultline.resolver.engine.TriggerRecord;
import io.faultline.resolver.messaging.KafkaCommittedOffsets;
import io.faultline.schemas.Signal;
import io.faultline.schemas.topics.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * With two resolvers in one consumer group, the one that takes over a killed member's partitions
 * starts from the group's committed offsets. A record that claimed an attempt must therefore be
 * committed before the attempt's first action: otherwise the other resolver is redelivered it and
 * runs the action a second time (issue #24's drill: 3 of 22 action steps repeated). The periodic
 * commit is pushed out of the test's reach here, so only a commit made for the claim can count.
 */
@QuarkusTest
@TestProfile(ClaimCommitTest.NoPeriodicCommit.class)
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(ResolverTestEnvironment.class)
class ClaimCommitTest {

    /** The throttled commit strategy's period, far beyond the test: as if the process died before it. */
    public static class NoPeriodicCommit implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "mp.messaging.incoming.\"faultline.errors.classified.v1\".auto.commit.interval.ms", "3600000",
                    "mp.messaging.incoming.\"faultline.signals.v1\".auto.commit.interval.ms", "3600000");
        }
    }

    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private final String bootstrap = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
    private final KafkaTestClient kafka = new KafkaTestClient(bootstrap);

    @Test
    void aClassifiedErrorThatClaimedAnAttemptIsCommittedBeforeTheActionRuns() throws Exception {
        kafka.produce(
                Topics.ERRORS_CLASSIFIED.name(),
                "g-once",
                ResolutionFlowTest.serialize(ResolutionFlowTest.classified("g-once", "worker stuck", Map.of())));

        assertCommittedWhenActed(Topics.ERRORS_CLASSIFIED.name(), "g-once", "faultline-resolver", "/app/once/restart");
    }

    @Test
    void aSignalThatClaimedAnAttemptIsCommittedBeforeTheActionRuns() throws Exception {
        Instant now = Instant.now();
        Signal spike = Signal.newBuilder()
                .setSignalId(UUID.randomUUID().toString())
                .setType("spike")
                .setProjectId("1")
                .setGroupId("g-once-signal")
                .setDetectedAt(now)
                .setWindowStart(now.minusSeconds(60))
                .setWindowEnd(now)
                .build();
        kafka.produce(
                Topics.SIGNALS.name(),
                "g-once-signal",
                Topics.SIGNALS.valueSerde().serializer().serialize("t", spike));

        assertCommittedWhenActed(
                Topics.SIGNALS.name(), "g-once-signal", "faultline-resolver-signals", "/app/once-signal/restart");
    }

    /**
     * Once the action has been called, the group's committed offset is past the trigger's record:
     * a second resolver taking the partition over now would not be redelivered it.
     */
    private void assertCommittedWhenActed(String topic, String key, String group, String actionPath) throws Exception {
        await().atMost(DEADLINE)
                .until(() -> !ResolverTestEnvironment.received(actionPath).isEmpty());
        ConsumerRecord<String, byte[]> trigger =
                kafka.readUntil(topic, r -> r.stream().anyMatch(x -> key.equals(x.key())), DEADLINE).stream()
                        .filter(r -> key.equals(r.key()))
                        .findFirst()
                        .orElseThrow();
        TopicPartition partition = new TopicPartition(trigger.topic(), trigger.partition());
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(p)) {
            OffsetAndMetadata committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata()
                    .get()
                    .get(partition);
            assertThat(committed)
                    .as("group %s's committed offset of %s when the action ran", group, partition)
                    .isNotNull();
            assertThat(committed.offset()).isGreaterThan(trigger.offset());
        }
        // what a restart asks about a claim whose 'committed' step never reached the disk
        KafkaCommittedOffsets offsets =
                new KafkaCommittedOffsets(ConfigProvider.getConfig(), Map.of("bootstrap.servers", bootstrap));
        assertThat(offsets.committedPast(new TriggerRecord(topic, trigger.partition(), trigger.offset())))
                .isTrue();
        assertThat(offsets.committedPast(new TriggerRecord(topic, trigger.partition(), trigger.offset() + 1_000_000)))
                .isFalse();
        assertThat(ResolverTestEnvironment.received(actionPath)).hasSize(1);
    }
}
