package io.faultline.classifier.streams;

/**
 * What a processor made of one record: a value to pass on, or the original bytes to dead-letter
 * (the reason travels in the record's headers). Lives only between two processors of one
 * sub-topology, so it is never serialized.
 */
record Routed<V>(V value, byte[] rejected) {

    static <V> Routed<V> ok(V value) {
        return new Routed<>(value, null);
    }

    static <V> Routed<V> rejected(byte[] original) {
        return new Routed<>(null, original);
    }

    boolean isRejected() {
        return rejected != null;
    }
}
