package io.faultline.ingest.rest;

import com.aayushatharva.brotli4j.Brotli4jLoader;
import com.aayushatharva.brotli4j.decoder.BrotliInputStream;
import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import io.faultline.ingest.protection.BufferBudget;
import io.faultline.ingest.service.IngestProblem;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * Reads a request body through its {@code Content-Encoding} (gzip, deflate, br, or a list of
 * them) with two counting caps, Sentry's: the bytes on the wire and the bytes after decoding. The
 * decoded stream is read in small blocks and abandoned at the cap, so a compression bomb costs at
 * most {@code maxDecoded} bytes of memory and stops as soon as it crosses the cap.
 */
public final class BodyDecoder {

    /** Sentry's limits: 20 MB compressed, 100 MB decompressed per envelope. */
    public static final long MAX_COMPRESSED = 20L * 1024 * 1024;

    public static final long MAX_DECODED = 100L * 1024 * 1024;

    /** 2^23 bytes: the 8 MiB window RFC 9659 allows for zstd as an HTTP content coding. */
    static final int ZSTD_WINDOW_LOG_MAX = 23;

    private final long maxCompressed;
    private final long maxDecoded;
    /** The 413 reasons, one per cap. */
    private final String compressedTooLarge;

    private final String decodedTooLarge;

    public BodyDecoder(long maxCompressed, long maxDecoded) {
        this.maxCompressed = maxCompressed;
        this.maxDecoded = maxDecoded;
        this.compressedTooLarge = "compressed body exceeds " + mb(maxCompressed);
        this.decodedTooLarge = "decompressed body exceeds " + mb(maxDecoded);
    }

    /**
     * @throws IngestProblem 413 past a cap, 415 for an unknown encoding, 400 for a corrupt stream
     */
    public byte[] decode(InputStream raw, String contentEncoding) {
        return decode(raw, contentEncoding, n -> {});
    }

    /** @param wireBytes told how many bytes were read from the wire (also when refused) */
    public byte[] decode(InputStream raw, String contentEncoding, java.util.function.LongConsumer wireBytes) {
        return decode(raw, contentEncoding, wireBytes, null);
    }

    /**
     * Decodes a body already read whole. A body sent without a content encoding (almost every
     * native request) is returned as it is: copying it through a stream cost three copies of
     * it, each of a 600 KiB batch a humongous allocation for the garbage collector.
     *
     * @param lease charged for what decoding allocates beyond {@code raw} (may be null: no budget)
     * @throws IngestProblem 413 past a cap, 415 for an unknown encoding, 400 for a corrupt stream
     */
    public byte[] decode(
            byte[] raw, String contentEncoding, java.util.function.LongConsumer wireBytes, BufferBudget.Lease lease) {
        List<String> encodings = encodings(contentEncoding);
        if (!encodings.isEmpty()) {
            return decode(new ByteArrayInputStream(raw), encodings, wireBytes, lease);
        }
        wireBytes.accept(raw.length);
        if (raw.length > maxCompressed) {
            throw IngestProblem.tooLarge(compressedTooLarge);
        }
        if (raw.length > maxDecoded) {
            throw IngestProblem.tooLarge(decodedTooLarge);
        }
        return raw;
    }

    /**
     * @param lease charged for the decoded bytes as they are read and for the final copy (may be
     *     null: no budget)
     */
    public byte[] decode(
            InputStream raw,
            String contentEncoding,
            java.util.function.LongConsumer wireBytes,
            BufferBudget.Lease lease) {
        return decode(raw, encodings(contentEncoding), wireBytes, lease);
    }

    /** @param encodings the Content-Encoding header's codings, in the order they were applied */
    private byte[] decode(
            InputStream raw,
            List<String> encodings,
            java.util.function.LongConsumer wireBytes,
            BufferBudget.Lease lease) {
        CappedInputStream wire = new CappedInputStream(raw, maxCompressed, compressedTooLarge);
        InputStream in = wire;
        try {
            // encodings are listed in the order they were applied: undo them from the last
            for (int i = encodings.size() - 1; i >= 0; i--) {
                in = decoding(in, encodings.get(i));
            }
            try (InputStream decoded = in) { // frees a zstd or brotli decoder's native memory now
                return readCapped(decoded, maxDecoded, decodedTooLarge, lease);
            }
        } catch (IngestProblem problem) {
            throw problem;
        } catch (IOException | RuntimeException e) {
            throw IngestProblem.malformed(
                    "body cannot be decoded as " + String.join(", ", encodings) + ": " + e.getMessage());
        } finally {
            wireBytes.accept(wire.read);
        }
    }

    private static List<String> encodings(String header) {
        List<String> result = new ArrayList<>();
        if (header == null) {
            return result;
        }
        for (String part : header.split(",")) {
            String e = part.trim().toLowerCase(Locale.ROOT);
            if (e.isEmpty() || e.equals("identity")) {
                continue;
            }
            if (!List.of("gzip", "x-gzip", "deflate", "br", "zstd").contains(e)) {
                throw IngestProblem.unsupportedMedia(
                        "unsupported Content-Encoding " + e + ": use gzip, deflate, br or zstd");
            }
            result.add(e);
        }
        return result;
    }

    private static InputStream decoding(InputStream in, String encoding) throws IOException {
        return switch (encoding) {
            case "gzip", "x-gzip" -> new GZIPInputStream(in, 8192);
            case "deflate" -> deflate(in);
            case "br" -> brotli(in);
            case "zstd" -> zstd(in);
            default -> throw new IllegalStateException(encoding);
        };
    }

    /**
     * HTTP's "deflate" is zlib-wrapped (RFC 9110), but some clients send a raw deflate stream: the
     * zlib header's checksum tells them apart.
     */
    private static InputStream deflate(InputStream in) throws IOException {
        PushbackInputStream peek = new PushbackInputStream(in, 2);
        int b0 = peek.read();
        int b1 = peek.read();
        if (b1 >= 0) {
            peek.unread(b1);
        }
        if (b0 >= 0) {
            peek.unread(b0);
        }
        boolean zlib = b0 >= 0 && b1 >= 0 && (b0 & 0x0f) == 8 && ((b0 << 8) | b1) % 31 == 0;
        return new InflaterInputStream(peek, new Inflater(!zlib), 8192);
    }

    private static InputStream brotli(InputStream in) throws IOException {
        Brotli4jLoader.ensureAvailability();
        return new BrotliInputStream(in);
    }

    /**
     * HTTP's zstd (RFC 9659) limits a frame's window to 8 MiB: a frame that asks the decoder for
     * more (up to 2 GiB of native memory per request otherwise) is refused as corrupt.
     */
    private static InputStream zstd(InputStream in) throws IOException {
        ZstdInputStreamNoFinalizer zstd = new ZstdInputStreamNoFinalizer(in);
        zstd.setLongMax(ZSTD_WINDOW_LOG_MAX);
        return zstd;
    }

    /** The largest block a body is read into: past it, blocks stop doubling. */
    private static final int MAX_BLOCK = 1024 * 1024;

    /**
     * Reads up to {@code cap} bytes into blocks that double up to 1 MiB, each charged to the lease
     * before it is allocated, then copies them into one array, also charged first. What is
     * charged is what is allocated: a {@code ByteArrayOutputStream} doubles one array, so a body
     * of n bytes had up to 3n alive at once (the old array, the new one, the final copy) of
     * which 2n were charged, and four concurrent bombs stopped at the 100 MB cap ran the heap out.
     */
    static byte[] readCapped(InputStream in, long cap, String message, BufferBudget.Lease lease) throws IOException {
        List<byte[]> full = new ArrayList<>();
        byte[] block = block(8192, cap, lease);
        int filled = 0;
        long total = 0;
        while (true) {
            if (filled == block.length) {
                full.add(block);
                block = block(Math.min(2 * block.length, MAX_BLOCK), cap - total, lease);
                filled = 0;
            }
            int n = in.read(block, filled, block.length - filled);
            if (n <= 0) {
                break;
            }
            total += n;
            if (total > cap) {
                throw IngestProblem.tooLarge(message);
            }
            filled += n;
        }
        if (lease != null) {
            lease.take(total);
        }
        byte[] out = allocate((int) total);
        int at = 0;
        for (byte[] b : full) {
            System.arraycopy(b, 0, out, at, b.length);
            at += b.length;
        }
        System.arraycopy(block, 0, out, at, filled);
        return out;
    }

    /** A block of {@code size} bytes, no more than one past what the cap still allows, charged. */
    private static byte[] block(int size, long left, BufferBudget.Lease lease) {
        int length = (int) Math.max(1, Math.min(size, left + 1));
        if (lease != null) {
            lease.take(length);
        }
        return allocate(length);
    }

    /**
     * The budget keeps the bodies held at once well inside the heap, but the heap is shared with
     * everything else: if it is exhausted all the same, the request is told to come back (503, as
     * when the budget is full), not failed with a 500. Only this one large array is lost.
     */
    private static byte[] allocate(int length) {
        try {
            return new byte[length];
        } catch (OutOfMemoryError heapFull) {
            throw IngestProblem.unavailable("no memory left for buffering request bodies now; retry later");
        }
    }

    private static String mb(long bytes) {
        return bytes % (1024 * 1024) == 0 ? bytes / (1024 * 1024) + " MB" : bytes + " bytes";
    }

    /** Refuses to deliver more than {@code cap} bytes of the wire body. */
    private static final class CappedInputStream extends FilterInputStream {
        private final long cap;
        private final String message;
        private long read;

        CappedInputStream(InputStream in, long cap, String message) {
            super(in);
            this.cap = cap;
            this.message = message;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0 && ++read > cap) {
                throw IngestProblem.tooLarge(message);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0 && (read += n) > cap) {
                throw IngestProblem.tooLarge(message);
            }
            return n;
        }
    }
}
