package io.faultline.resolver.messaging;

import io.faultline.resolver.engine.CommittedOffsets;
import io.faultline.resolver.engine.TriggerRecord;
import io.faultline.schemas.topics.KafkaConnection;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.Config;

/**
 * The committed offsets of the consumer group of the channel a trigger was read from (channels
 * are named after their topics), asked at start-up for the few claims whose commit the journal
 * does not know about.
 */
@ApplicationScoped
public class KafkaCommittedOffsets implements CommittedOffsets {

    private static final Duration ASK_FOR = Duration.ofSeconds(10);

    private final Config config;
    /** bootstrap.servers and the credentials: the broker's listener may require them */
    private final Map<String, Object> connection;

    public KafkaCommittedOffsets(Config config, @Identifier("default-kafka-broker") Map<String, Object> kafka) {
        this.config = config;
        this.connection = KafkaConnection.settings(kafka);
    }

    @Override
    public boolean committedPast(TriggerRecord record) {
        String group = config.getValue("mp.messaging.incoming.\"" + record.topic() + "\".group.id", String.class);
        Properties p = new Properties();
        p.putAll(connection);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) ASK_FOR.toMillis());
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) ASK_FOR.toMillis());
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        try (Admin admin = Admin.create(p)) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata()
                    .get(ASK_FOR.toMillis(), TimeUnit.MILLISECONDS);
            OffsetAndMetadata at = committed.get(partition);
            return at != null && at.offset() > record.offset();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new KafkaException("reading group " + group + "'s committed offset of " + partition, e);
        }
    }
}
