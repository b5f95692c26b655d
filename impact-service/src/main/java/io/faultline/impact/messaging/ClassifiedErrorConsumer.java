package io.faultline.impact.messaging;

import io.faultline.impact.repository.ImpactRecorder;
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
 * transaction per batch. Decoding happens here, record by record, so a poison record (bytes that
 * do not decode, a tombstone) is nacked
 * alone onto the dead-letter topic (bytes intact, reason in headers) while its batch mates are
 * stored. Offsets are acknowledged only after the batch transaction committed. While the
 * database cannot store anything, the batch waits ({@link StoreRetry}); if one of its records can
 * never be stored (a value the schema refuses), the batch is stored record by record, so that one
 * alone goes to the dead-letter topic.
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
                ClassifiedError c = deserializer.deserialize(Topics.ERRORS_CLASSIFIED.name(), record.getPayload());
                if (c == null) {
                    // a tombstone: in the batch's write it failed as a NullPointerException, which
                    // StoreRetry took for an outage and retried for ever
                    throw new IllegalArgumentException("empty value (a tombstone): no classified error");
                }
                decoded.add(c);
                good.add(record);
            } catch (RuntimeException e) {
                poisoned.add(Uni.createFrom().completionStage(() -> record.nack(e)));
            }
        }
        Uni<Void> dlq = poisoned.isEmpty()
                ? Uni.createFrom().voidItem()
                : Uni.join().all(poisoned).andFailFast().replaceWithVoid();
        return dlq.chain(() -> store(good, decoded));
    }

    private Uni<Void> store(List<KafkaRecord<String, byte[]>> records, List<ClassifiedError> decoded) {
        if (decoded.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        String what = decoded.size() == 1
                ? "classified error " + decoded.get(0).getEvent().getEventId()
                : "a batch of " + decoded.size() + " classified errors";
        return StoreRetry.untilStored(what, () -> recorder.record(decoded))
                .chain(() -> settle(records, null))
                .onFailure()
                .recoverWithUni(failure -> decoded.size() == 1 ? settle(records, failure) : oneByOne(records, decoded));
    }

    /** A record of the batch can never be stored: each alone, so only that one is dead-lettered. */
    private Uni<Void> oneByOne(List<KafkaRecord<String, byte[]>> records, List<ClassifiedError> decoded) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (int i = 0; i < decoded.size(); i++) {
            List<KafkaRecord<String, byte[]>> record = List.of(records.get(i));
            List<ClassifiedError> one = List.of(decoded.get(i));
            chain = chain.chain(() -> store(record, one));
        }
        return chain;
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
