package io.faultline.schemas.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * A record value that cannot be decoded into the expected Avro type. Services route the
 * offending record to the topic's dead-letter topic with {@link #reason()} in a header rather
 * than stopping; it extends Kafka's {@link SerializationException} so Kafka Streams'
 * deserialization-exception handlers and the clients treat it as what it is.
 */
public class SchemaDecodeException extends SerializationException {

    /** Why a value could not be decoded. */
    public enum Reason {
        /** Too short, or without the Avro single-object magic bytes: not one of our records. */
        BAD_HEADER,
        /** A well-formed header whose schema fingerprint no schema kept in {@code schemas} has. */
        UNKNOWN_SCHEMA,
        /** Header and schema known, but the body does not decode with it. */
        CORRUPT_BODY
    }

    private final Reason reason;
    private final String valueType;

    public SchemaDecodeException(Reason reason, String valueType, String message, Throwable cause) {
        super(valueType + ": " + reason + ": " + message, cause);
        this.reason = reason;
        this.valueType = valueType;
    }

    public Reason reason() {
        return reason;
    }

    /** Simple name of the Avro type the bytes were expected to hold. */
    public String valueType() {
        return valueType;
    }
}
