package io.faultline.benchmarks;

import io.faultline.classifier.grouping.template.TemplateMiner;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Random;

/**
 * Messages per second of this thread's CPU time for the same workload as {@link TemplateMinerBenchmark}. On a shared
 * machine wall-clock throughput (what JMH reports) understates the rate one core achieves; CPU time does not.
 * Run: {@code java -cp benchmarks/target/benchmarks.jar io.faultline.benchmarks.TemplateMinerCpuRate}
 */
public final class TemplateMinerCpuRate {

    private TemplateMinerCpuRate() {}

    public static void main(String[] args) {
        int pool = 1 << 16;
        Random random = new Random(42);
        String[] messages = new String[pool];
        for (int i = 0; i < pool; i++) messages[i] = TemplateMinerBenchmark.message(random);
        TemplateMiner miner = new TemplateMiner();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long sink = 0;
        for (int round = 0; round < 15; round++) {
            long cpu = threads.getCurrentThreadCpuTime();
            int n = 20 * pool;
            for (int i = 0; i < n; i++) {
                sink += miner.templateOf("project-1", messages[i & (pool - 1)])
                        .id()
                        .length();
            }
            double seconds = (threads.getCurrentThreadCpuTime() - cpu) / 1e9;
            System.out.printf("round %2d: %,.0f messages per CPU-second%n", round, n / seconds);
        }
        if (sink == 42) System.out.println();
    }
}
