package io.faultline.resolver.engine;

import java.time.Duration;

/**
 * Where the engine runs its work: steps of attempts on workers, now or after a delay, and the
 * strategies' blocking calls. Injected so that a test can run every step on its own thread at the
 * time it chooses ({@code EngineTest}), where production uses thread pools ({@link
 * ThreadScheduler}).
 */
public interface Scheduler {

    /** A step run on a worker as soon as one is free. */
    void execute(Runnable step);

    /** A strategy's call, which may block for as long as its timeout and a little more. */
    void call(Runnable blockingCall);

    /** A step run on a worker once {@code delay} has passed (at once when it is not positive). */
    Timer schedule(Runnable step, Duration delay);

    /** Stops every thread; steps not yet run are dropped (the journal keeps what they were). */
    void shutdown();

    /** A scheduled step that may still be called off. */
    interface Timer {
        void cancel();
    }
}
