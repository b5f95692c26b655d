package io.faultline.examples.booking.messaging;

import io.faultline.examples.booking.service.BookingService;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Consumes the retry topic Faultline's redrive strategy publishes to and re-drives the failed
 * bookings. A plain consumer thread rather than a messaging channel: the topic is created here
 * first (a consumer subscribed to a topic that does not exist yet would notice it only at its
 * next metadata refresh, minutes later), and offsets are committed only after the re-drive ran.
 */
@ApplicationScoped
public class RetryConsumer {

    private static final Logger LOG = Logger.getLogger(RetryConsumer.class);
    private static final int LOCAL_TRIES = 20;
    private static final Duration LOCAL_BACKOFF = Duration.ofMillis(500);

    private final BookingService bookings;
    private final boolean enabled;
    private final String bootstrap;
    private final String topic;
    private volatile KafkaConsumer<String, String> consumer;
    private volatile boolean running;
    private Thread thread;

    public RetryConsumer(
            BookingService bookings,
            @ConfigProperty(name = "booking.retries.enabled", defaultValue = "true") boolean enabled,
            @ConfigProperty(name = "kafka.bootstrap.servers", defaultValue = "localhost:19092") String bootstrap,
            @ConfigProperty(name = "booking.retries.topic", defaultValue = "booking.retries.v1") String topic) {
        this.bookings = bookings;
        this.enabled = enabled;
        this.bootstrap = bootstrap;
        this.topic = topic;
    }

    void start(@Observes StartupEvent ignored) {
        if (!enabled) {
            return;
        }
        running = true;
        thread = new Thread(this::run, "booking-retry-consumer");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent ignored) {
        running = false;
        KafkaConsumer<String, String> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }

    private void run() {
        try {
            createTopic();
            Properties p = new Properties();
            p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            p.put(ConsumerConfig.GROUP_ID_CONFIG, "booking-demo-retries");
            p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            try (KafkaConsumer<String, String> c =
                    new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
                consumer = c;
                c.subscribe(List.of(topic));
                LOG.infof("consuming re-drives from %s", topic);
                while (running) {
                    for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(500))) {
                        handle(r);
                    }
                    c.commitSync();
                }
            }
        } catch (WakeupException e) {
            // shutting down
        } catch (Exception e) {
            LOG.errorf(e, "retry consumer stopped");
        }
    }

    private void handle(ConsumerRecord<String, String> r) {
        String attempt = header(r, "faultline.attempt-id");
        try {
            String by = attempt == null ? "unknown" : attempt;
            // the database may still be failing over when the re-drive arrives: retry locally,
            // as a consumer does before it gives a message up, and report only the last failure
            BookingService.RedriveResult result = bookings.redrive(r.value(), by, false);
            for (int i = 1; result.stillFailing() > 0 && i < LOCAL_TRIES && running; i++) {
                java.util.concurrent.locks.LockSupport.parkNanos(LOCAL_BACKOFF.toNanos());
                result = bookings.redrive(r.value(), by, i == LOCAL_TRIES - 1);
            }
            LOG.infof(
                    "re-drive %s@%d (attempt %s): %d written, %d still failing",
                    r.topic(), r.offset(), attempt, result.redriven(), result.stillFailing());
        } catch (IllegalArgumentException e) {
            // a payload we cannot read will not get better by reading it again
            LOG.errorf("unreadable re-drive %s@%d skipped: %s", r.topic(), r.offset(), e.getMessage());
        }
    }

    private void createTopic() throws InterruptedException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                LOG.warnf("could not create %s: %s", topic, e.getCause().toString());
            }
        }
    }

    private static String header(ConsumerRecord<String, String> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
