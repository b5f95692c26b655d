package io.faultline.impact;

import io.faultline.devstack.KafkaTestClient;
import io.faultline.schemas.Classification;
import io.faultline.schemas.ClassifiedError;
import io.faultline.schemas.ErrorEvent;
import io.faultline.schemas.GroupingInfo;
import io.faultline.schemas.ResolutionEvent;
import io.faultline.schemas.TrafficSample;
import io.faultline.schemas.topics.Topics;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.config.ConfigProvider;

/** Builds and sends the records the impact service consumes, through the real broker. */
public final class ImpactFixtures {

    private final KafkaTestClient kafka =
            new KafkaTestClient(ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));

    public static ClassifiedError error(
            String project,
            String eventId,
            String groupId,
            Instant at,
            String transaction,
            String workflow,
            String severity,
            String impact) {
        return ClassifiedError.newBuilder()
                .setEvent(ErrorEvent.newBuilder()
                        .setEventId(eventId)
                        .setProjectId(project)
                        .setTimestamp(at)
                        .setReceivedAt(at)
                        .setTransaction(transaction)
                        .setMessage("failure in " + groupId)
                        .build())
                .setGroupId(groupId)
                .setGrouping(GroupingInfo.newBuilder()
                        .setStrategy("message")
                        .setComponents(List.of("message=failure in " + groupId))
                        .setTitle("failure in " + groupId)
                        .build())
                .setClassification(Classification.newBuilder()
                        .setSeverity(severity)
                        .setCategory("business_logic")
                        .setBusinessImpact(impact)
                        .setWorkflow(workflow)
                        .build())
                .setClassifiedAt(at)
                .build();
    }

    public static TrafficSample traffic(
            String sampleId, String project, String transaction, Instant start, Instant end, long requests) {
        return TrafficSample.newBuilder()
                .setSampleId(sampleId)
                .setProjectId(project)
                .setTransaction(transaction)
                .setWindowStart(start)
                .setWindowEnd(end)
                .setRequests(requests)
                .build();
    }

    public static ResolutionEvent resolution(
            String entryId, String project, String groupId, String eventId, Instant at, String phase) {
        return ResolutionEvent.newBuilder()
                .setEntryId(entryId)
                .setAttemptId("attempt-" + groupId)
                .setGroupId(groupId)
                .setProjectId(project)
                .setEventId(eventId)
                .setTimestamp(at)
                .setPhase(phase)
                .setRunbookId("restart-worker")
                .build();
    }

    public void send(ClassifiedError c) {
        kafka.produce(
                Topics.ERRORS_CLASSIFIED.name(),
                c.getGroupId(),
                Topics.ERRORS_CLASSIFIED.valueSerde().serializer().serialize("t", c));
    }

    public void send(TrafficSample t) {
        kafka.produce(
                Topics.TRAFFIC.name(),
                t.getProjectId(),
                Topics.TRAFFIC.valueSerde().serializer().serialize("t", t));
    }

    public void send(ResolutionEvent r) {
        kafka.produce(
                Topics.RESOLUTIONS.name(),
                r.getGroupId(),
                Topics.RESOLUTIONS.valueSerde().serializer().serialize("t", r));
    }

    public void sendRaw(String topic, byte[] bytes) {
        kafka.produce(topic, "x", bytes);
    }

    /** JSON decimals as doubles (RestAssured defaults to floats, which cannot be compared exactly). */
    public static void decimalsAsDoubles() {
        io.restassured.RestAssured.config = io.restassured.RestAssured.config()
                .jsonConfig(io.restassured.config.JsonConfig.jsonConfig()
                        .numberReturnType(io.restassured.path.json.config.JsonPathConfig.NumberReturnType.DOUBLE));
    }

    public static String eventId(String prefix, int i) {
        String hex = Integer.toHexString(prefix.hashCode()) + String.format("%08x", i);
        return (hex + "0".repeat(32)).substring(0, 32);
    }
}
