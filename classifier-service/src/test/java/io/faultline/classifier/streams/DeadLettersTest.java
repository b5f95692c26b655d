package io.faultline.classifier.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.faultline.schemas.serde.SchemaDecodeException;
import io.faultline.schemas.topics.Topics;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.ProcessorStateException;
import org.apache.kafka.streams.errors.StreamsException;
import org.junit.jupiter.api.Test;

/** Where the stream's exception handlers send a record, and which faults they blame on it. */
class DeadLettersTest {

    @Test
    void aRecordGoesToTheDeadLetterTopicOfTheCatalogueTopicItWasReadFromOrCarriedBy() {
        assertThat(DeadLetters.topicFor(Topics.EVENTS_RAW.name())).isEqualTo(Topics.EVENTS_RAW_DLQ.name());
        assertThat(DeadLetters.topicFor("faultline-classifier-events-by-project-repartition"))
                .isEqualTo(Topics.EVENTS_RAW_DLQ.name());
        assertThat(DeadLetters.topicFor("faultline-classifier-traffic-by-scope-repartition"))
                .isEqualTo(Topics.TRAFFIC_DLQ.name());
        assertThat(DeadLetters.topicFor("faultline-classifier-resolutions-by-project-repartition"))
                .isEqualTo(Topics.RESOLUTIONS_DLQ.name());
        assertThat(DeadLetters.topicFor(Topics.SIGNALS.name())).isEqualTo(Topics.SIGNALS_DLQ.name());
        assertThat(DeadLetters.topicFor("faultline-classifier-group-state-store-changelog"))
                .isNull();
        assertThat(DeadLetters.topicFor(null)).isNull();
    }

    @Test
    void aDeadLetterTooLargeForItsTopicIsCutAndSaysItsSize() {
        RecordHeaders headers = new RecordHeaders();
        byte[] small = new byte[10];
        assertThat(DeadLetters.fit(small, headers)).isSameAs(small);
        assertThat(DeadLetters.fit(null, headers)).isNull();
        assertThat(headers.toArray()).isEmpty();

        byte[] cut = DeadLetters.fit(new byte[1024 * 1024], headers);
        assertThat(cut).hasSize(DeadLetters.MAX_VALUE_BYTES);
        assertThat(new String(
                        headers.lastHeader(DeadLetters.HEADER_ORIGINAL_SIZE).value(), StandardCharsets.UTF_8))
                .isEqualTo("1048576");
    }

    @Test
    void onlyFaultsOfTheRecordItselfAreDeadLetteredByTheProcessingHandler() {
        assertThat(DeadLetterProcessingHandler.recordsFault(new NullPointerException()))
                .isTrue();
        assertThat(DeadLetterProcessingHandler.recordsFault(new SchemaDecodeException(
                        SchemaDecodeException.Reason.BAD_HEADER, "ErrorEvent", "bad bytes", null)))
                .isTrue();
        // Record#withTimestamp(-1)
        assertThat(DeadLetterProcessingHandler.recordsFault(
                        new StreamsException("Malformed Record", new IllegalArgumentException("negative"))))
                .isTrue();
        assertThat(DeadLetterProcessingHandler.recordsFault(new ProcessorStateException("rocksdb")))
                .isFalse();
        assertThat(DeadLetterProcessingHandler.recordsFault(new NotEnoughReplicasException("brokers")))
                .isFalse();
    }

    @Test
    void theProductionHandlerBlamesARefusalOnlyOnTheRecordRefused() {
        assertThat(DeadLetterProductionHandler.refusedForItself(new InvalidRecordException("timestamp out of range")))
                .isTrue();
        assertThat(DeadLetterProductionHandler.refusedForItself(new InvalidTimestampException("-1")))
                .isTrue();
        assertThat(DeadLetterProductionHandler.refusedForItself(new RecordTooLargeException("2 MiB")))
                .isTrue();
        // its batch mates
        assertThat(DeadLetterProductionHandler.refusedForItself(
                        new KafkaException("Failed to append record because it was part of a batch")))
                .isFalse();
    }
}
