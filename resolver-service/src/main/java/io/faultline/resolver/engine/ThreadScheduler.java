package io.faultline.resolver.engine;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The production {@link Scheduler}: actions block, so they and every step run on a fixed worker
 * pool; delays (backoff, verification, approval expiry, watchdogs) are one timer thread that hands
 * each due step to the pool.
 */
final class ThreadScheduler implements Scheduler {

    private final ExecutorService workers;
    private final ScheduledExecutorService timers;

    ThreadScheduler(int workerThreads) {
        AtomicInteger n = new AtomicInteger();
        this.workers =
                Executors.newFixedThreadPool(workerThreads, r -> daemon(r, "resolver-action-" + n.incrementAndGet()));
        this.timers = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "resolver-timer"));
    }

    @Override
    public void execute(Runnable step) {
        workers.execute(step);
    }

    @Override
    public void call(Runnable blockingCall) {
        workers.execute(blockingCall);
    }

    @Override
    public Timer schedule(Runnable step, Duration delay) {
        ScheduledFuture<?> due =
                timers.schedule(() -> workers.execute(step), Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
        return () -> due.cancel(false);
    }

    @Override
    public void shutdown() {
        timers.shutdownNow();
        workers.shutdownNow();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
