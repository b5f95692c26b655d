package io.faultline.resolver.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.faultline.devstack.KafkaTestClient;
import io.faultline.devstack.quarkus.KafkaTestResource;
import io.faultline.schemas.Classification;
import io.faultline.schemas.ClassifiedError;
import io.faultline.schemas.ErrorEvent;
import io.faultline.schemas.GroupingInfo;
import io.faultline.schemas.ResolutionEvent;
import io.faultline.schemas.topics.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
class ClassifiedErrorConsumerTest {

    private final KafkaTestClient kafka =
            new KafkaTestClient(ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));

    @Test
    void aGroupNoRunbookMatchesGetsOneAuditEntryPerWindowAndPoisonGoesToTheDeadLetterTopic() {
        kafka.produce(Topics.ERRORS_CLASSIFIED.name(), "g1", "garbage".getBytes(StandardCharsets.UTF_8));
        ClassifiedError classified = ClassifiedError.newBuilder()
                .setEvent(ErrorEvent.newBuilder()
                        .setEventId("e".repeat(32))
                        .setProjectId("1")
                        .setTimestamp(Instant.parse("2026-11-30T10:00:00Z"))
                        .setReceivedAt(Instant.parse("2026-11-30T10:00:00Z"))
                        .build())
                .setGroupId("g2")
                .setGrouping(GroupingInfo.newBuilder()
                        .setStrategy("message")
                        .setComponents(List.of())
                        .setTitle("t")
                        .build())
                .setClassification(Classification.newBuilder()
                        .setSeverity("high")
                        .setCategory("database")
                        .setBusinessImpact("user_blocking")
                        .build())
                .setClassifiedAt(Instant.parse("2026-11-30T10:00:01Z"))
                .build();
        kafka.produce(
                Topics.ERRORS_CLASSIFIED.name(),
                "g2",
                Topics.ERRORS_CLASSIFIED.valueSerde().serializer().serialize("t", classified));
        // more errors of the group: the decision is the same and is not recorded again
        for (int i = 0; i < 3; i++) {
            classified.getEvent().setEventId(Integer.toString(i).repeat(32));
            kafka.produce(
                    Topics.ERRORS_CLASSIFIED.name(),
                    "g2",
                    Topics.ERRORS_CLASSIFIED.valueSerde().serializer().serialize("t", classified));
        }

        // the broker is shared with the other tests of the module: look at this group's entries only
        // read for a while past the first: the later errors were consumed in the meantime
        List<ConsumerRecord<String, byte[]>> audit = kafka
                .readUntil(
                        Topics.RESOLUTIONS.name(),
                        r -> r.stream().filter(x -> "g2".equals(x.key())).count() > 1,
                        Duration.ofSeconds(8))
                .stream()
                .filter(r -> "g2".equals(r.key()))
                .toList();
        assertThat(audit).hasSize(1);
        ResolutionEvent entry = Topics.RESOLUTIONS
                .valueSerde()
                .deserializer()
                .deserialize("t", audit.get(0).value());
        assertThat(entry.getGroupId()).isEqualTo("g2");
        assertThat(entry.getPhase()).isEqualTo("no_runbook_matched");
        assertThat(entry.getEventId()).isEqualTo("e".repeat(32));

        List<ConsumerRecord<String, byte[]>> dead =
                kafka.readUntil(Topics.ERRORS_CLASSIFIED_DLQ.name(), r -> !r.isEmpty(), Duration.ofSeconds(30));
        assertThat(dead).hasSize(1);
        assertThat(new String(dead.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("garbage");
        assertThat(dead.get(0).headers().lastHeader("dead-letter-reason")).isNotNull();
    }
}
