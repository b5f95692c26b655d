package io.faultline.resolver.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A {@link Scheduler} whose steps run on the test's thread, in the order of their due time (then
 * of scheduling), only when the test advances its {@link ManualClock}. Strategy calls run like
 * steps, unless the test holds them: a held call is one that has not answered yet.
 */
final class ManualScheduler implements Scheduler {

    private record Task(Instant due, long seq, Runnable step, boolean[] cancelled) {}

    private final ManualClock clock;
    private final PriorityQueue<Task> queue =
            new PriorityQueue<>(Comparator.comparing(Task::due).thenComparingLong(Task::seq));
    private final List<Runnable> heldCalls = new ArrayList<>();
    private long seq;
    private boolean holdCalls;
    private boolean shutdown;

    ManualScheduler(ManualClock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized void execute(Runnable step) {
        schedule(step, Duration.ZERO);
    }

    @Override
    public synchronized void call(Runnable blockingCall) {
        if (holdCalls) {
            heldCalls.add(blockingCall);
        } else {
            execute(blockingCall);
        }
    }

    @Override
    public synchronized Timer schedule(Runnable step, Duration delay) {
        boolean[] cancelled = {false};
        if (!shutdown) {
            Instant due = delay.isNegative() ? clock.instant() : clock.instant().plus(delay);
            queue.add(new Task(due, seq++, step, cancelled));
        }
        return () -> cancelled[0] = true;
    }

    @Override
    public synchronized void shutdown() {
        shutdown = true;
        queue.clear();
    }

    /** From now on strategy calls do not answer until {@link #answerHeldCalls()}. */
    void holdCalls() {
        holdCalls = true;
    }

    /** The held calls answer now, late. */
    void answerHeldCalls() {
        holdCalls = false;
        List<Runnable> calls = List.copyOf(heldCalls);
        heldCalls.clear();
        calls.forEach(Runnable::run);
        runReady();
    }

    /** Runs every step due now, and the steps they make due now. */
    void runReady() {
        advance(Duration.ZERO);
    }

    /** Moves time on by {@code by}, running each step at its due time. */
    void advance(Duration by) {
        Instant until = clock.instant().plus(by);
        Task next;
        while ((next = nextDue(until)) != null) {
            if (next.due().isAfter(clock.instant())) {
                clock.set(next.due());
            }
            if (!next.cancelled()[0]) {
                next.step().run();
            }
        }
        clock.set(until);
    }

    private synchronized Task nextDue(Instant until) {
        Task head = queue.peek();
        return head == null || head.due().isAfter(until) ? null : queue.poll();
    }
}
