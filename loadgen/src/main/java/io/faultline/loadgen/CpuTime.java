package io.faultline.loadgen;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time the stack's processes spend, from /proc (Linux). On a machine shared with other work,
 * events per second say as much about the neighbours as about Faultline; CPU time per event does
 * not, so the benchmarks print both.
 */
final class CpuTime {

    private static final double TICKS_PER_SECOND = 100; // USER_HZ on every Linux we run on

    private final Map<String, Long> pids = new LinkedHashMap<>();

    /** The processes of the stack under {@code home} (its run/*.pid files) that are running. */
    CpuTime(String home, String... components) {
        for (String component : components) {
            try {
                pids.put(
                        component,
                        Long.parseLong(Files.readString(Path.of(home, "run", component + ".pid"))
                                .trim()));
            } catch (Exception notRunning) {
                // measured without it
            }
        }
    }

    /** CPU seconds (user + system) each process has used so far; -1 when unreadable. */
    Map<String, Double> seconds() {
        Map<String, Double> used = new LinkedHashMap<>();
        pids.forEach((component, pid) -> used.put(component, secondsOf(pid)));
        return used;
    }

    private static double secondsOf(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
        } catch (Exception e) {
            return -1;
        }
    }
}
