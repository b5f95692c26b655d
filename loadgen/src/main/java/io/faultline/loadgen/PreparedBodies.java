package io.faultline.loadgen;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Request bodies built before a measurement starts, each sent with fresh event ids written into
 * a copy. Building realistic JSON per request costs the load generator several microseconds per
 * event, CPU taken from the intake it shares the machine with; an SDK's serialisation happens on
 * the client's own machine. Not thread-safe: one load generator event loop asks for bodies.
 */
final class PreparedBodies {

    private static final String ID_FIELD = "\"event_id\":\"";
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private final byte[][] templates;
    private final int[][] idOffsets;
    private final long runPrefix = ThreadLocalRandom.current().nextLong();
    private long counter;
    private int next;

    /**
     * @param count distinct bodies to cycle through
     * @param eventsPerBody 1 for one JSON event, more for NDJSON lines
     */
    PreparedBodies(int count, int eventsPerBody) {
        templates = new byte[count][];
        idOffsets = new int[count][];
        String placeholder = "0".repeat(32);
        for (int i = 0; i < count; i++) {
            StringBuilder body = new StringBuilder(eventsPerBody * 700);
            for (int e = 0; e < eventsPerBody; e++) {
                body.append(SampleEvents.json(placeholder));
                if (eventsPerBody > 1) {
                    body.append('\n');
                }
            }
            byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
            templates[i] = bytes;
            idOffsets[i] = offsetsOfIds(bytes);
            if (idOffsets[i].length != eventsPerBody) {
                throw new IllegalStateException("expected " + eventsPerBody + " event ids in a body");
            }
        }
    }

    /** The next body, with ids no other body of this run has. */
    Buffer next() {
        return Buffer.buffer(next(null));
    }

    /** The next body as bytes; its event ids are added to {@code ids} unless that is null. */
    byte[] next(List<String> ids) {
        int i = next++ % templates.length;
        byte[] body = templates[i].clone();
        for (int offset : idOffsets[i]) {
            writeHex(body, offset, runPrefix);
            writeHex(body, offset + 16, counter++);
            if (ids != null) {
                ids.add(new String(body, offset, 32, StandardCharsets.US_ASCII));
            }
        }
        return body;
    }

    private static void writeHex(byte[] into, int offset, long value) {
        for (int k = 15; k >= 0; k--) {
            into[offset + k] = HEX[(int) (value & 0xF)];
            value >>>= 4;
        }
    }

    private static int[] offsetsOfIds(byte[] body) {
        String text = new String(body, StandardCharsets.ISO_8859_1); // byte offsets = char offsets
        List<Integer> offsets = new ArrayList<>();
        for (int at = text.indexOf(ID_FIELD); at >= 0; at = text.indexOf(ID_FIELD, at + 1)) {
            offsets.add(at + ID_FIELD.length());
        }
        return offsets.stream().mapToInt(Integer::intValue).toArray();
    }
}
