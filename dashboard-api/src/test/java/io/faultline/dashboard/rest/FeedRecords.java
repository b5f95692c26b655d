package io.faultline.dashboard.rest;

import io.faultline.devstack.KafkaTestClient;
import io.faultline.schemas.Classification;
import io.faultline.schemas.ClassifiedError;
import io.faultline.schemas.ErrorEvent;
import io.faultline.schemas.ExceptionValue;
import io.faultline.schemas.GroupingInfo;
import io.faultline.schemas.StackFrame;
import io.faultline.schemas.topics.Topics;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;

/** Puts classified errors on the embedded broker, as the classifier would. */
public final class FeedRecords {

    private final KafkaTestClient kafka =
            new KafkaTestClient(ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));

    public static ClassifiedError classified(String groupId, String title) {
        Instant now = Instant.now();
        return ClassifiedError.newBuilder()
                .setEvent(ErrorEvent.newBuilder()
                        .setEventId(UUID.randomUUID().toString().replace("-", ""))
                        .setProjectId("1")
                        .setTimestamp(now)
                        .setReceivedAt(now)
                        .setMessage(title)
                        .setExceptions(List.of(ExceptionValue.newBuilder()
                                .setType("java.sql.SQLTransientConnectionException")
                                .setValue(title)
                                .setFrames(List.of(
                                        StackFrame.newBuilder()
                                                .setModule("com.example.Checkout")
                                                .setFunction("pay")
                                                .setLineno(12)
                                                .setInApp(true)
                                                .build(),
                                        StackFrame.newBuilder()
                                                .setModule("com.example.PaymentGateway")
                                                .setFunction("charge")
                                                .setLineno(42)
                                                .setInApp(true)
                                                .build()))
                                .build()))
                        .build())
                .setGroupId(groupId)
                .setGrouping(GroupingInfo.newBuilder()
                        .setStrategy("exception-type")
                        .setComponents(List.of("type=java.sql.SQLTransientConnectionException"))
                        .setTitle(title)
                        .build())
                .setClassification(Classification.newBuilder()
                        .setSeverity("critical")
                        .setCategory("database")
                        .setBusinessImpact("revenue_blocking")
                        .setWorkflow("checkout")
                        .build())
                .setClassifiedAt(now)
                .build();
    }

    public void send(ClassifiedError error) {
        kafka.produce(
                Topics.ERRORS_CLASSIFIED.name(),
                error.getGroupId(),
                Topics.ERRORS_CLASSIFIED.valueSerde().serializer().serialize(Topics.ERRORS_CLASSIFIED.name(), error));
    }
}
