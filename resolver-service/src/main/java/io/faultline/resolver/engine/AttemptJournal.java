package io.faultline.resolver.engine;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.faultline.resolver.runbook.Trigger;
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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The idempotency record and the resume point of every attempt: an append-only, fsynced file of
 * attempt claims, the steps they reached and their outcomes, in the state directory.
 *
 * <p>An attempt is claimed (durably, with its trigger) before the triggering record is
 * acknowledged, so a redelivered record, or a restart, finds the claim and never starts it again.
 * Its first action waits until the record's offset is committed ({@link JournalStep#COMMITTED}),
 * so that no other resolver of the consumer group can be redelivered the trigger of an attempt
 * this one runs; a claim that never got there is dropped at the next start ({@link
 * AttemptOutcome#HANDED_OVER}). Each step is written before it happens: an action is recorded as
 * started before the strategy is called, a retry with the time it is due, a verification with its
 * deadline, an approval wait with its expiry. After a crash the engine resumes each unfinished
 * attempt from its last step: completed actions are never repeated, pending retries,
 * verifications and approvals are not lost, and an action that was in flight (it may or may not
 * have taken effect) is judged by its verification instead of being run again.
 *
 * <p>A local file, not a Kafka topic: it survives a restart of the process (and of the pod when
 * the directory is a persistent volume) with no extra moving part. It does not follow a
 * partition to another instance on a rebalance, and need not: the committed offset keeps every
 * trigger of an attempt claimed here away from the other instances (docs/operations.md).
 */
public final class AttemptJournal implements AutoCloseable {

    /**
     * One line of the journal. The claim carries the trigger; step lines carry the action index,
     * the try number and when the step is due. Absent values are null and not written. {@code
     * state} is the wire name of a {@link JournalStep} (the attempt is unfinished) or of an {@link
     * AttemptOutcome}; it stays a string in the file so that every journal written so far is read
     * as it was.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Entry(
            String attemptId,
            String state,
            String runbookId,
            String groupId,
            String projectId,
            String severity,
            String category,
            Instant at,
            Integer actionIndex,
            Integer tryNumber,
            Instant dueAt,
            String approvedBy,
            Trigger trigger,
            String topic,
            Integer partition,
            Long offset) {

        /** A claim: the attempt exists, nothing has run yet. */
        public static Entry claim(String attemptId, String runbookId, Trigger trigger, Instant at) {
            return claim(attemptId, runbookId, trigger, at, null);
        }

        /** A claim of a trigger read from {@code record} (null when it came from elsewhere). */
        public static Entry claim(
                String attemptId, String runbookId, Trigger trigger, Instant at, TriggerRecord record) {
            return new Entry(
                    attemptId,
                    JournalStep.CLAIMED.wireName(),
                    runbookId,
                    trigger.groupId(),
                    trigger.projectId(),
                    trigger.severity(),
                    trigger.category(),
                    at,
                    null,
                    null,
                    null,
                    null,
                    trigger,
                    record == null ? null : record.topic(),
                    record == null ? null : record.partition(),
                    record == null ? null : record.offset());
        }

        /** The record the claim's trigger was read from; empty for other lines and older journals. */
        public Optional<TriggerRecord> record() {
            return topic == null || partition == null || offset == null
                    ? Optional.empty()
                    : Optional.of(new TriggerRecord(topic, partition, offset));
        }

        Entry next(String nextState, Integer index, Integer tryNo, Instant due, String approver, Instant when) {
            return new Entry(
                    attemptId, nextState, runbookId, groupId, projectId, severity, category, when, index, tryNo, due,
                    approver, null, null, null, null);
        }

        /** The step this line records; empty when it records the attempt's outcome. */
        public Optional<JournalStep> step() {
            return JournalStep.of(state);
        }

        boolean finished() {
            return step().isEmpty();
        }
    }

    /** An unfinished attempt: its claim (with the trigger) and the last step it reached. */
    public record Unfinished(Entry claim, Entry last) {}

    private static final ObjectMapper JSON = new ObjectMapper()
            .findAndRegisterModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Path file;
    private final Map<String, Entry> latest = new LinkedHashMap<>();
    private final Map<String, Entry> claims = new HashMap<>();
    /** Runbook and group key → when their latest attempt ended. */
    private final Map<String, Instant> ended = new HashMap<>();

    private FileChannel channel;

    /**
     * Opens (or creates) the journal, forgetting finished attempts older than {@code retention}:
     * by then their trigger window is long closed, so no redelivery can produce their id again.
     * Unfinished attempts are kept whatever their age, until the engine has resumed them.
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
                        remember(JSON.readValue(line, Entry.class));
                    } catch (IOException torn) {
                        // a line torn by a crash mid-write: its step was never started
                    }
                }
            }
            latest.values().removeIf(e -> e.finished() && e.at().isBefore(now.minus(retention)));
            ended.values().removeIf(at -> at.isBefore(now.minus(retention)));
            claims.keySet().retainAll(latest.keySet());
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

    /**
     * Durably records the step an unfinished attempt is about to take; returns once it is on
     * disk. Ignored for an attempt that is unknown or already finished.
     */
    public synchronized void step(
            String attemptId,
            JournalStep step,
            int actionIndex,
            int tryNumber,
            Instant dueAt,
            String approvedBy,
            Instant at) {
        Entry last = latest.get(attemptId);
        if (last != null && !last.finished()) {
            append(last.next(step.wireName(), actionIndex, tryNumber, dueAt, approvedBy, at));
        }
    }

    public synchronized void finish(String attemptId, AttemptOutcome outcome, Instant at) {
        Entry last = latest.get(attemptId);
        if (last != null && !last.finished()) {
            append(last.next(outcome.wireName(), null, null, null, null, at));
        }
    }

    /**
     * Forgets, in memory, attempts that finished longer than {@code retention} ago, as a restart
     * would: a long-running resolver otherwise holds every attempt it ever made. The file keeps
     * them until it is compacted at the next start.
     */
    public synchronized int prune(Duration retention, Instant now) {
        Instant cutoff = now.minus(retention);
        int before = latest.size();
        latest.values().removeIf(e -> e.finished() && e.at().isBefore(cutoff));
        ended.values().removeIf(at -> at.isBefore(cutoff));
        return before - latest.size();
    }

    /** The attempt's last recorded state, if it is known. */
    public synchronized Optional<String> state(String attemptId) {
        return Optional.ofNullable(latest.get(attemptId)).map(Entry::state);
    }

    /** Attempts claimed but never finished: the process stopped while they ran, in claim order. */
    public synchronized List<Unfinished> unfinished() {
        return latest.values().stream()
                .filter(e -> !e.finished())
                .map(e -> new Unfinished(claims.get(e.attemptId()), e))
                .toList();
    }

    private void remember(Entry e) {
        if (AttemptOutcome.HANDED_OVER.wireName().equals(e.state())) {
            // as if never claimed: a redelivery of its trigger claims it again, and no window starts
            latest.remove(e.attemptId());
            claims.remove(e.attemptId());
            return;
        }
        latest.put(e.attemptId(), e);
        if (e.step().orElse(null) == JournalStep.CLAIMED) {
            claims.put(e.attemptId(), e);
        }
        if (e.finished()) {
            claims.remove(e.attemptId());
            if (e.runbookId() != null && e.groupId() != null && e.at() != null) {
                ended.merge(e.runbookId() + '\0' + e.groupId(), e.at(), (a, b) -> a.isAfter(b) ? a : b);
            }
        }
    }

    /** When the latest finished attempt of this runbook on this group ended, if one did. */
    public synchronized Optional<Instant> lastEnded(String runbookId, String groupId) {
        return Optional.ofNullable(ended.get(runbookId + '\0' + groupId));
    }

    private void append(Entry e) {
        try {
            byte[] line = (JSON.writeValueAsString(e) + "\n").getBytes(StandardCharsets.UTF_8);
            channel.write(java.nio.ByteBuffer.wrap(line));
            channel.force(false);
            remember(e);
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot write the attempt journal " + file, ex);
        }
    }

    /** Compacts the file to one line per finished attempt and claim + last step per unfinished one. */
    private void rewrite() throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        List<String> lines = new ArrayList<>();
        for (Entry e : latest.values()) {
            Entry claim = claims.get(e.attemptId());
            if (claim != null && claim != e) {
                lines.add(JSON.writeValueAsString(claim));
            }
            lines.add(JSON.writeValueAsString(e));
        }
        Files.write(tmp, lines, StandardCharsets.UTF_8);
        try (FileChannel dirty = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            dirty.force(true);
        }
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
