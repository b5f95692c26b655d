package io.faultline.resolver.engine;

import static io.faultline.resolver.engine.AuditRecorder.details;

import io.faultline.resolver.runbook.ActionSpec;
import io.faultline.resolver.runbook.VerificationSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Judges whether an action worked (VERIFYING) from the errors of the trigger's group after it,
 * read back from the classified topic: a pass resolves the attempt, a failure goes on to the next
 * action. Without the errors there is no verdict: the read is tried again, and the attempt is
 * escalated if they stay out of reach.
 */
final class Verifier {

    private static final Logger LOG = Logger.getLogger(Verifier.class);

    /** How often a verification tries to read the errors after its action before it escalates. */
    static final int VERIFICATION_READS = 10;

    private static final Duration VERIFICATION_READ_RETRY = Duration.ofSeconds(30);

    private final Duration settle;
    private final Clock clock;
    private final Scheduler scheduler;
    private final AttemptJournal journal;
    private final OccurrenceSource occurrences;
    private final AuditRecorder audit;
    private final ActiveAttempts active;
    private final SafetyGate gate;
    private final Escalator escalator;
    private final AttemptFlow flow;

    Verifier(
            Duration settle,
            EngineRuntime runtime,
            AttemptJournal journal,
            OccurrenceSource occurrences,
            AuditRecorder audit,
            ActiveAttempts active,
            SafetyGate gate,
            Escalator escalator,
            AttemptFlow flow) {
        this.settle = settle;
        this.clock = runtime.clock();
        this.scheduler = runtime.scheduler();
        this.journal = journal;
        this.occurrences = occurrences;
        this.audit = audit;
        this.active = active;
        this.gate = gate;
        this.escalator = escalator;
        this.flow = flow;
    }

    /**
     * Verification of an action that took effect at {@code actedAt}, judged one window later plus
     * the settle delay: occurrences are placed at ingest time, so the verdict waits for the
     * window's last errors to cross the pipeline before it counts them.
     */
    void schedule(Attempt run, int index, int attempt, VerificationSpec spec, Instant actedAt) {
        Instant due = actedAt.plus(spec.window()).plus(settle);
        journal.step(run.attemptId, JournalStep.VERIFYING, index, attempt, due, run.approvedBy, actedAt);
        scheduler.schedule(() -> verify(run, index, spec, actedAt, actedAt), Duration.between(clock.instant(), due));
    }

    /** Judges the stretch from {@code quietSince} (the action, or the latest error after it) on. */
    private void verify(Attempt run, int index, VerificationSpec spec, Instant actedAt, Instant quietSince) {
        ActionSpec action = run.action(index);
        Instant until = quietSince.plus(spec.window());
        OccurrenceLog seen;
        try {
            seen = occurrences.read(run.trigger, quietSince, until);
        } catch (OccurrenceSource.OccurrencesUnavailable e) {
            // no verdict without the errors: ask again a little later, and hand the attempt to a
            // human if they stay out of reach (holding the target meanwhile)
            if (++run.unreadVerifications < VERIFICATION_READS) {
                LOG.warnf("verification of %s postponed: %s", run.attemptId, e.getMessage());
                scheduler.schedule(() -> verify(run, index, spec, actedAt, quietSince), VERIFICATION_READ_RETRY);
                return;
            }
            gate.release(run);
            escalator.escalate(
                    run,
                    "action '" + action.name() + "' ran, but the errors after it could not be read "
                            + VERIFICATION_READS + " times to verify it: " + e.getMessage());
            return;
        }
        Verdicts.Verdict verdict = Verdicts.judge(spec, seen, run.trigger.groupId(), quietSince, until);
        if (!verdict.passed() && spec instanceof VerificationSpec.QuietFor q) {
            // not quiet yet: if a quiet stretch after the latest error can still end within the
            // allowance, wait for it rather than fail the action
            Optional<Instant> last = seen.latest(run.trigger.groupId(), quietSince, until);
            Instant next = last.map(l -> l.plus(q.window())).orElse(null);
            if (next != null && !next.isAfter(actedAt.plus(q.within()))) {
                Instant from = last.get();
                scheduler.schedule(
                        () -> verify(run, index, spec, actedAt, from),
                        Duration.between(clock.instant(), next.plus(settle)));
                return;
            }
        }
        gate.release(run);
        if (verdict.passed()) {
            String observation = quietSince.equals(actedAt)
                    ? verdict.observation()
                    : verdict.observation().replace("after the action", "after the group's last error") + " ("
                            + Duration.between(actedAt, quietSince).toMillis() + "ms after the action)";
            audit.record(
                    run,
                    Phase.VERIFICATION_PASSED,
                    action,
                    0,
                    observation,
                    details("actedAt", actedAt.toString(), "quietSince", quietSince.toString()));
            active.finish(run, AttemptOutcome.RESOLVED);
            return;
        }
        audit.record(
                run,
                Phase.VERIFICATION_FAILED,
                action,
                0,
                verdict.observation(),
                details("actedAt", actedAt.toString()));
        flow.next(
                run,
                index + 1,
                "the group kept failing after action '" + action.name() + "': " + verdict.observation());
    }
}
