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

    /**
     * CPU seconds of a process and its children, living (PostgreSQL's backends) and waited for;
     * -1 when unreadable.
     */
    static double treeSeconds(long pid) {
        if (pid <= 0) {
            return -1;
        }
        long[] own = ticks(pid);
        if (own == null) {
            return -1;
        }
        long total = own[1] + own[2] + own[3] + own[4];
        try (var entries = Files.list(Path.of("/proc"))) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                String name = entry.getFileName().toString();
                if (!name.isEmpty() && Character.isDigit(name.charAt(0))) {
                    long[] child = ticks(Long.parseLong(name));
                    if (child != null && child[0] == pid) {
                        total += child[1] + child[2] + child[3] + child[4];
                    }
                }
            }
        } catch (Exception e) {
            // the process's own time only
        }
        return total / TICKS_PER_SECOND;
    }

    /** The postmaster of the stack under {@code home}, or -1 when it is not running. */
    static long postmasterPid(String home) {
        try {
            return Long.parseLong(Files.readAllLines(Path.of(home, "postgres", "data", "postmaster.pid"))
                    .get(0)
                    .trim());
        } catch (Exception e) {
            return -1;
        }
    }

    /** ppid, utime, stime, cutime, cstime in ticks, or null when the process is gone. */
    private static long[] ticks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new long[] {
                Long.parseLong(f[1]),
                Long.parseLong(f[11]),
                Long.parseLong(f[12]),
                Long.parseLong(f[13]),
                Long.parseLong(f[14])
            };
        } catch (Exception e) {
            return null;
        }
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
