package io.faultline.devstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** What the local stack needs to know about processes it did not necessarily start. */
public final class Processes {

    /**
     * Alive and not a zombie: a process killed while its parent was gone stays a zombie until
     * init reaps it, and {@link ProcessHandle#isAlive()} still says true for it meanwhile.
     */
    public static boolean running(ProcessHandle process) {
        if (!process.isAlive()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
            String afterName = stat.substring(stat.lastIndexOf(')') + 2);
            return afterName.charAt(0) != 'Z';
        } catch (IOException | RuntimeException noProc) {
            return true;
        }
    }

    /** The running process whose pid is the first line of {@code pidFile}, if any. */
    public static Optional<ProcessHandle> fromPidFile(Path pidFile) {
        try {
            if (!Files.exists(pidFile)) {
                return Optional.empty();
            }
            String first = Files.readAllLines(pidFile).get(0).trim();
            return ProcessHandle.of(Long.parseLong(first)).filter(Processes::running);
        } catch (IOException | RuntimeException unreadable) {
            return Optional.empty();
        }
    }

    /**
     * Whether the process's command line holds {@code text}: after a crash a pid file may name a
     * pid the kernel has since given to an unrelated process, which must not be adopted or killed.
     */
    public static boolean commandLineMentions(ProcessHandle process, String text) {
        try {
            byte[] cmdline = Files.readAllBytes(Path.of("/proc/" + process.pid() + "/cmdline"));
            return new String(cmdline, java.nio.charset.StandardCharsets.UTF_8).contains(text);
        } catch (IOException | RuntimeException noProc) {
            return process.info().commandLine().map(c -> c.contains(text)).orElse(false);
        }
    }

    private Processes() {}
}
