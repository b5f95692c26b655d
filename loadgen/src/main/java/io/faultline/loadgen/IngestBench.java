package io.faultline.loadgen;

import io.faultline.schemas.topics.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code ./faultline bench ingest}: events/s and acknowledgement latency of the intake for (a) one
 * event per request and (b) NDJSON batches, against (c) a plain Kafka producer with the intake's
 * settings writing the very records the intake wrote — the limit the intake can approach.
 */
public final class IngestBench {

    public static void main(String[] args) throws Exception {
        Map<String, String> env = BenchArgs.stackEnv(args);
        Duration warmup = Duration.ofSeconds(BenchArgs.intOption(args, "--warmup", 5));
        Duration measure = Duration.ofSeconds(BenchArgs.intOption(args, "--seconds", 15));
        int concurrency = BenchArgs.intOption(args, "--concurrency", 64);
        int batch = BenchArgs.intOption(args, "--batch", 100);
        long ingestPid = BenchArgs.intOption(args, "--ingest-pid", -1);
        String url = env.get("INGEST_URL") + "/api/v1/projects/" + env.get("PROJECT_ID") + "/events";
        String key = env.get("PROJECT_KEY");
        HttpLoad load = new HttpLoad();

        System.out.printf(
                "single events: %d in flight, %ds warm-up, %ds measured%n",
                concurrency, warmup.toSeconds(), measure.toSeconds());
        HttpLoad.Result single =
                load.run(() -> SampleEvents.single(url, key), concurrency, warmup, measure, (id, t) -> {});
        report("single", single);
        double rss = ingestPid > 0 ? Rss.megabytes(ingestPid) : -1;

        int batchConcurrency = Math.max(2, concurrency / 8);
        System.out.printf("NDJSON batches of %d: %d in flight%n", batch, batchConcurrency);
        HttpLoad.Result batched = load.run(
                () -> {
                    StringBuilder body = new StringBuilder(batch * 700);
                    String first = null;
                    for (int i = 0; i < batch; i++) {
                        String id = SampleEvents.eventId();
                        first = first == null ? id : first;
                        body.append(SampleEvents.json(id)).append('\n');
                    }
                    return new HttpLoad.Shot(
                            HttpLoad.post(url, key, "application/x-ndjson", body.toString())
                                    .build(),
                            batch,
                            first);
                },
                batchConcurrency,
                warmup,
                measure,
                (id, t) -> {});
        report("batched", batched);
        rss = Math.max(rss, ingestPid > 0 ? Rss.megabytes(ingestPid) : -1);

        double raw = rawProducer(env.get("KAFKA_BOOTSTRAP_SERVERS"), measure);
        System.out.printf("raw producer: %.0f events/s (same records, acks=all, idempotent)%n", raw);
        System.out.printf(
                "{\"singleEventsPerSec\":%.0f,\"batchedEventsPerSec\":%.0f,\"rawProducerEventsPerSec\":%.0f,"
                        + "\"p50AckMillis\":%.2f,\"p99AckMillis\":%.2f,\"batchedP99AckMillis\":%.2f,"
                        + "\"rssMegabytes\":%.0f,\"concurrency\":%d,\"batchSize\":%d,\"seconds\":%d,"
                        + "\"rejectedRequests\":%d}%n",
                single.eventsPerSecond(),
                batched.eventsPerSecond(),
                raw,
                single.latencies().percentileMillis(50),
                single.latencies().percentileMillis(99),
                batched.latencies().percentileMillis(99),
                rss,
                concurrency,
                batch,
                measure.toSeconds(),
                single.rejectedRequests() + batched.rejectedRequests());
    }

    static void report(String name, HttpLoad.Result r) {
        System.out.printf(
                "%s: %.0f events/s, ack p50 %.2f ms, p99 %.2f ms, %d requests refused%s%n",
                name,
                r.eventsPerSecond(),
                r.latencies().percentileMillis(50),
                r.latencies().percentileMillis(99),
                r.rejectedRequests(),
                r.lastError() == null ? "" : " (last: " + r.lastError() + ")");
    }

    /** Reads back what the intake wrote and writes those same bytes with a plain producer. */
    static double rawProducer(String bootstrap, Duration measure) throws Exception {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-" + UUID.randomUUID());
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.EVENTS_RAW.name()));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (records.size() < 200_000 && System.nanoTime() < deadline) {
                var batch = consumer.poll(Duration.ofMillis(500));
                if (batch.isEmpty() && !records.isEmpty()) {
                    break;
                }
                batch.forEach(records::add);
            }
        }
        if (records.isEmpty()) {
            return 0;
        }
        String topic = "faultline.bench.raw." + UUID.randomUUID().toString().substring(0, 8);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, Topics.EVENTS_RAW.partitions(), (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        // the intake's own producer settings (RawEventPublisher)
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 2);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        AtomicLong acked = new AtomicLong();
        Semaphore window = new Semaphore(10_000);
        long end = System.nanoTime() + measure.toNanos();
        long start = System.nanoTime();
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            int i = 0;
            while (System.nanoTime() < end) {
                ConsumerRecord<String, byte[]> r = records.get(i++ % records.size());
                window.acquire();
                producer.send(new ProducerRecord<>(topic, r.key(), r.value()), (m, e) -> {
                    window.release();
                    if (e == null) {
                        acked.incrementAndGet();
                    }
                });
            }
            producer.flush();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
        }
        return acked.get() / seconds;
    }

    private IngestBench() {}
}
