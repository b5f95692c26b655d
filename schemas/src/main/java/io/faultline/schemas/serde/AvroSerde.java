package io.faultline.schemas.serde;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.message.SchemaStore;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serde (and Kafka Streams {@link Serde}) for one generated Avro type, using Avro's
 * single-object encoding: two magic bytes, the 8-byte CRC-64-AVRO fingerprint of the writer
 * schema, then the binary body. The fingerprint lets a reader pick the writer's schema from
 * {@link SchemaHistory} and resolve it to the current one, with no registry server.
 *
 * <p>Instances are thread-safe and may be shared. The per-type subclasses in {@link Serdes} have
 * no-argument constructors, for clients that instantiate (de)serializers by class name.
 */
public class AvroSerde<T extends SpecificRecord> implements Serde<T>, Serializer<T>, Deserializer<T> {

    private final Class<T> type;
    private final BinaryMessageEncoder<T> encoder;
    private final BinaryMessageDecoder<T> decoder;
    /** A hand-written body codec for the current schema, or null: Avro's writer and reader. */
    private final BodyCodec<T> codec;
    /** The current schema's single-object header, for the codec. */
    private final byte[] codecHeader;

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    public AvroSerde(Class<T> type) {
        this.type = Objects.requireNonNull(type);
        // A model bound to the type's own class loader: under Quarkus (and any container with
        // several loaders) Avro's default lookup can find another copy of the class. The
        // generated class's model lends its logical-type conversions (Instant).
        SpecificData model = new SpecificData(type.getClassLoader());
        SpecificData.getForClass(type).getConversions().forEach(model::addLogicalTypeConversion);
        Schema current = SpecificData.getForClass(type).getSchema(type);
        SchemaStore.Cache older = new SchemaStore.Cache();
        SchemaHistory.olderVersionsOf(type.getSimpleName()).forEach(older::addSchema);
        this.encoder = new BinaryMessageEncoder<>(model, current);
        this.decoder = new BinaryMessageDecoder<>(model, current, older);
        this.codec = BodyCodec.forType(type, current);
        this.codecHeader = header(current);
    }

    /** The current schema's single-object header when a hand-written codec does the body, else null. */
    byte[] codecHeader() {
        return codec == null ? null : codecHeader;
    }

    /** Avro's single-object header: the marker {@code C3 01}, then the fingerprint little-endian. */
    private static byte[] header(Schema schema) {
        long fingerprint = SchemaNormalization.parsingFingerprint64(schema);
        byte[] header = new byte[HEADER_BYTES];
        header[0] = (byte) 0xC3;
        header[1] = 0x01;
        for (int i = 0; i < 8; i++) {
            header[2 + i] = (byte) (fingerprint >>> (8 * i));
        }
        return header;
    }

    private static final int HEADER_BYTES = 10;

    /** A thread's reusable output buffer and encoder: an event is encoded on the thread that sends it. */
    private static final class Scratch extends OutputStream {
        private byte[] bytes = new byte[8192];
        private int size;
        private BinaryEncoder encoder;

        @Override
        public void write(int b) {
            ensure(1);
            bytes[size++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            ensure(len);
            System.arraycopy(b, off, bytes, size, len);
            size += len;
        }

        private void ensure(int more) {
            if (size + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
            }
        }
    }

    public static <T extends SpecificRecord> AvroSerde<T> of(Class<T> type) {
        return new AvroSerde<>(type);
    }

    public Class<T> type() {
        return type;
    }

    @Override
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null; // a tombstone on compacted topics
        }
        try {
            if (codec != null) {
                return encodeWithCodec(data);
            }
            ByteBuffer buffer = encoder.encode(data);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException | AvroRuntimeException e) {
            throw new SerializationException("cannot encode " + type.getSimpleName() + " for " + topic, e);
        }
    }

    private byte[] encodeWithCodec(T value) throws IOException {
        Scratch scratch = SCRATCH.get();
        // (re)pointing the encoder flushes what an encode that failed half-way left in its
        // buffer: before the reset, so that it is dropped
        scratch.encoder = EncoderFactory.get().binaryEncoder(scratch, scratch.encoder);
        scratch.size = 0;
        scratch.write(codecHeader, 0, HEADER_BYTES);
        codec.write(value, scratch.encoder);
        scratch.encoder.flush();
        byte[] bytes = Arrays.copyOf(scratch.bytes, scratch.size);
        if (scratch.bytes.length > 1 << 20) {
            scratch.bytes = new byte[8192]; // do not keep one huge event's buffer per thread
        }
        return bytes;
    }

    /** Whether the bytes were written with the current schema, whose body the codec reads. */
    private boolean codecReads(byte[] data) {
        return codec != null && writtenWithCurrentSchema(data);
    }

    /**
     * Whether {@code data} starts with the current schema's single-object header: its body then
     * has the current schema's field layout (the header says nothing about the body's integrity).
     */
    public boolean writtenWithCurrentSchema(byte[] data) {
        return data != null
                && data.length >= HEADER_BYTES
                && Arrays.equals(data, 0, HEADER_BYTES, codecHeader, 0, HEADER_BYTES);
    }

    /** The length of the single-object header before every body. */
    public static int headerLength() {
        return HEADER_BYTES;
    }

    /** A decoded value, and whether its bytes are exactly one value of the current schema. */
    public record Decoded<T>(T value, boolean wholeCurrentBytes) {}

    /**
     * Decodes like {@link #decode} and says whether the bytes are exactly one value written with
     * the current schema, nothing trailing (Avro's reader ignores bytes after a value). Only such
     * bytes may be embedded as they are in a record that holds the value ({@link
     * ClassifiedErrorBytes}).
     */
    public Decoded<T> decodeWhole(byte[] data) {
        if (data == null || !codecReads(data)) {
            return new Decoded<>(decode(data), false);
        }
        try {
            BinaryDecoder in = DecoderFactory.get().binaryDecoder(data, HEADER_BYTES, data.length - HEADER_BYTES, null);
            T value = codec.read(in);
            return new Decoded<>(value, in.isEnd());
        } catch (IOException | RuntimeException e) {
            throw new SchemaDecodeException(
                    SchemaDecodeException.Reason.CORRUPT_BODY, type.getSimpleName(), String.valueOf(e.getMessage()), e);
        }
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        return decode(data);
    }

    /** Decodes one value; {@code null} stays {@code null}; anything else undecodable is typed. */
    public T decode(byte[] data) {
        if (data == null) {
            return null;
        }
        String name = type.getSimpleName();
        try {
            if (codecReads(data)) {
                return codec.read(
                        DecoderFactory.get().binaryDecoder(data, HEADER_BYTES, data.length - HEADER_BYTES, null));
            }
            return decoder.decode(data);
        } catch (MissingSchemaException e) {
            throw new SchemaDecodeException(SchemaDecodeException.Reason.UNKNOWN_SCHEMA, name, e.getMessage(), e);
        } catch (BadHeaderException e) {
            throw new SchemaDecodeException(SchemaDecodeException.Reason.BAD_HEADER, name, e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            // a truncated or garbled body surfaces as EOF, AvroRuntimeException, or worse
            // (negative lengths → NegativeArraySize, huge ones → OutOfMemory is guarded by Avro's
            // max-length system properties), so every failure after the header is CORRUPT_BODY
            throw new SchemaDecodeException(
                    SchemaDecodeException.Reason.CORRUPT_BODY, name, String.valueOf(e.getMessage()), e);
        }
    }

    @Override
    public Serializer<T> serializer() {
        return this;
    }

    @Override
    public Deserializer<T> deserializer() {
        return this;
    }

    @Override
    public void configure(java.util.Map<String, ?> configs, boolean isKey) {
        // nothing to configure: the type fixes the schema
    }

    @Override
    public void close() {
        // stateless
    }
}
