package io.faultline.classifier.streams;

import java.nio.ByteBuffer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/** Errors and requests counted in one SLO bucket of one scope; stored as two big-endian longs. */
record BucketCounts(long errors, long requests) {

    static final BucketCounts EMPTY = new BucketCounts(0, 0);

    BucketCounts plus(long moreErrors, long moreRequests) {
        return new BucketCounts(errors + moreErrors, requests + moreRequests);
    }

    static Serde<BucketCounts> serde() {
        Serializer<BucketCounts> serializer = (topic, counts) -> counts == null
                ? null
                : ByteBuffer.allocate(16)
                        .putLong(counts.errors())
                        .putLong(counts.requests())
                        .array();
        Deserializer<BucketCounts> deserializer = (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            return new BucketCounts(buffer.getLong(), buffer.getLong());
        };
        return Serdes.serdeFrom(serializer, deserializer);
    }
}
