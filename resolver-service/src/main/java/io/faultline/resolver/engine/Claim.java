package io.faultline.resolver.engine;

/**
 * What a trigger started: nothing, or an attempt durably claimed whose first action waits for the
 * transport's word that the trigger can no longer reach another resolver (its record's offset
 * committed). Exactly one of {@link #start()}, {@link #handOver(String)} and {@link
 * #escalate(String)} is called for a claimed attempt.
 */
public final class Claim {

    /** Nothing claimed: the trigger needs its acknowledgement only. */
    public static final Claim NONE = new Claim(null, null);

    private final Admission admission;
    private final Attempt run;

    Claim(Admission admission, Attempt run) {
        this.admission = admission;
        this.run = run;
    }

    /** Whether an attempt was claimed; if not, the trigger needs nothing more than its acknowledgement. */
    public boolean claimed() {
        return run != null;
    }

    /** The trigger is this resolver's alone now: run the attempt (and resume it after a restart). */
    public void start() {
        if (run != null) {
            admission.start(run);
        }
    }

    /** The trigger may be redelivered to another resolver, which decides it: drop the claim. */
    public void handOver(String why) {
        if (run != null) {
            admission.handOver(run, why);
        }
    }

    /** Whether the trigger may reach another resolver cannot be told: a human decides, nothing runs. */
    public void escalate(String why) {
        if (run != null) {
            admission.escalate(run, why);
        }
    }
}
