package io.faultline.classifier.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.faultline.classifier.rates.RateDimension;
import io.faultline.classifier.rates.RateWindow;
import io.faultline.schemas.ClassifiedError;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.InternalFixedKeyRecordFactory;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.Test;

/**
 * Kafka Streams revives a failed task (a commit that timed out, say) with the same processor
 * objects and calls {@code init} again: the rate counter must then count from its stores alone.
 */
class ErrorRateProcessorTest {

    private static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");

    /** Window stores as maps of key@windowStart → count, enough for fetch and put. */
    private final Map<String, Map<String, Long>> stores = new HashMap<>();

    @SuppressWarnings("unchecked")
    private FixedKeyProcessorContext<String, Void> context() {
        return (FixedKeyProcessorContext<String, Void>) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {FixedKeyProcessorContext.class}, (proxy, method, args) -> {
                    if (!method.getName().equals("getStateStore")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    return store(stores.computeIfAbsent((String) args[0], n -> new HashMap<>()));
                });
    }

    @SuppressWarnings("unchecked")
    private static WindowStore<String, Long> store(Map<String, Long> counts) {
        return (WindowStore<String, Long>) Proxy.newProxyInstance(
                ErrorRateProcessorTest.class.getClassLoader(),
                new Class<?>[] {WindowStore.class},
                (proxy, method, args) -> switch (method.getName() + "/" + method.getParameterCount()) {
                    case "fetch/2" -> counts.get(args[0] + "@" + args[1]);
                    case "put/3" -> counts.put(args[0] + "@" + args[2], (Long) args[1]);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private long groupCount(ClassifiedError error) {
        long minute = RateWindow.values()[0].size().toMillis();
        long windowStart = Math.floorDiv(T0.toEpochMilli(), minute) * minute;
        return stores.get(RateDimension.GROUP.storeName(RateWindow.values()[0]))
                .get(error.getGroupId() + "@" + windowStart);
    }

    @Test
    void aRevivedTaskCountsEachLaterEventOnce() {
        ClassifiedError error =
                ClassifiedErrorSerializerTest.classified(ClassifierTopologyTest.sqlError("a".repeat(32), 1, T0));
        ErrorRateProcessor processor = new ErrorRateProcessor(0);
        processor.init(context());
        processor.process(
                InternalFixedKeyRecordFactory.create(new Record<>(error.getGroupId(), error, T0.toEpochMilli())));
        assertThat(groupCount(error)).isEqualTo(1);

        processor.close();
        processor.init(context()); // revived: same object, init again
        processor.process(
                InternalFixedKeyRecordFactory.create(new Record<>(error.getGroupId(), error, T0.toEpochMilli())));

        assertThat(groupCount(error)).isEqualTo(2);
    }
}
