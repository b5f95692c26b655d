package io.faultline.loadgen;

import io.faultline.schemas.ResolutionEvent;
import io.faultline.schemas.topics.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Follows the resolver's audit trail ({@code faultline.resolutions.v1}) from its beginning in a
 * background thread, so callers can ask what happened to an attempt while they keep driving load.
 */
public final class ResolutionTrail implements AutoCloseable {

    /** Phases after which an attempt does nothing more. */
    public static final Set<String> FINAL_PHASES = Set.of("verification_passed", "escalated", "skipped");

    private final List<ResolutionEvent> entries = new CopyOnWriteArrayList<>();
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread reader;
    private volatile boolean running = true;

    public ResolutionTrail(String bootstrapServers) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "resolution-trail-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(Topics.RESOLUTIONS.name()));
        reader = new Thread(this::read, "resolution-trail");
        reader.setDaemon(true);
        reader.start();
    }

    private void read() {
        try {
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    entries.add(Topics.RESOLUTIONS.valueSerde().deserializer().deserialize(r.topic(), r.value()));
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    public List<ResolutionEvent> entries() {
        return List.copyOf(entries);
    }

    /** The first attempt of {@code runbookId} matched at or after {@code since}. */
    public Optional<String> attemptSince(String runbookId, Instant since) {
        return entries.stream()
                .filter(e -> e.getPhase().equals("matched"))
                .filter(e -> runbookId.equals(e.getRunbookId()))
                .filter(e -> !e.getTimestamp().isBefore(since))
                .map(ResolutionEvent::getAttemptId)
                .findFirst();
    }

    /** The attempt's entries in the order they were written. */
    public List<ResolutionEvent> attempt(String attemptId) {
        return entries.stream().filter(e -> e.getAttemptId().equals(attemptId)).toList();
    }

    /** The entry that ended the attempt, if it has ended. */
    public Optional<ResolutionEvent> outcome(String attemptId) {
        return attempt(attemptId).stream()
                .filter(e -> FINAL_PHASES.contains(e.getPhase()))
                .findFirst();
    }

    public Optional<ResolutionEvent> first(Predicate<ResolutionEvent> p) {
        return entries.stream().filter(p).findFirst();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        reader.join(5000);
    }
}
