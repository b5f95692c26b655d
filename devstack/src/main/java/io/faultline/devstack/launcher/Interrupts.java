package io.faultline.devstack.launcher;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * What Ctrl-C (SIGINT) and SIGTERM do while a command runs, as a shell's {@code trap}: the action
 * runs once, and its result is the exit status. A JVM shutdown hook could not choose the status,
 * nor be withdrawn once the stack is detached.
 */
final class Interrupts implements AutoCloseable {

    private static volatile boolean handling;

    private final List<Signal> signals = new ArrayList<>();
    private final List<SignalHandler> previous = new ArrayList<>();

    private Interrupts() {}

    static Interrupts onInterrupt(IntSupplier action) {
        Interrupts interrupts = new Interrupts();
        SignalHandler handler = signal -> {
            synchronized (Interrupts.class) {
                if (handling) {
                    return;
                }
                handling = true;
            }
            System.exit(action.getAsInt());
        };
        for (String name : List.of("INT", "TERM")) {
            Signal signal = new Signal(name);
            interrupts.signals.add(signal);
            interrupts.previous.add(Signal.handle(signal, handler));
        }
        return interrupts;
    }

    /** Whether an interrupt's action runs: the main flow's own failure is then no news. */
    static boolean handling() {
        return handling;
    }

    @Override
    public void close() {
        for (int i = 0; i < signals.size(); i++) {
            Signal.handle(signals.get(i), previous.get(i));
        }
        signals.clear();
    }
}
