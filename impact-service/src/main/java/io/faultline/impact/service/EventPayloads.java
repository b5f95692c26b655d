package io.faultline.impact.service;

import io.faultline.schemas.ErrorEvent;
import io.faultline.schemas.ExceptionValue;
import io.faultline.schemas.StackFrame;
import io.faultline.schemas.serde.AvroSerde;
import io.faultline.schemas.serde.Serdes;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The stored form of a whole event (docs/impact-model.md, Event payloads): the scrubbed {@link
 * ErrorEvent} in the topics' own encoding (Avro single-object bytes, so an event written before a
 * schema change decodes through the same schema history as the topics), deflated.
 *
 * <p>Deflate at its fastest level: on the sample events it keeps about as much as the higher
 * levels (the repetition is in frame modules and paths, which level 1 finds) for a fraction of the
 * CPU, and the batch consumer compresses on its own thread. It is in the JDK: no native library.
 */
public final class EventPayloads {

    /** An event ready to store: its compressed bytes and how complete it is (higher is richer). */
    public record Payload(byte[] bytes, short completeness) {}

    private static final AvroSerde<ErrorEvent> SERDE = new Serdes.ErrorEventSerde();
    private static final ThreadLocal<Deflater> DEFLATERS =
            ThreadLocal.withInitial(() -> new Deflater(Deflater.BEST_SPEED, true));
    private static final ThreadLocal<Inflater> INFLATERS = ThreadLocal.withInitial(() -> new Inflater(true));

    private EventPayloads() {}

    public static Payload encode(ErrorEvent event) {
        return new Payload(deflate(SERDE.serialize(null, event)), completeness(event));
    }

    public static ErrorEvent decode(byte[] stored) {
        return SERDE.decode(inflate(stored));
    }

    /**
     * What makes an event the one to show an SRE: frames of their own code above all, then any
     * frames, source lines, then each further part of the picture (message, request, user, tags,
     * contexts, breadcrumbs, release, environment, SDK). The group's recommended event is its most
     * complete recent one.
     */
    static short completeness(ErrorEvent e) {
        boolean frames = false;
        boolean inApp = false;
        boolean source = false;
        for (ExceptionValue x : e.getExceptions()) {
            for (StackFrame f : x.getFrames()) {
                frames = true;
                inApp |= Boolean.TRUE.equals(f.getInApp());
                source |= f.getContextLine() != null;
            }
        }
        int score = (inApp ? 1000 : 0) + (frames ? 500 : 0) + (source ? 100 : 0);
        score += present(e.getMessage() != null || e.getLogentry() != null)
                + present(e.getRequest() != null)
                + present(e.getUser() != null)
                + present(!e.getTags().isEmpty())
                + present(!e.getContexts().isEmpty())
                + present(!e.getBreadcrumbs().isEmpty())
                + present(e.getRelease() != null)
                + present(e.getEnvironment() != null)
                + present(e.getSdk() != null);
        return (short) score;
    }

    private static int present(boolean part) {
        return part ? 10 : 0;
    }

    public static byte[] deflate(byte[] raw) {
        Deflater deflater = DEFLATERS.get();
        deflater.reset();
        deflater.setInput(raw);
        deflater.finish();
        // incompressible input grows by a few bytes per 16 KiB block
        byte[] out = new byte[raw.length + raw.length / 1000 + 64];
        int size = 0;
        while (!deflater.finished()) {
            if (size == out.length) {
                out = Arrays.copyOf(out, out.length * 2);
            }
            size += deflater.deflate(out, size, out.length - size);
        }
        return Arrays.copyOf(out, size);
    }

    public static byte[] inflate(byte[] stored) {
        Inflater inflater = INFLATERS.get();
        inflater.reset();
        inflater.setInput(stored);
        ByteArrayOutputStream out = new ByteArrayOutputStream(stored.length * 3);
        byte[] chunk = new byte[8192];
        try {
            while (!inflater.finished()) {
                int n = inflater.inflate(chunk);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new IllegalArgumentException("truncated event payload");
                }
                out.write(chunk, 0, n);
            }
        } catch (DataFormatException e) {
            throw new IllegalArgumentException("corrupt event payload", e);
        }
        return out.toByteArray();
    }
}
