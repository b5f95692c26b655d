package io.faultline.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.faultline.ingest.mapping.StreamingEventMapper;
import io.faultline.ingest.scrubbing.Scrubber;
import io.faultline.loadgen.SampleEvents;
import io.faultline.schemas.ErrorEvent;
import io.faultline.schemas.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.serialization.Serializer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The intake's own work per event, without HTTP or Kafka: one NDJSON line of the load generator's
 * sample events read by the streaming mapper into a scrubbed {@link ErrorEvent} and encoded as the
 * raw topic's record, which is what {@code EventIntake.prepare} does for every valid line of a
 * batch. The intake's defaults: user fields hashed (as with the key ingest generates), 60 s clock
 * skew, 30 days of age. One
 * event per operation on one thread, so ops/s = events/s per core.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class IntakeMappingBenchmark {

    private static final int POOL = 1 << 12;

    private byte[][] lines;
    private StreamingEventMapper mapper;
    private Serializer<ErrorEvent> serializer;
    private Instant receivedAt;
    private int next;

    @Setup
    public void setUp() {
        lines = new byte[POOL][];
        for (int i = 0; i < POOL; i++) {
            lines[i] = SampleEvents.json(SampleEvents.eventId()).getBytes(StandardCharsets.UTF_8);
        }
        mapper = new StreamingEventMapper(
                new ObjectMapper(),
                Scrubber.withUserKey(List.of(), new byte[32]),
                Duration.ofSeconds(60),
                Duration.ofDays(30));
        serializer = Topics.EVENTS_RAW.valueSerde().serializer();
        receivedAt = Instant.now();
        // a line left to the tree mapper would measure the fallback, not the intake's fast path
        for (byte[] line : lines) {
            if (mapper.map(line, 0, line.length, "1", receivedAt, "native", null) == null) {
                throw new IllegalStateException("a sample line left the streaming path: " + new String(line));
            }
        }
    }

    @Benchmark
    public byte[] mapScrubEncode() {
        byte[] line = lines[next];
        next = (next + 1) & (POOL - 1);
        ErrorEvent event = mapper.map(line, 0, line.length, "1", receivedAt, "native", null);
        return serializer.serialize(Topics.EVENTS_RAW.name(), event);
    }
}
