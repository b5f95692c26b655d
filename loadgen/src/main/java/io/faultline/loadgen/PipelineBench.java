package io.faultline.loadgen;

import io.faultline.schemas.ClassifiedError;
import io.faultline.schemas.topics.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * {@code ./faultline bench pipeline}: events/s through ingest → classifier (exactly-once on) and
 * the latency from the intake's acknowledgement to the classified record being readable
 * (read_committed) on {@code faultline.errors.classified.v1}.
 */
public final class PipelineBench {

    public static void main(String[] args) throws Exception {
        Map<String, String> env = BenchArgs.stackEnv(args);
        Duration warmup = Duration.ofSeconds(BenchArgs.intOption(args, "--warmup", 5));
        Duration measure = Duration.ofSeconds(BenchArgs.intOption(args, "--seconds", 20));
        int concurrency = BenchArgs.intOption(args, "--concurrency", 64);
        String url = env.get("INGEST_URL") + "/api/v1/projects/" + env.get("PROJECT_ID") + "/events";
        String key = env.get("PROJECT_KEY");

        Map<String, Long> ackedAt = new ConcurrentHashMap<>();
        Latencies endToEnd = new Latencies();
        AtomicLong classifiedInWindow = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        long[] window = new long[2];

        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, env.get("KAFKA_BOOTSTRAP_SERVERS"));
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-" + UUID.randomUUID());
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(Topics.ERRORS_CLASSIFIED.name()));
        while (consumer.assignment().isEmpty()) {
            consumer.poll(Duration.ofMillis(100));
        }
        Thread reader = new Thread(
                () -> {
                    try (consumer) {
                        while (!stop.get()) {
                            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                                long now = System.nanoTime();
                                ClassifiedError e = Topics.ERRORS_CLASSIFIED
                                        .valueSerde()
                                        .deserializer()
                                        .deserialize(r.topic(), r.value());
                                Long acked = ackedAt.remove(e.getEvent().getEventId());
                                if (acked != null && acked >= window[0] && acked <= window[1]) {
                                    endToEnd.add(Math.max(0, now - acked) / 1_000);
                                }
                                if (now >= window[0] && now <= window[1]) {
                                    classifiedInWindow.incrementAndGet();
                                }
                            }
                        }
                    }
                },
                "classified-reader");
        long start = System.nanoTime();
        window[0] = start + warmup.toNanos();
        window[1] = window[0] + measure.toNanos();
        reader.start();

        System.out.printf(
                "pipeline: %d in flight, %ds warm-up, %ds measured%n",
                concurrency, warmup.toSeconds(), measure.toSeconds());
        HttpLoad.Result posted =
                new HttpLoad().run(() -> SampleEvents.single(url, key), concurrency, warmup, measure, ackedAt::put);
        // let the tail of the window drain before stopping the reader
        long drainUntil = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < drainUntil && !ackedAt.isEmpty()) {
            Thread.sleep(100);
        }
        stop.set(true);
        reader.join();

        double seconds = measure.toNanos() / 1e9;
        IngestBench.report("ingest", posted);
        double eventsPerSec = classifiedInWindow.get() / seconds;
        System.out.printf(
                "classified: %.0f events/s; ack → classified p50 %.1f ms, p99 %.1f ms (%d matched)%n",
                eventsPerSec, endToEnd.percentileMillis(50), endToEnd.percentileMillis(99), endToEnd.count());
        System.out.printf(
                "{\"eventsPerSec\":%.0f,\"ingestEventsPerSec\":%.0f,\"p50Millis\":%.1f,\"p99Millis\":%.1f,"
                        + "\"matched\":%d,\"seconds\":%d,\"concurrency\":%d}%n",
                eventsPerSec,
                posted.eventsPerSecond(),
                endToEnd.percentileMillis(50),
                endToEnd.percentileMillis(99),
                endToEnd.count(),
                measure.toSeconds(),
                concurrency);
    }

    private PipelineBench() {}
}
