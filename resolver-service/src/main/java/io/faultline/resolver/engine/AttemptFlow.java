package io.faultline.resolver.engine;

import static io.faultline.resolver.engine.AuditRecorder.details;

import io.faultline.resolver.config.ResolverConfig;
import io.faultline.resolver.runbook.ActionSpec;
import io.faultline.resolver.runbook.VerificationSpec;
import io.faultline.resolver.strategy.ActionOutcome;
import io.faultline.resolver.strategy.ActionRequest;
import io.faultline.resolver.strategy.RemediationStrategy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * The state machine of one attempt ({@link JournalStep}): (wait for approval,) run the actions in
 * order with retries and backoff, verify each one that took effect, go on to the next action when
 * one fails or is not verified, and escalate when automation is out of options. Each step is
 * journalled before it happens and recorded on the audit trail; the parts it hands steps to
 * ({@link Approvals}, {@link SafetyGate}, {@link ActionInvoker}, {@link Verifier}, {@link
 * Escalator}) come back here for the next one.
 */
final class AttemptFlow {

    private final Clock clock;
    private final Scheduler scheduler;
    private final DoubleSupplier jitter;
    private final AttemptJournal journal;
    private final AuditRecorder audit;
    private final ActiveAttempts active;
    private final SafetyGate gate;
    private final ActionInvoker invoker;
    private final Escalator escalator;
    private final Approvals approvals;
    private final Verifier verifier;

    AttemptFlow(
            ResolverConfig.Resolver settings,
            EngineRuntime runtime,
            AttemptJournal journal,
            AuditRecorder audit,
            ActiveAttempts active,
            ActionInvoker invoker,
            Escalator escalator,
            OccurrenceSource occurrences) {
        this.clock = runtime.clock();
        this.scheduler = runtime.scheduler();
        this.jitter = runtime.jitter();
        this.journal = journal;
        this.audit = audit;
        this.active = active;
        this.gate = new SafetyGate(settings.maxConcurrentPerTarget(), clock);
        this.invoker = invoker;
        this.escalator = escalator;
        this.approvals = new Approvals(settings.approvalTimeout(), runtime, journal, audit, active, escalator, this);
        this.verifier = new Verifier(
                settings.verificationSettle(), runtime, journal, occurrences, audit, active, gate, escalator, this);
    }

    Approvals approvals() {
        return approvals;
    }

    Verifier verifier() {
        return verifier;
    }

    SafetyGate gate() {
        return gate;
    }

    Escalator escalator() {
        return escalator;
    }

    /** CLAIMED: ask for approval if the runbook wants it, else run the first action. */
    void begin(Attempt run) {
        if (run.runbook.requireApproval() && !run.dryRun) {
            approvals.request(run);
            return;
        }
        act(run, 0, 1);
    }

    /** Try {@code attempt} of action {@code index}: ACTION_STARTED, unless a safety check refuses. */
    void act(Attempt run, int index, int attempt) {
        ActionSpec action = run.action(index);
        if (run.dryRun) {
            audit.record(run, Phase.ACTION_STARTED, action, attempt, "dry run", Map.of());
            audit.record(
                    run,
                    Phase.ACTION_SUCCEEDED,
                    action,
                    attempt,
                    "dry run: would run " + action.strategy() + " on " + action.target() + "; nothing was called",
                    action.parameters());
            active.finish(run, AttemptOutcome.DRY_RUN);
            return;
        }
        SafetyGate.Refusal refused = gate.admit(run, action, attempt);
        if (refused == SafetyGate.Refusal.TARGET_BUSY) {
            String target = SafetyGate.target(action, run);
            audit.record(
                    run,
                    Phase.SKIPPED,
                    action,
                    attempt,
                    "another remediation is already acting on '" + target + "'",
                    details("reason", "target_busy", "target", target));
            active.finish(run, AttemptOutcome.SKIPPED);
            return;
        }
        if (refused == SafetyGate.Refusal.RATE_LIMITED) {
            audit.record(
                    run,
                    Phase.SKIPPED,
                    action,
                    attempt,
                    "runbook reached its budget of " + run.runbook.maxActionsPerHour()
                            + " actions per hour; the resolver stopped acting on it",
                    details("reason", "rate_limited"));
            escalator.escalate(run, "runbook '" + run.runbook.id() + "' exceeded its hourly action budget");
            return;
        }
        RemediationStrategy strategy = invoker.strategy(action);
        audit.record(
                run,
                Phase.ACTION_STARTED,
                action,
                attempt,
                action.strategy() + " on " + run.heldTarget,
                details(
                        "target",
                        run.heldTarget,
                        "approvedBy",
                        run.approvedBy,
                        "maxAttempts",
                        String.valueOf(action.maxAttempts())));
        // durable before the call: after a crash this try is known to have (maybe) run, never repeated
        journal.step(run.attemptId, JournalStep.ACTION_STARTED, index, attempt, null, run.approvedBy, clock.instant());
        ActionRequest request = new ActionRequest(
                run.attemptId,
                run.runbook.id(),
                action.name(),
                action.parameters(),
                run.trigger,
                attempt,
                action.timeout());
        invoker.invoke(strategy, request, action, (outcome, error) -> afterAction(run, index, attempt, outcome, error));
    }

    /** The try answered: VERIFYING, RETRY_SCHEDULED, or on to the next action. */
    private void afterAction(Attempt run, int index, int attempt, ActionOutcome outcome, Throwable error) {
        ActionSpec action = run.action(index);
        if (error == null && outcome.succeeded()) {
            audit.record(run, Phase.ACTION_SUCCEEDED, action, attempt, outcome.message(), outcome.details());
            Optional<VerificationSpec> verification = run.runbook.verification();
            if (verification.isEmpty()) {
                gate.release(run);
                active.finish(run, AttemptOutcome.ACTED_UNVERIFIED);
                return;
            }
            verifier.schedule(run, index, attempt, verification.get(), clock.instant());
            return;
        }
        Map<String, String> failure = new LinkedHashMap<>(outcome == null ? Map.of() : outcome.details());
        String message = error != null ? ActionInvoker.describe(error, action) : outcome.message();
        if (ActionInvoker.unknown(error)) {
            failure.put("outcome", "unknown");
            audit.record(
                    run,
                    Phase.ACTION_FAILED,
                    action,
                    attempt,
                    message + "; not tried again, as it may have taken effect",
                    failure);
            judgeUnknown(
                    run,
                    index,
                    attempt,
                    "action '" + action.name() + "' may or may not have taken effect (" + message + ")");
            return;
        }
        if (attempt < action.maxAttempts()) {
            Duration delay = action.backoff().delayBefore(attempt + 1, jitter);
            failure.put("retryIn", delay.toMillis() + "ms");
            Instant due = clock.instant().plus(delay);
            journal.step(
                    run.attemptId,
                    JournalStep.RETRY_SCHEDULED,
                    index,
                    attempt + 1,
                    due,
                    run.approvedBy,
                    clock.instant());
            audit.record(run, Phase.ACTION_FAILED, action, attempt, message, failure);
            scheduleTry(run, index, attempt + 1, due);
            return;
        }
        failure.put("triesExhausted", "true");
        audit.record(run, Phase.ACTION_FAILED, action, attempt, message, failure);
        gate.release(run);
        next(run, index + 1, "action '" + action.name() + "' failed " + attempt + " time(s): " + message);
    }

    void scheduleTry(Attempt run, int index, int attempt, Instant due) {
        scheduler.schedule(() -> act(run, index, attempt), Duration.between(clock.instant(), due));
    }

    /** The action before {@code index} did not help: the next one, or a human. */
    void next(Attempt run, int index, String why) {
        if (index < run.runbook.actions().size()) {
            act(run, index, 1);
        } else {
            escalator.escalate(run, why);
        }
    }

    /**
     * An action that may or may not have taken effect, never run again: its verification judges
     * whether it worked (the run goes on from there as after any action), and without one the
     * attempt is escalated, since nothing can tell.
     */
    void judgeUnknown(Attempt run, int index, int attempt, String why) {
        Optional<VerificationSpec> spec = run.runbook.verification();
        if (spec.isEmpty()) {
            gate.release(run);
            escalator.escalate(run, why + " and no verification can tell");
            return;
        }
        verifier.schedule(run, index, attempt, spec.get(), clock.instant());
    }
}
