package io.faultline.loadgen;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntSupplier;

/**
 * The drill's disk-full fault: fills the filesystem of the stack's home with one file until the
 * kernel answers ENOSPC, keeps it full for a while, asking the intake what it answers meanwhile,
 * then deletes the file. The home is a size-limited filesystem of the drill's own, so nothing else
 * on the machine runs out of space.
 */
final class DiskFiller {

    private static final int CHUNK = 1 << 20;

    private final Path filler;

    DiskFiller(Path filler) {
        this.filler = filler;
    }

    /**
     * Fills, holds for {@code hold} while asking {@code intake} once a second, and frees the space.
     * Answers what happened: the bytes written, the intake's answers by status (0: no answer
     * within its timeout) and whether any was a 2xx while the disk was full.
     */
    Map<String, Object> fillAndHold(Duration hold, IntSupplier intake) throws IOException, InterruptedException {
        long written = 0;
        String error = null;
        try (OutputStream out = Files.newOutputStream(filler)) {
            byte[] chunk = new byte[CHUNK];
            while (true) {
                out.write(chunk);
                written += CHUNK;
            }
        } catch (IOException full) {
            // ENOSPC: "No space left on device". Anything else (the file could not be created,
            // the mount went away) is not a full disk, and holding would report answers that
            // were not given to a full disk
            if (Files.getFileStore(filler.getParent()).getUsableSpace() >= CHUNK) {
                Files.deleteIfExists(filler);
                throw full;
            }
            error = full.getMessage();
        }
        Map<Integer, Integer> answers = new TreeMap<>();
        try {
            long end = System.nanoTime() + hold.toNanos();
            while (System.nanoTime() < end) {
                answers.merge(intake.getAsInt(), 1, Integer::sum);
                Thread.sleep(1000);
            }
        } finally {
            Files.deleteIfExists(filler);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("filledBytes", written);
        out.put("writeError", error);
        out.put("heldSeconds", hold.toSeconds());
        Map<String, Integer> byStatus = new LinkedHashMap<>();
        answers.forEach((status, n) -> byStatus.put(Integer.toString(status), n));
        out.put("intakeAnswersWhileFull", byStatus);
        return out;
    }
}
