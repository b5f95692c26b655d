package io.faultline.impact.messaging;

import io.faultline.impact.service.ImpactRecorder;
import io.faultline.schemas.ClassifiedError;
import io.faultline.schemas.topics.Topics;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Transport: classified errors in, a poll's worth at a time ({@code batch=true}), one database
 * transaction per batch. Decoding happens here, record by record, so a poison record is nacked
 * alone onto the dead-letter topic (bytes intact, reason in headers) while its batch mates are
 * stored. Offsets are acknowledged only after the batch transaction committed; a failed
 * transaction (after the recorder's retries of transient failures) nacks the batch's records.
 */
@ApplicationScoped
public class ClassifiedErrorConsumer {

    private final ImpactRecorder recorder;

    public ClassifiedErrorConsumer(ImpactRecorder recorder) {
        this.recorder = recorder;
    }

    @Incoming("faultline.errors.classified.v1")
    public Uni<Void> onBatch(KafkaRecordBatch<String, byte[]> batch) {
        var deserializer = Topics.ERRORS_CLASSIFIED.valueSerde().deserializer();
        List<ClassifiedError> decoded = new ArrayList<>();
        List<KafkaRecord<String, byte[]>> good = new ArrayList<>();
        List<Uni<Void>> poisoned = new ArrayList<>();
        for (KafkaRecord<String, byte[]> record : batch.getRecords()) {
            try {
                decoded.add(deserializer.deserialize(Topics.ERRORS_CLASSIFIED.name(), record.getPayload()));
                good.add(record);
            } catch (RuntimeException e) {
                poisoned.add(Uni.createFrom().completionStage(() -> record.nack(e)));
            }
        }
        Uni<Void> dlq = poisoned.isEmpty()
                ? Uni.createFrom().voidItem()
                : Uni.join().all(poisoned).andFailFast().replaceWithVoid();
        return dlq.chain(() -> recorder.record(decoded))
                .chain(() -> settle(good, null))
                .onFailure()
                .recoverWithUni(failure -> settle(good, failure));
    }

    private static Uni<Void> settle(List<KafkaRecord<String, byte[]>> records, Throwable failure) {
        if (records.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Uni.join()
                .all(records.stream()
                        .map(r -> Uni.createFrom().completionStage(() -> failure == null ? r.ack() : r.nack(failure)))
                        .toList())
                .andFailFast()
                .replaceWithVoid();
    }
}
