package io.faultline.ingest.project;

import io.faultline.ingest.config.IngestConfig;
import io.faultline.ingest.service.IngestProblem;
import io.faultline.schemas.Project;
import io.faultline.schemas.ProjectKey;
import io.faultline.schemas.topics.KafkaConnection;
import io.faultline.schemas.topics.TopicFollower;
import io.faultline.schemas.topics.Topics;
import io.quarkus.runtime.Startup;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/**
 * The durable store of projects and keys: the compacted topic {@code faultline.projects.v1},
 * read whole into memory at start and followed by a consumer thread, so that every ingest
 * instance sees a key created or revoked on any other within a poll interval (half a second).
 * There is no consumer group: each instance reads the single partition from the beginning.
 */
@Startup
@ApplicationScoped
public class ProjectLog {

    private static final Logger LOG = Logger.getLogger(ProjectLog.class);
    private static final long SEND_BUDGET_MS = 500;

    private final Map<String, Object> kafka;
    private final Duration ackTimeout;
    private final Map<String, ProjectEntry> projects = new ConcurrentHashMap<>();
    private KafkaProducer<String, byte[]> producer;
    private TopicFollower<byte[]> follower;

    @Inject
    public ProjectLog(@Identifier("default-kafka-broker") Map<String, Object> kafka, IngestConfig config) {
        this.kafka = kafka;
        this.ackTimeout = config.ingest().ackTimeout();
    }

    @PostConstruct
    void start() {
        // the admin API answers as the intake does: a 503 within the acknowledgement timeout when
        // the broker is away, not a 500 after 20 s; the send may block for SEND_BUDGET_MS, the
        // acknowledgement gets the rest
        long deliveryTimeout = Math.max(1_000, ackTimeout.toMillis()) - SEND_BUDGET_MS;
        Map<String, Object> writes = KafkaConnection.acknowledgedWrites(
                kafka, "faultline-ingest-projects", Duration.ofMillis(deliveryTimeout));
        writes.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) SEND_BUDGET_MS);
        writes.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(3_000, deliveryTimeout - 10));
        producer = new KafkaProducer<>(writes, new StringSerializer(), new ByteArraySerializer());
        // reads the topic from the beginning, then keeps applying what other instances write
        follower = new TopicFollower<>(
                        Topics.PROJECTS,
                        new ByteArrayDeserializer(),
                        KafkaConnection.settings(kafka),
                        "faultline-ingest-projects",
                        this::apply,
                        () -> {})
                .start();
    }

    private void apply(String id, byte[] value) {
        if (id == null) {
            return;
        }
        if (value == null) {
            projects.remove(id);
            return;
        }
        try {
            projects.put(
                    id,
                    fromAvro(Topics.PROJECTS.valueSerde().deserializer().deserialize(Topics.PROJECTS.name(), value)));
        } catch (RuntimeException e) {
            LOG.errorf("unreadable project record %s skipped: %s", id, e.toString());
        }
    }

    /** True once the topic has been read up to where it ended at start: only then are keys complete. */
    public boolean caughtUp() {
        return follower.caughtUp();
    }

    public Optional<ProjectEntry> find(String id) {
        return Optional.ofNullable(projects.get(id));
    }

    public Collection<ProjectEntry> all() {
        return projects.values();
    }

    /**
     * Writes the project and waits for the broker's acknowledgement; applies it locally at once
     * so that the writer reads its own write.
     */
    public synchronized void save(ProjectEntry project) {
        byte[] value = Topics.PROJECTS.valueSerde().serializer().serialize(Topics.PROJECTS.name(), toAvro(project));
        try {
            // the producer reports the write within max.block.ms + delivery.timeout.ms: the
            // wait's own bound is only a backstop
            producer.send(new ProducerRecord<>(Topics.PROJECTS.name(), project.id(), value))
                    .get(ackTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while storing project " + project.id(), e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException | KafkaException e) {
            LOG.warnf("project %s not stored: %s", project.id(), e.toString());
            throw IngestProblem.unavailable("the project could not be stored; retry later");
        }
        projects.put(project.id(), project);
    }

    static ProjectEntry fromAvro(Project p) {
        return new ProjectEntry(
                p.getProjectId(),
                p.getName(),
                p.getKeys().stream()
                        .map(k -> new ClientKey(k.getPublicKey(), k.getSecretKey(), k.getCreatedAt(), k.getRevokedAt()))
                        .toList(),
                p.getUpdatedAt());
    }

    static Project toAvro(ProjectEntry p) {
        return Project.newBuilder()
                .setProjectId(p.id())
                .setName(p.name())
                .setKeys(p.keys().stream()
                        .map(k -> ProjectKey.newBuilder()
                                .setPublicKey(k.publicKey())
                                .setSecretKey(k.secretKey())
                                .setCreatedAt(k.createdAt())
                                .setRevokedAt(k.revokedAt())
                                .build())
                        .toList())
                .setUpdatedAt(p.updatedAt())
                .build();
    }

    @PreDestroy
    void stop() {
        follower.stop();
        producer.close(Duration.ofSeconds(5));
    }
}
