package io.faultline.ingest.protection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.faultline.ingest.config.IngestConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.Proxy;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class IntakeGuardTest {

    /** Settings with one request in flight at most; nothing else is asked for. */
    private static IngestConfig oneInFlight() {
        IngestConfig.Ingest ingest = (IngestConfig.Ingest) Proxy.newProxyInstance(
                IngestConfig.class.getClassLoader(), new Class<?>[] {IngestConfig.Ingest.class}, (p, m, a) -> {
                    if (m.getName().equals("maxInFlight")) {
                        return 1;
                    }
                    if (m.getName().equals("rateLimit")) {
                        return null;
                    }
                    throw new UnsupportedOperationException(m.getName());
                });
        return (IngestConfig) Proxy.newProxyInstance(
                IngestConfig.class.getClassLoader(), new Class<?>[] {IngestConfig.class}, (p, m, a) -> {
                    if (m.getName().equals("ingest")) {
                        return ingest;
                    }
                    throw new UnsupportedOperationException(m.getName());
                });
    }

    @Test
    void thePermitComesBackWhateverTheWorkThrowsAnErrorIncluded() {
        IntakeGuard guard = new IntakeGuard(oneInFlight(), new SimpleMeterRegistry());
        assertThatThrownBy(() -> guard.bounded(() -> {
                    throw new OutOfMemoryError("simulated");
                }))
                .isInstanceOf(OutOfMemoryError.class);
        // the one permit is free again: the next request is taken
        assertThat(guard.bounded(() -> CompletableFuture.completedFuture("taken"))
                        .toCompletableFuture()
                        .join())
                .isEqualTo("taken");
    }
}
