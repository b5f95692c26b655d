package io.faultline.resolver.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.faultline.devstack.KafkaTestClient;
import io.faultline.devstack.quarkus.KafkaTestResource;
import io.faultline.resolver.engine.OccurrenceLog;
import io.faultline.resolver.runbook.Trigger;
import io.faultline.schemas.Classification;
import io.faultline.schemas.ClassifiedError;
import io.faultline.schemas.ErrorEvent;
import io.faultline.schemas.GroupingInfo;
import io.faultline.schemas.topics.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * A verification's errors come from the classified topic itself, so a resolver instance judges
 * errors that another instance consumed (or that no instance has consumed yet) exactly as its own.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
class KafkaOccurrenceSourceTest {

    private final KafkaTestClient kafka =
            new KafkaTestClient(ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));

    @Inject
    KafkaOccurrenceSource source;

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    /** The judged stretch lies in the past, so every record's write time is after it (milliseconds, as Avro keeps). */
    private final Instant from = Instant.now().minusSeconds(30).truncatedTo(ChronoUnit.MILLIS);

    private final Instant to = from.plusSeconds(10);

    @Test
    void aGroupsOccurrencesAreItsErrorsInTheStretchEachEventOnce() {
        String group = "g-scan-" + run;
        ClassifiedError first = error(group, "1", null, from.plusSeconds(1), from.plusSeconds(1));
        publish(first);
        publish(first); // redelivered: one occurrence
        publish(error(group, "1", null, from.plusSeconds(2), from.plusSeconds(2)));
        // raised long before the action, received just after it: placed 5 s before receipt, so before
        publish(error(group, "1", null, from.minusSeconds(60), from.plusSeconds(1)));
        publish(error(group, "1", null, to.plusSeconds(5), to.plusSeconds(5))); // after the stretch
        publish(error("g-other-" + run, "1", null, from.plusSeconds(3), from.plusSeconds(3)));

        OccurrenceLog log = source.read(groupTrigger(group, "1"), from, to);

        assertThat(log.count(group, from, to)).isEqualTo(2);
        assertThat(log.latest(group, from, to)).contains(from.plusSeconds(2));
    }

    @Test
    void aWorkflowSignalCountsTheWorkflowsErrorsOfEveryGroupOnEveryPartitionOfItsProject() {
        String workflow = "checkout-" + run;
        List<String> groups = Stream.of("a", "b", "c", "d", "e", "f")
                .map(s -> "g-" + s + "-" + run)
                .toList();
        assertThat(groups.stream().map(this::partitionOf).distinct().count())
                .as("the groups' errors lie on several partitions")
                .isGreaterThan(1);
        groups.forEach(g -> publish(error(g, "7", workflow, from.plusSeconds(4), from.plusSeconds(4))));
        publish(error("g-x-" + run, "8", workflow, from.plusSeconds(4), from.plusSeconds(4))); // another project
        publish(error("g-y-" + run, "7", "search-" + run, from.plusSeconds(4), from.plusSeconds(4)));
        publish(error("g-z-" + run, "7", null, from.plusSeconds(4), from.plusSeconds(4)));
        Trigger burn = scopeTrigger(Trigger.workflowKey(workflow), "7", workflow);

        OccurrenceLog log = source.read(burn, from, to);

        assertThat(log.count(burn.groupId(), from, to)).isEqualTo(groups.size());
    }

    @Test
    void aProjectSignalCountsAllTheProjectsErrors() {
        String project = "p-" + run;
        publish(error("g-a-" + run, project, "checkout", from.plusSeconds(1), from.plusSeconds(1)));
        publish(error("g-b-" + run, project, null, from.plusSeconds(2), from.plusSeconds(2)));
        publish(error("g-c-" + run, "other-" + run, null, from.plusSeconds(2), from.plusSeconds(2)));
        Trigger burn = scopeTrigger(Trigger.projectKey(project), project, null);

        OccurrenceLog log = source.read(burn, from, to);

        assertThat(log.count(burn.groupId(), from, to)).isEqualTo(2);
    }

    @Test
    void undecodableRecordsOnTheTopicAreSkipped() {
        String group = "g-poison-" + run;
        kafka.produce(Topics.ERRORS_CLASSIFIED.name(), group, "garbage".getBytes(StandardCharsets.UTF_8));
        publish(error(group, "1", null, from.plusSeconds(1), from.plusSeconds(1)));

        assertThat(source.read(groupTrigger(group, "1"), from, to).count(group, from, to))
                .isEqualTo(1);
    }

    private int partitionOf(String key) {
        return BuiltInPartitioner.partitionForKey(key.getBytes(StandardCharsets.UTF_8), Topics.PARTITIONS);
    }

    private void publish(ClassifiedError c) {
        kafka.produce(
                Topics.ERRORS_CLASSIFIED.name(),
                c.getGroupId(),
                Topics.ERRORS_CLASSIFIED.valueSerde().serializer().serialize("t", c));
    }

    private static ClassifiedError error(
            String group, String project, String workflow, Instant raised, Instant received) {
        return ClassifiedError.newBuilder()
                .setEvent(ErrorEvent.newBuilder()
                        .setEventId(UUID.randomUUID().toString().replace("-", ""))
                        .setProjectId(project)
                        .setTimestamp(raised)
                        .setReceivedAt(received)
                        .setMessage("boom")
                        .build())
                .setGroupId(group)
                .setGrouping(GroupingInfo.newBuilder()
                        .setStrategy("message")
                        .setComponents(List.of())
                        .setTitle("boom")
                        .build())
                .setClassification(Classification.newBuilder()
                        .setSeverity("high")
                        .setCategory("database")
                        .setBusinessImpact("user_blocking")
                        .setWorkflow(workflow)
                        .build())
                .setClassifiedAt(received)
                .build();
    }

    private Trigger groupTrigger(String group, String project) {
        return trigger(Trigger.Source.CLASSIFIED_ERROR, group, project, null, null);
    }

    private Trigger scopeTrigger(String key, String project, String workflow) {
        return trigger(Trigger.Source.SIGNAL, key, project, workflow, "slo_burn");
    }

    private Trigger trigger(Trigger.Source source, String key, String project, String workflow, String signal) {
        return new Trigger(
                source,
                key,
                project,
                "e-" + run,
                from,
                List.of(),
                null,
                "high",
                null,
                workflow,
                null,
                null,
                List.of(),
                null,
                "boom",
                "boom",
                Map.of(),
                Map.of(),
                signal,
                from);
    }
}
