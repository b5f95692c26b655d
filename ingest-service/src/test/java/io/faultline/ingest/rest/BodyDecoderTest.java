package io.faultline.ingest.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aayushatharva.brotli4j.Brotli4jLoader;
import com.aayushatharva.brotli4j.encoder.Encoder;
import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import io.faultline.ingest.protection.BufferBudget;
import io.faultline.ingest.service.IngestProblem;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class BodyDecoderTest {

    private static final byte[] TEXT = "{\"message\":\"hello\"}\n".repeat(100).getBytes(StandardCharsets.UTF_8);

    private final BodyDecoder decoder = new BodyDecoder(BodyDecoder.MAX_COMPRESSED, BodyDecoder.MAX_DECODED);

    @Test
    void decodesEachEncoding() throws Exception {
        assertThat(decoder.decode(new ByteArrayInputStream(TEXT), null)).isEqualTo(TEXT);
        assertThat(decoder.decode(new ByteArrayInputStream(TEXT), "identity")).isEqualTo(TEXT);
        assertThat(decoder.decode(new ByteArrayInputStream(gzip(TEXT)), "gzip")).isEqualTo(TEXT);
        assertThat(decoder.decode(new ByteArrayInputStream(deflate(TEXT, false)), "deflate"))
                .isEqualTo(TEXT);
        assertThat(decoder.decode(new ByteArrayInputStream(deflate(TEXT, true)), "deflate"))
                .isEqualTo(TEXT);
        Brotli4jLoader.ensureAvailability();
        assertThat(decoder.decode(new ByteArrayInputStream(Encoder.compress(TEXT)), "br"))
                .isEqualTo(TEXT);
        assertThat(decoder.decode(new ByteArrayInputStream(gzip(deflate(TEXT, false))), "deflate, gzip"))
                .isEqualTo(TEXT);
        assertThat(decoder.decode(new ByteArrayInputStream(Zstd.compress(TEXT)), "zstd"))
                .isEqualTo(TEXT);
        assertThat(decoder.decode(new ByteArrayInputStream(gzip(Zstd.compress(TEXT))), "zstd, gzip"))
                .isEqualTo(TEXT);
    }

    @Test
    void aZstdBombStopsAtTheCapAndAFrameAskingForAHugeWindowIsRefused() throws Exception {
        byte[] zeros = new byte[64 << 20];
        byte[] bomb = Zstd.compress(zeros); // 64 MiB of zeros in a few KiB
        assertThat(bomb.length).isLessThan(1 << 20);
        BodyDecoder small = new BodyDecoder(BodyDecoder.MAX_COMPRESSED, 10L * 1024 * 1024);
        assertThatThrownBy(() -> small.decode(new ByteArrayInputStream(bomb), "zstd"))
                .isInstanceOfSatisfying(IngestProblem.class, p -> {
                    assertThat(p.status()).isEqualTo(413);
                    assertThat(p.getMessage()).contains("decompressed body exceeds 10 MB");
                });
        // a frame written with a 128 MiB window needs that much decoder memory: not over HTTP
        byte[] wide;
        try (ZstdCompressCtx ctx = new ZstdCompressCtx()) {
            ctx.setLong(27);
            ctx.setContentSize(false);
            wide = ctx.compress(new byte[32 << 20]);
        }
        assertThatThrownBy(() -> decoder.decode(new ByteArrayInputStream(wide), "zstd"))
                .isInstanceOfSatisfying(IngestProblem.class, p -> {
                    assertThat(p.status()).isEqualTo(400);
                    assertThat(p.getMessage()).contains("zstd");
                });
    }

    @Test
    void aGzipBombStopsAtTheCap() throws Exception {
        // 1 GB of zeros compresses to about 1 MB; the cap must stop it long before it is inflated
        byte[] bomb = gzippedZeros(1024);
        BodyDecoder small = new BodyDecoder(BodyDecoder.MAX_COMPRESSED, 10L * 1024 * 1024);
        assertThatThrownBy(() -> small.decode(new ByteArrayInputStream(bomb), "gzip"))
                .isInstanceOfSatisfying(IngestProblem.class, p -> {
                    assertThat(p.status()).isEqualTo(413);
                    assertThat(p.getMessage()).contains("decompressed body exceeds 10 MB");
                });
    }

    @Test
    void decodingChargesTheLeaseForWhatItAllocates() throws Exception {
        // 32 MiB of zeros, compressed: a body far below the cap, but a large one
        byte[] body = gzippedZeros(32);
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        // every coding ends in the same reader: gzip's and zstd's streams stand for all
        for (String encoding : new String[] {"gzip", "zstd"}) {
            byte[] encoded = encoding.equals("zstd") ? Zstd.compress(new byte[32 << 20]) : body;
            BufferBudget budget = new BufferBudget(1L << 30);
            long before = threads.getCurrentThreadAllocatedBytes();
            byte[] decoded;
            try (BufferBudget.Lease lease = budget.lease()) {
                decoded = decoder.decode(encoded, encoding, n -> {}, lease);
                long allocated = threads.getCurrentThreadAllocatedBytes() - before;
                // what the budget holds is what the heap holds: a few buffers of the streams aside
                assertThat(allocated).as(encoding).isLessThan(budget.used() + (2 << 20));
            }
            assertThat(decoded).hasSize(32 << 20);
            assertThat(budget.used()).isZero();
        }
    }

    @Test
    void wireCapAndBadInput() {
        BodyDecoder tiny = new BodyDecoder(10, 100);
        assertThatThrownBy(() -> tiny.decode(new ByteArrayInputStream(TEXT), null))
                .isInstanceOfSatisfying(
                        IngestProblem.class, p -> assertThat(p.status()).isEqualTo(413));
        assertThatThrownBy(() -> decoder.decode(new ByteArrayInputStream(TEXT), "gzip"))
                .isInstanceOfSatisfying(
                        IngestProblem.class, p -> assertThat(p.status()).isEqualTo(400));
        assertThatThrownBy(() -> decoder.decode(new ByteArrayInputStream(TEXT), "br"))
                .isInstanceOfSatisfying(
                        IngestProblem.class, p -> assertThat(p.status()).isEqualTo(400));
        assertThatThrownBy(() -> decoder.decode(new ByteArrayInputStream(TEXT), "zstd"))
                .isInstanceOfSatisfying(
                        IngestProblem.class, p -> assertThat(p.status()).isEqualTo(400));
        assertThatThrownBy(() -> decoder.decode(new ByteArrayInputStream(TEXT), "compress"))
                .isInstanceOfSatisfying(
                        IngestProblem.class, p -> assertThat(p.status()).isEqualTo(415));
    }

    @Test
    void aWholeBodyWithoutEncodingIsUsedAsItIsAndOneWithAnEncodingIsDecoded() throws Exception {
        AtomicLong wire = new AtomicLong();
        assertThat(decoder.decode(TEXT, null, wire::addAndGet, null)).isSameAs(TEXT);
        assertThat(decoder.decode(TEXT, " identity ", wire::addAndGet, null)).isSameAs(TEXT);
        byte[] compressed = gzip(TEXT);
        assertThat(decoder.decode(compressed, "gzip", wire::addAndGet, null)).isEqualTo(TEXT);
        assertThat(wire.get()).isEqualTo(2L * TEXT.length + compressed.length);
        // the caps hold without a stream: a plain body counts against both
        assertThatThrownBy(() -> new BodyDecoder(10, 100).decode(TEXT, null, n -> {}, null))
                .isInstanceOfSatisfying(IngestProblem.class, p -> {
                    assertThat(p.status()).isEqualTo(413);
                    assertThat(p.getMessage()).contains("compressed body exceeds 10 bytes");
                });
        assertThatThrownBy(() -> new BodyDecoder(1 << 20, 100).decode(TEXT, null, n -> {}, null))
                .isInstanceOfSatisfying(IngestProblem.class, p -> {
                    assertThat(p.status()).isEqualTo(413);
                    assertThat(p.getMessage()).contains("decompressed body exceeds 100 bytes");
                });
        assertThatThrownBy(() -> decoder.decode(TEXT, "compress", n -> {}, null))
                .isInstanceOfSatisfying(
                        IngestProblem.class, p -> assertThat(p.status()).isEqualTo(415));
    }

    /** A compressing stream around the bytes it writes to. */
    interface Coding {
        OutputStream around(OutputStream out) throws IOException;
    }

    /** A bomb: {@code mebibytes} MiB of zeros, about a thousandth of that once compressed. */
    static byte[] compressedZeros(int mebibytes, Coding coding) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream compressing = coding.around(out)) {
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < mebibytes; i++) {
                compressing.write(zeros);
            }
        }
        return out.toByteArray();
    }

    static byte[] gzippedZeros(int mebibytes) throws IOException {
        return compressedZeros(mebibytes, GZIPOutputStream::new);
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    static byte[] deflate(byte[] data, boolean raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DeflaterOutputStream d = new DeflaterOutputStream(out, new Deflater(6, raw))) {
            d.write(data);
        }
        return out.toByteArray();
    }
}
