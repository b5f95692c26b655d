package io.faultline.loadgen;

import io.faultline.schemas.ErrorEvent;
import io.faultline.schemas.ExceptionValue;
import io.faultline.schemas.StackFrame;
import io.faultline.schemas.topics.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The classifier alone: writes {@code --events} events straight to the raw topic (as the intake
 * would), then times until all of them are classified (read_committed) and prints the CPU the
 * classifier and the broker spent per event. Against a running stack:
 *
 * <pre>
 * java -cp loadgen/target/loadgen.jar:loadgen/target/lib/* io.faultline.loadgen.ClassifierBacklogBench \
 *     --stack-env $FAULTLINE_HOME/stack.env --events 100000
 * </pre>
 */
public final class ClassifierBacklogBench {

    public static void main(String[] args) throws Exception {
        Map<String, String> env = BenchArgs.stackEnv(args);
        int events = BenchArgs.intOption(args, "--events", 100_000);
        String bootstrap = env.get("KAFKA_BOOTSTRAP_SERVERS");
        String project = env.getOrDefault("PROJECT_ID", "1");
        CpuTime cpu = new CpuTime(env.get("FAULTLINE_HOME"), "devstack", "classifier-service");

        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "backlog-bench-" + UUID.randomUUID());
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
        try (KafkaConsumer<String, byte[]> consumer =
                        new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
                KafkaProducer<String, byte[]> producer =
                        new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            consumer.subscribe(List.of(Topics.ERRORS_CLASSIFIED.name()));
            while (consumer.assignment().isEmpty()) {
                consumer.poll(Duration.ofMillis(100));
            }
            // position at the end now: a lazy reset after the first sends would skip their records
            consumer.seekToEnd(consumer.assignment());
            consumer.assignment().forEach(consumer::position);

            Map<String, Double> cpuBefore = cpu.seconds();
            long start = System.nanoTime();
            for (int i = 0; i < events; i++) {
                ErrorEvent event = event(project);
                // keyed by project, as ingest writes them
                producer.send(new ProducerRecord<>(
                        Topics.EVENTS_RAW.name(),
                        event.getProjectId(),
                        Topics.EVENTS_RAW.valueSerde().serializer().serialize("raw", event)));
            }
            producer.flush();
            long produced = System.nanoTime();
            long seen = 0;
            long deadline = produced + Duration.ofMinutes(5).toNanos();
            while (seen < events && System.nanoTime() < deadline) {
                seen += consumer.poll(Duration.ofMillis(200)).count();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            Map<String, Double> cpuAfter = cpu.seconds();
            System.out.printf(
                    "%d events written in %.1f s; %d classified after %.1f s: %.0f events/s%n",
                    events, (produced - start) / 1e9, seen, seconds, seen / seconds);
            StringBuilder json = new StringBuilder("{\"events\":" + events + ",\"classified\":" + seen
                    + ",\"eventsPerSec\":" + Math.round(seen / seconds));
            long classified = seen;
            cpuAfter.forEach((component, after) -> {
                double micros = (after - cpuBefore.get(component)) * 1e6 / Math.max(1, classified);
                System.out.printf("%s: %.0f µs CPU per event%n", component, micros);
                json.append(",\"")
                        .append(component)
                        .append("CpuMicrosPerEvent\":")
                        .append(Math.round(micros));
            });
            System.out.println(json.append('}'));
        }
    }

    private static ErrorEvent event(String project) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        String[] e = SampleEvents.EXCEPTIONS[r.nextInt(SampleEvents.EXCEPTIONS.length)];
        Map<String, String> tags =
                e[4] == null ? Map.of("service", "bench") : Map.of("service", "bench", "workflow", e[4]);
        Instant now = Instant.now();
        return ErrorEvent.newBuilder()
                .setEventId(SampleEvents.eventId())
                .setProjectId(project)
                .setTimestamp(now)
                .setReceivedAt(now)
                .setLevel("error")
                .setPlatform("java")
                .setTags(tags)
                .setExceptions(List.of(ExceptionValue.newBuilder()
                        .setType(e[0])
                        .setValue(String.format(e[1], r.nextInt(1, 100_000)))
                        .setFrames(List.of(StackFrame.newBuilder()
                                .setModule(e[2])
                                .setFunction(e[3])
                                .setLineno(r.nextInt(20, 400))
                                .setInApp(true)
                                .build()))
                        .build()))
                .build();
    }

    private ClassifierBacklogBench() {}
}
