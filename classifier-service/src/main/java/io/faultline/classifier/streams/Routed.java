package io.faultline.classifier.streams;

/**
 * What a processor made of one record: a value to pass on, or the original bytes to dead-letter
 * (the reason travels in the record's headers). Lives only between two processors of one
 * sub-topology, so it is never serialized.
 */
record Routed<V>(V value, byte[] rejected, boolean isRejected) {

    static <V> Routed<V> ok(V value) {
        return new Routed<>(value, null, false);
    }

    /** The original bytes to dead-letter; null for a record without a value (a tombstone). */
    static <V> Routed<V> rejected(byte[] original) {
        return new Routed<>(null, original, true);
    }
}
