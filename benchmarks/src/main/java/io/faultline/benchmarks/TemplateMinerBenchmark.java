package io.faultline.benchmarks;

import io.faultline.classifier.grouping.MessageTemplates.Template;
import io.faultline.classifier.grouping.template.TemplateMiner;
import java.util.Random;
import java.util.concurrent.TimeUnit;
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
 * Throughput of {@link TemplateMiner#templateOf} (tokenize, mask, match) on a steady stream of short log and error
 * messages from a few dozen templates, as an error-monitoring ingest path sees them: every message has fresh variable
 * values, the templates themselves are known after warm-up. One message per operation, so ops/s = messages/s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TemplateMinerBenchmark {

    private static final int POOL = 1 << 16;

    private static final String[] USERS = {"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi"};
    private static final String[] STATES = {"RUNNING", "FAILED", "PENDING", "SUCCEEDED"};

    private String[] messages;
    private TemplateMiner miner;
    private int next;

    @Setup
    public void setUp() {
        Random random = new Random(42);
        messages = new String[POOL];
        for (int i = 0; i < POOL; i++) messages[i] = message(random);
        miner = new TemplateMiner();
        for (String m : messages) miner.templateOf("project-1", m);
    }

    @Benchmark
    public Template templateOf() {
        String m = messages[next];
        next = (next + 1) & (POOL - 1);
        return miner.templateOf("project-1", m);
    }

    static String message(Random r) {
        String ip = r.nextInt(256) + "." + r.nextInt(256) + "." + r.nextInt(256) + "." + r.nextInt(256);
        String user = USERS[r.nextInt(USERS.length)];
        return switch (r.nextInt(16)) {
            case 0 -> "Connection refused to " + ip + ":" + (1024 + r.nextInt(60000));
            case 1 -> "User " + user + " logged in from " + ip;
            case 2 -> "Timeout after " + r.nextInt(30000) + " ms waiting for lock order-" + r.nextInt(100000);
            case 3 -> "NullPointerException in OrderService.place at line " + r.nextInt(900);
            case 4 -> "Failed to load /var/data/tenant-" + r.nextInt(500) + "/config.yaml: file not found";
            case 5 -> "GET /api/v1/orders/" + r.nextInt(1_000_000) + " returned 500 in " + r.nextInt(2000) + "ms";
            case 6 -> "payment " + java.util.UUID.nameUUIDFromBytes(new byte[] {(byte) r.nextInt()})
                    + " declined: insufficient funds";
            case 7 -> "job state=" + STATES[r.nextInt(STATES.length)] + " attempts=" + r.nextInt(5);
            case 8 -> "Cache miss ratio 0." + r.nextInt(1000) + " exceeds threshold";
            case 9 -> "Sending mail to " + user + "@example.com failed";
            case 10 -> "Worker " + r.nextInt(64) + " restarted after " + r.nextInt(120) + " s";
            case 11 -> "Disk usage at " + r.nextInt(100) + "% on volume vol-" + Long.toHexString(r.nextLong());
            case 12 -> "Request id=" + Long.toHexString(r.nextLong()) + " rejected by rate limiter";
            case 13 -> "session opened for user " + user + " by (uid=" + r.nextInt(1000) + ")";
            case 14 -> "Retrying connect to server: db-" + r.nextInt(9) + ":5432. Already tried " + r.nextInt(10)
                    + " time(s)";
            default -> "Uploaded " + r.nextInt(10_000) + " KB to https://cdn.example.com/assets/" + r.nextInt(1000);
        };
    }
}
