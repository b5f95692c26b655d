package io.faultline.resolver.engine;

import java.time.Clock;
import java.util.function.DoubleSupplier;

/**
 * What the engine takes time, threads and chance from: the only things that differ between
 * production ({@link EngineRuntimeProducer}) and a test driving the engine step by step.
 *
 * @param jitter values in [0, 1) that spread retry backoffs
 */
public record EngineRuntime(Clock clock, Scheduler scheduler, DoubleSupplier jitter) {}
