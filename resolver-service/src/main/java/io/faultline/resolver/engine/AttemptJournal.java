package io.faultline.resolver.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The idempotency record: an append-only, fsynced file of attempt claims and outcomes in the
 * state directory. An attempt is claimed (durably) before its first action runs and before the
 * triggering record is acknowledged, so a redelivered record, or a restart, finds the claim and
 * never starts the actions again. An attempt claimed but never finished (the process died in
 * between) is not resumed, because its last action may or may not have run; the engine escalates
 * it to a human instead. At-most-once is the right side to err on for restarts and rollbacks.
 *
 * <p>A local file, not a Kafka topic: it survives a restart of the process (and of the pod when
 * the directory is a persistent volume) with no extra moving part. It does not follow a
 * partition to another instance on a rebalance; see the README for scaling the resolver.
 */
public final class AttemptJournal implements AutoCloseable {

    /** One line of the journal. */
    public record Entry(
            String attemptId,
            String state,
            String runbookId,
            String groupId,
            String projectId,
            String severity,
            String category,
            Instant at) {}

    static final String CLAIMED = "claimed";
    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();

    private final Path file;
    private final Map<String, Entry> latest = new LinkedHashMap<>();
    private FileChannel channel;

    /**
     * Opens (or creates) the journal, forgetting attempts older than {@code retention}: by then
     * their trigger window is long closed, so no redelivery can produce their id again.
     */
    public AttemptJournal(Path dir, Duration retention, Instant now) {
        this.file = dir.resolve("attempts.jsonl");
        try {
            Files.createDirectories(dir);
            if (Files.exists(file)) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    if (line.isBlank()) {
                        continue;
                    }
                    try {
                        Entry e = JSON.readValue(line, Entry.class);
                        latest.put(e.attemptId(), e);
                    } catch (IOException torn) {
                        // a line torn by a crash mid-write: that attempt was never acknowledged
                    }
                }
            }
            latest.values().removeIf(e -> e.at().isBefore(now.minus(retention)));
            rewrite();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the attempt journal in " + dir, e);
        }
    }

    /** @return true if the attempt was not known and is now durably claimed */
    public synchronized boolean claim(Entry claim) {
        if (latest.containsKey(claim.attemptId())) {
            return false;
        }
        append(claim);
        return true;
    }

    public synchronized boolean known(String attemptId) {
        return latest.containsKey(attemptId);
    }

    public synchronized void finish(String attemptId, String outcome, Instant at) {
        Entry claim = latest.get(attemptId);
        if (claim != null && CLAIMED.equals(claim.state())) {
            append(new Entry(
                    attemptId,
                    outcome,
                    claim.runbookId(),
                    claim.groupId(),
                    claim.projectId(),
                    claim.severity(),
                    claim.category(),
                    at));
        }
    }

    /** Attempts claimed but never finished: the process stopped while they ran. */
    public synchronized List<Entry> unfinished() {
        return latest.values().stream().filter(e -> CLAIMED.equals(e.state())).toList();
    }

    private void append(Entry e) {
        try {
            byte[] line = (JSON.writeValueAsString(e) + "\n").getBytes(StandardCharsets.UTF_8);
            channel.write(java.nio.ByteBuffer.wrap(line));
            channel.force(false);
            latest.put(e.attemptId(), e);
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot write the attempt journal " + file, ex);
        }
    }

    private void rewrite() throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        List<String> lines = new ArrayList<>();
        for (Entry e : latest.values()) {
            lines.add(JSON.writeValueAsString(e));
        }
        Files.write(tmp, lines, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    @Override
    public synchronized void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing on shutdown; every entry was already forced to disk
        }
    }
}
