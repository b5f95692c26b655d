package io.faultline.resolver.engine;

import io.faultline.resolver.runbook.ActionSpec;
import io.faultline.resolver.strategy.ActionRequest;
import io.faultline.resolver.strategy.TemplateRenderer;
import java.time.Clock;
import java.util.Map;

/**
 * What is checked before every try of an action: a target acted on by as many actions as allowed
 * makes the attempt skip, and a runbook over its hourly action budget stops acting (the resolver's
 * own circuit breaker). An attempt holds its target from its first try until its verdict.
 */
final class SafetyGate {

    /** Why a try may not run. */
    enum Refusal {
        TARGET_BUSY,
        RATE_LIMITED
    }

    private final TargetLocks targets;
    private final ActionRateLimiter rateLimiter = new ActionRateLimiter();
    private final Clock clock;

    SafetyGate(int maxConcurrentPerTarget, Clock clock) {
        this.targets = new TargetLocks(maxConcurrentPerTarget);
        this.clock = clock;
    }

    /** @return null when the try may run (the attempt holds its target), else why not */
    Refusal admit(Attempt run, ActionSpec action, int attempt) {
        if (attempt == 1) {
            String target = target(action, run);
            if (!targets.tryAcquire(target)) {
                return Refusal.TARGET_BUSY;
            }
            run.heldTarget = target;
        }
        if (!rateLimiter.tryAcquire(run.runbook.id(), run.runbook.maxActionsPerHour(), clock.instant())) {
            release(run);
            return Refusal.RATE_LIMITED;
        }
        return null;
    }

    /** Takes the target again for an attempt resumed after a restart, if it is free. */
    void hold(Attempt run, ActionSpec action) {
        String target = target(action, run);
        if (targets.tryAcquire(target)) {
            run.heldTarget = target;
        }
    }

    void release(Attempt run) {
        if (run.heldTarget != null) {
            targets.release(run.heldTarget);
            run.heldTarget = null;
        }
    }

    /** The action's target with its placeholders filled from the trigger. */
    static String target(ActionSpec action, Attempt run) {
        try {
            return TemplateRenderer.render(
                    action.target(),
                    new ActionRequest(
                                    run.attemptId,
                                    run.runbook.id(),
                                    action.name(),
                                    Map.of(),
                                    run.trigger,
                                    1,
                                    action.timeout())
                            .variables(),
                    TemplateRenderer.PLAIN);
        } catch (IllegalArgumentException e) {
            return action.target();
        }
    }
}
