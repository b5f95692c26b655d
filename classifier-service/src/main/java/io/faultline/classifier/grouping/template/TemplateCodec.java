package io.faultline.classifier.grouping.template;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Compact binary form of a {@link TemplateBucket}, for a {@code KeyValueStore<String, byte[]>}: a version byte, the
 * cluster count, then per cluster its id, size, token count and tokens (modified UTF-8; {@code <*>} as a one-byte
 * marker).
 */
public final class TemplateCodec {

    private static final int VERSION = 1;

    private TemplateCodec() {}

    public static byte[] encode(TemplateBucket bucket) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + 48 * bucket.clusters.size());
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeInt(bucket.clusters.size());
            for (TemplateCluster c : bucket.clusters) {
                out.writeUTF(c.id);
                out.writeLong(c.size);
                out.writeShort(c.tokens.length);
                for (String token : c.tokens) {
                    if (token.equals(MessageScanner.WILDCARD)) {
                        out.writeBoolean(true);
                    } else {
                        out.writeBoolean(false);
                        out.writeUTF(token);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static TemplateBucket decode(byte[] data) {
        TemplateBucket bucket = new TemplateBucket();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            int version = in.readByte();
            if (version != VERSION) throw new IllegalArgumentException("unknown template bucket version " + version);
            int clusters = in.readInt();
            for (int c = 0; c < clusters; c++) {
                String id = in.readUTF();
                long size = in.readLong();
                String[] tokens = new String[in.readUnsignedShort()];
                for (int t = 0; t < tokens.length; t++) {
                    tokens[t] = in.readBoolean() ? MessageScanner.WILDCARD : in.readUTF();
                }
                bucket.clusters.add(new TemplateCluster(id, tokens, size));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bucket;
    }
}
