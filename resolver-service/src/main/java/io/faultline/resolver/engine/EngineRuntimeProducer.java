package io.faultline.resolver.engine;

import io.faultline.resolver.config.ResolverConfig;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.concurrent.ThreadLocalRandom;

/** The engine's real clock, threads and jitter. */
@Singleton
public class EngineRuntimeProducer {

    @Produces
    @Singleton
    EngineRuntime runtime(ResolverConfig config) {
        return new EngineRuntime(
                Clock.systemUTC(), new ThreadScheduler(config.resolver().workers()), () -> ThreadLocalRandom.current()
                        .nextDouble());
    }

    void close(@Disposes EngineRuntime runtime) {
        runtime.scheduler().shutdown();
    }
}
