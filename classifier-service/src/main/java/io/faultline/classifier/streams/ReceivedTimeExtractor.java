package io.faultline.classifier.streams;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * The time a record was written to its topic, as the stream's time for it, but never later than a
 * minute ahead of this clock and never negative. Whatever the classifier writes for a record carries
 * this time unless a processor stamps another, so a record a topic took under a looser {@code
 * message.timestamp.after.max.ms} (or one of the old format, without a time) still yields records
 * every topic takes. Kafka's default extractor stops the stream on a negative time.
 */
public final class ReceivedTimeExtractor implements TimestampExtractor {

    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        long written = record.timestamp();
        long now = System.currentTimeMillis();
        if (written < 0) {
            return partitionTime >= 0 ? partitionTime : now;
        }
        return Math.min(written, now + EventTimes.MAX_AHEAD_MS);
    }
}
