package io.faultline.loadgen;

import io.faultline.schemas.topics.Topics;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
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
        // the stack is fresh: the ingest's and the broker's hot paths need their JIT compilation
        // before measuring, and on two busy cores the C2 compiler threads get a small share. With
        // 20 s, a profile of the single-event window still showed C2 taking 42 % of the intake's
        // CPU; with 60 s the single phase measured 54-83 us of intake CPU per event instead of
        // 76-142, and the broker's per-event CPU in the batched phase halved. A server runs for
        // longer than that: the figure wanted is the steady state, not the JIT's warm-up
        Duration warmup = Duration.ofSeconds(BenchArgs.intOption(args, "--warmup", 60));
        Duration measure = Duration.ofSeconds(BenchArgs.intOption(args, "--seconds", 15));
        // Little's law: 10,000 events/s at the ~25 ms an acknowledged write takes on a loaded
        // 2-core machine needs ~250 requests in flight; the intake admits 256 at once
        int concurrency = BenchArgs.intOption(args, "--concurrency", 256);
        int batch = BenchArgs.intOption(args, "--batch", 100);
        long ingestPid = BenchArgs.intOption(args, "--ingest-pid", -1);
        long brokerPid = pidOf(env.get("FAULTLINE_HOME"), "devstack");
        String url = env.get("INGEST_URL") + "/api/v1/projects/" + env.get("PROJECT_ID") + "/events";
        String key = env.get("PROJECT_KEY");
        double loadAverage = loadAverage();

        System.out.printf(
                "single events: %d in flight on keep-alive connections, %ds warm-up, %ds measured (load average %.2f)%n",
                concurrency, warmup.toSeconds(), measure.toSeconds(), loadAverage);
        CpuUse singleCpu = CpuUse.start(ingestPid, brokerPid);
        KeepAliveLoad.Run single;
        PreparedBodies singles = new PreparedBodies(4096, 1);
        try (KeepAliveLoad load = new KeepAliveLoad(url, key, concurrency)) {
            single = load.run(
                    () -> new KeepAliveLoad.Post("application/json", singles.next(), 1), concurrency, warmup, measure);
        }
        CpuUse.PerThousand singlePerThousand = singleCpu.perThousandEvents(single.acceptedInAll());
        report("single", single.measured());
        System.out.println("  CPU per 1000 events: " + singlePerThousand);
        double rss = ingestPid > 0 ? Rss.megabytes(ingestPid) : -1;

        // the same number of events in flight whatever the batch size (8,192 with the defaults),
        // but never more requests than the single phase's (the intake admits 256 at once):
        // a batched write is acknowledged in ~20 ms, so Little's law needs ~8,000 events in flight
        // to keep the intake's cores busy. With a fixed eighth of the single phase's requests, 32
        // batches of 100 left it latency-bound (256-318k/s; 80 in flight: 347k/s at 4.9 us of
        // CPU per event), and 32 batches of 1,000 held so much for so long that young collections
        // copied it over and over (GC took 23 % of the intake's CPU, 9.1 us per event)
        int sameEvents = (int) Math.round(concurrency * 32.0 / batch);
        int batchConcurrency =
                BenchArgs.intOption(args, "--batch-in-flight", Math.min(concurrency, Math.max(2, sameEvents)));
        System.out.printf("NDJSON batches of %d: %d in flight%n", batch, batchConcurrency);
        CpuUse batchedCpu = CpuUse.start(ingestPid, brokerPid);
        KeepAliveLoad.Run batched;
        PreparedBodies batches = new PreparedBodies(256, batch);
        try (KeepAliveLoad load = new KeepAliveLoad(url, key, batchConcurrency)) {
            batched = load.run(
                    () -> new KeepAliveLoad.Post("application/x-ndjson", batches.next(), batch),
                    batchConcurrency,
                    warmup,
                    measure);
        }
        CpuUse.PerThousand batchedPerThousand = batchedCpu.perThousandEvents(batched.acceptedInAll());
        report("batched", batched.measured());
        System.out.println("  CPU per 1000 events: " + batchedPerThousand);
        rss = Math.max(rss, ingestPid > 0 ? Rss.megabytes(ingestPid) : -1);

        double raw = rawProducer(env.get("KAFKA_BOOTSTRAP_SERVERS"), warmup, measure);
        System.out.printf("raw producer: %.0f events/s (same records, acks=all, idempotent)%n", raw);
        System.out.printf(
                "{\"singleEventsPerSec\":%.0f,\"batchedEventsPerSec\":%.0f,\"rawProducerEventsPerSec\":%.0f,"
                        + "\"p50AckMillis\":%.2f,\"p99AckMillis\":%.2f,\"batchedP99AckMillis\":%.2f,"
                        + "\"rssMegabytes\":%.0f,\"concurrency\":%d,\"batchSize\":%d,\"batchInFlight\":%d,\"seconds\":%d,"
                        + "\"rejectedRequests\":%d,\"ingestCpuMillisPer1000Single\":%.1f,"
                        + "\"brokerCpuMillisPer1000Single\":%.1f,\"loadCpuMillisPer1000Single\":%.1f,"
                        + "\"ingestCpuMillisPer1000Batched\":%.1f,\"brokerCpuMillisPer1000Batched\":%.1f,"
                        + "\"loadCpuMillisPer1000Batched\":%.1f,\"batchedToRaw\":%.3f,\"loadAverage\":%.2f}%n",
                single.measured().eventsPerSecond(),
                batched.measured().eventsPerSecond(),
                raw,
                single.measured().latencies().percentileMillis(50),
                single.measured().latencies().percentileMillis(99),
                batched.measured().latencies().percentileMillis(99),
                rss,
                concurrency,
                batch,
                batchConcurrency,
                measure.toSeconds(),
                single.measured().rejectedRequests() + batched.measured().rejectedRequests(),
                singlePerThousand.ingest(),
                singlePerThousand.broker(),
                singlePerThousand.load(),
                batchedPerThousand.ingest(),
                batchedPerThousand.broker(),
                batchedPerThousand.load(),
                raw > 0 ? batched.measured().eventsPerSecond() / raw : 0,
                loadAverage);
    }

    /**
     * CPU time the ingest, the broker and this load generator spent during a phase. Unlike
     * events/s it does not depend on what else runs on the machine, so runs on a shared machine
     * can be compared by it.
     */
    record CpuUse(long ingestPid, long brokerPid, long ingestStart, long brokerStart, long loadStart) {

        record PerThousand(double ingest, double broker, double load) {
            @Override
            public String toString() {
                return String.format("ingest %.1f ms, broker %.1f ms, load generator %.1f ms", ingest, broker, load);
            }
        }

        static CpuUse start(long ingestPid, long brokerPid) {
            return new CpuUse(ingestPid, brokerPid, cpuMillis(ingestPid), cpuMillis(brokerPid), ownCpuMillis());
        }

        PerThousand perThousandEvents(long events) {
            double thousands = Math.max(1, events) / 1000.0;
            return new PerThousand(
                    (cpuMillis(ingestPid) - ingestStart) / thousands,
                    (cpuMillis(brokerPid) - brokerStart) / thousands,
                    (ownCpuMillis() - loadStart) / thousands);
        }

        /** utime + stime of a process from /proc, in milliseconds; -1 when unknown. */
        static long cpuMillis(long pid) {
            if (pid <= 0) {
                return -1;
            }
            try {
                String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                // fields after the command name, which may itself hold spaces, start after ')'
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
                return ticks * 1000 / 100; // USER_HZ is 100 on Linux
            } catch (Exception e) {
                return -1;
            }
        }

        static long ownCpuMillis() {
            return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                            .getProcessCpuTime()
                    / 1_000_000;
        }
    }

    static long pidOf(String home, String component) {
        try {
            return Long.parseLong(
                    Files.readString(Path.of(home, "run", component + ".pid")).trim());
        } catch (Exception e) {
            return -1;
        }
    }

    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (Exception e) {
            return -1;
        }
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
    static double rawProducer(String bootstrap, Duration warmup, Duration measure) throws Exception {
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
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        AtomicLong acked = new AtomicLong();
        Semaphore window = new Semaphore(10_000);
        long start;
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            // warmed up like the intake: the limit, too, is the steady state, not the JIT's start
            int i = send(producer, topic, records, 0, System.nanoTime() + warmup.toNanos(), window, new AtomicLong());
            producer.flush();
            start = System.nanoTime();
            send(producer, topic, records, i, start + measure.toNanos(), window, acked);
            producer.flush();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
        }
        return acked.get() / seconds;
    }

    /** Sends the records round from {@code i} until {@code end}; returns where it stopped. */
    private static int send(
            KafkaProducer<String, byte[]> producer,
            String topic,
            List<ConsumerRecord<String, byte[]>> records,
            int i,
            long end,
            Semaphore window,
            AtomicLong acked)
            throws InterruptedException {
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
        return i;
    }

    private IngestBench() {}
}
