package io.faultline.resolver.engine;

import io.faultline.resolver.config.ResolverConfig;
import io.faultline.resolver.runbook.ActionSpec;
import io.faultline.resolver.runbook.Runbook;
import io.faultline.resolver.runbook.RunbookMatcher;
import io.faultline.resolver.runbook.RunbooksInForce;
import io.faultline.resolver.runbook.Trigger;
import io.faultline.resolver.runbook.VerificationSpec;
import io.faultline.resolver.strategy.ActionOutcome;
import io.faultline.resolver.strategy.ActionRequest;
import io.faultline.resolver.strategy.Notification;
import io.faultline.resolver.strategy.NotificationSender;
import io.faultline.resolver.strategy.OutcomeUnknown;
import io.faultline.resolver.strategy.RemediationStrategy;
import io.faultline.resolver.strategy.StrategyRegistry;
import io.faultline.resolver.strategy.TemplateRenderer;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Runs remediation attempts: match a runbook, claim the attempt, (wait for approval,) run the
 * actions with retries and backoff, verify from the group's later errors, try the next action on
 * failure, escalate when automation is out of options. Every step is an {@link AuditEntry}.
 *
 * <p>Safety, checked before every try: dry-run (global or per runbook) records instead of
 * acting; a target acted on by as many actions as allowed makes the attempt skip; a runbook over
 * its hourly action budget stops acting and escalates.
 *
 * <p>Threads: actions block, so they run on a fixed worker pool; delays (backoff, verification,
 * approval timeout) are timers. Each attempt has one step in flight at a time, so its state
 * needs no locking beyond the approval hand-off.
 */
@Startup
@ApplicationScoped
public class ResolutionEngine {

    private static final Logger LOG = Logger.getLogger(ResolutionEngine.class);
    private static final Duration JOURNAL_RETENTION = Duration.ofDays(2);
    /** A group without a runbook gets its "no runbook matched" entry at most this often. */
    static final Duration UNMATCHED_EVERY = Duration.ofMinutes(10);

    private static final int UNMATCHED_GROUPS_KEPT = 100_000;

    /** How long past its timeout an action's call may take before its outcome is judged unknown. */
    private static final Duration CALL_GRACE = Duration.ofSeconds(5);

    /** How often a verification tries to read the errors after its action before it escalates. */
    static final int VERIFICATION_READS = 10;

    private static final Duration VERIFICATION_READ_RETRY = Duration.ofSeconds(30);

    /** How an approval request ended. */
    public enum ApprovalResult {
        APPROVED,
        REJECTED,
        NOT_PENDING
    }

    private final RunbooksInForce catalogue;
    private final StrategyRegistry strategies;
    private final NotificationSender notifier;
    private final AuditTrail audit;
    private final ResolverConfig.Resolver settings;
    private final Clock clock;
    private final Scheduler scheduler;
    private final java.util.function.DoubleSupplier jitter;
    private final OccurrenceSource occurrences;
    private final ActionRateLimiter rateLimiter = new ActionRateLimiter();
    private final TargetLocks targets;
    private final Map<String, Run> active = new ConcurrentHashMap<>();
    /** When each group's "no runbook matched" decision was last recorded; the most recent groups. */
    private final Map<String, Instant> unmatchedRecorded =
            java.util.Collections.synchronizedMap(new LinkedHashMap<>(1024, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
                    return size() > UNMATCHED_GROUPS_KEPT;
                }
            });

    private final Map<String, Run> awaitingApproval = new ConcurrentHashMap<>();
    private AttemptJournal journal;

    @jakarta.inject.Inject
    public ResolutionEngine(
            RunbooksInForce catalogue,
            StrategyRegistry strategies,
            NotificationSender notifier,
            AuditTrail audit,
            OccurrenceSource occurrences,
            ResolverConfig config,
            EngineRuntime runtime) {
        this(catalogue, strategies, notifier, audit, occurrences, config.resolver(), runtime);
    }

    ResolutionEngine(
            RunbooksInForce catalogue,
            StrategyRegistry strategies,
            NotificationSender notifier,
            AuditTrail audit,
            OccurrenceSource occurrences,
            ResolverConfig.Resolver settings,
            EngineRuntime runtime) {
        this.clock = runtime.clock();
        this.scheduler = runtime.scheduler();
        this.jitter = runtime.jitter();
        this.catalogue = catalogue;
        this.strategies = strategies;
        this.notifier = notifier;
        this.audit = audit;
        this.occurrences = occurrences;
        this.settings = settings;
        this.targets = new TargetLocks(settings.maxConcurrentPerTarget());
    }

    @PostConstruct
    void start() {
        journal = new AttemptJournal(Path.of(settings.stateDir()), JOURNAL_RETENTION, clock.instant());
        schedulePrune();
        scheduler.execute(this::resumeInterrupted);
    }

    @PreDestroy
    void stop() {
        scheduler.shutdown();
        journal.close();
    }

    private void schedulePrune() {
        scheduler.schedule(
                () -> {
                    journal.prune(JOURNAL_RETENTION, clock.instant());
                    schedulePrune();
                },
                Duration.ofMinutes(1));
    }

    /**
     * Handles one trigger. The returned stage completes once the decision is durable (attempt
     * claimed, audit entry acknowledged): only then may the triggering record be acknowledged.
     */
    public CompletionStage<Void> onTrigger(Trigger trigger) {
        Instant now = clock.instant();
        Optional<Runbook> match = RunbookMatcher.firstMatch(catalogue.current(), trigger);
        if (match.isEmpty()) {
            // once per group per window, not once per error: at thousands of errors a second the
            // trail (and the impact-service's table of it) would fill with the same decision, and
            // the entries that matter would queue behind them
            Instant recorded = unmatchedRecorded.get(trigger.groupId());
            if (recorded != null && now.isBefore(recorded.plus(UNMATCHED_EVERY))) {
                return CompletableFuture.completedFuture(null);
            }
            return audit.record(new AuditEntry(
                            "decision:" + trigger.eventId(),
                            "decision:" + trigger.eventId(),
                            trigger.groupId(),
                            trigger.projectId(),
                            trigger.eventId(),
                            now,
                            Phase.NO_RUNBOOK_MATCHED,
                            null,
                            null,
                            null,
                            0,
                            false,
                            trigger.severity(),
                            "no runbook matches this error group",
                            details("category", trigger.category(), "businessImpact", trigger.businessImpact())))
                    .thenRun(() -> unmatchedRecorded.put(trigger.groupId(), now));
        }
        Runbook runbook = match.get();
        Optional<Instant> ended = journal.lastEnded(runbook.id(), trigger.groupId());
        if (ended.isPresent() && trigger.occurredAt().isBefore(ended.get().plus(runbook.window()))) {
            // one attempt per group per window, counted from the end of the last one: otherwise an
            // escalation at 10:00:05 of an attempt begun at 09:59:50 lets the error of 10:00:06
            // start the same actions (and page again) in the next window
            return CompletableFuture.completedFuture(null);
        }
        String attemptId = AttemptIds.of(runbook.id(), trigger.groupId(), trigger.occurredAt(), runbook.window());
        Run run = new Run(attemptId, runbook, trigger, settings.dryRun() || runbook.dryRun());
        // one attempt per runbook and group at a time: later errors of the group feed its verification
        if (journal.known(attemptId) || !activate(run)) {
            return CompletableFuture.completedFuture(null);
        }
        if (!journal.claim(AttemptJournal.Entry.claim(attemptId, runbook.id(), trigger, now))) {
            deactivate(run);
            return CompletableFuture.completedFuture(null);
        }
        CompletionStage<Void> recorded = record(
                run,
                Phase.MATCHED,
                null,
                0,
                "runbook '" + runbook.id() + "' matched",
                details(
                        "description",
                        runbook.description(),
                        "actions",
                        String.valueOf(runbook.actions().size())));
        scheduler.execute(() -> begin(run));
        return recorded;
    }

    /** An operator's answer to a pending approval. */
    public ApprovalResult decide(String attemptId, boolean approve, String operator) {
        Run run = awaitingApproval.remove(attemptId);
        if (run == null) {
            return ApprovalResult.NOT_PENDING;
        }
        if (run.approvalTimeout != null) {
            run.approvalTimeout.cancel();
        }
        if (approve) {
            run.approvedBy = operator;
            scheduler.execute(() -> runAction(run, 0, 1));
            return ApprovalResult.APPROVED;
        }
        record(run, Phase.SKIPPED, null, 0, "rejected by " + operator, details("reason", "rejected"));
        finish(run, "rejected");
        return ApprovalResult.REJECTED;
    }

    /** Attempt ids waiting for an operator. */
    public List<String> pendingApprovals() {
        return List.copyOf(awaitingApproval.keySet());
    }

    private void begin(Run run) {
        if (run.runbook.requireApproval() && !run.dryRun) {
            Duration timeout = settings.approvalTimeout();
            Instant expires = clock.instant().plus(timeout);
            journal.step(run.attemptId, AttemptJournal.AWAITING_APPROVAL, 0, 1, expires, null, clock.instant());
            awaitApproval(run, expires);
            record(
                    run,
                    Phase.PENDING_APPROVAL,
                    null,
                    0,
                    "waiting for an operator to approve or reject",
                    details("approve", "POST /api/v1/approvals/" + run.attemptId, "expiresIn", timeout.toString()));
            return;
        }
        runAction(run, 0, 1);
    }

    private void awaitApproval(Run run, Instant expires) {
        awaitingApproval.put(run.attemptId, run);
        run.approvalTimeout = scheduler.schedule(
                () -> {
                    if (awaitingApproval.remove(run.attemptId, run)) {
                        escalate(run, "no approval within " + settings.approvalTimeout());
                    }
                },
                Duration.between(clock.instant(), expires));
    }

    private void runAction(Run run, int index, int attempt) {
        ActionSpec action = run.runbook.actions().get(index);
        if (run.dryRun) {
            record(run, Phase.ACTION_STARTED, action, attempt, "dry run", Map.of());
            record(
                    run,
                    Phase.ACTION_SUCCEEDED,
                    action,
                    attempt,
                    "dry run: would run " + action.strategy() + " on " + action.target() + "; nothing was called",
                    action.parameters());
            finish(run, "dry_run");
            return;
        }
        if (attempt == 1) {
            String target = renderTarget(action, run);
            if (!targets.tryAcquire(target)) {
                record(
                        run,
                        Phase.SKIPPED,
                        action,
                        attempt,
                        "another remediation is already acting on '" + target + "'",
                        details("reason", "target_busy", "target", target));
                finish(run, "skipped");
                return;
            }
            run.heldTarget = target;
        }
        if (!rateLimiter.tryAcquire(run.runbook.id(), run.runbook.maxActionsPerHour(), clock.instant())) {
            releaseTarget(run);
            record(
                    run,
                    Phase.SKIPPED,
                    action,
                    attempt,
                    "runbook reached its budget of " + run.runbook.maxActionsPerHour()
                            + " actions per hour; the resolver stopped acting on it",
                    details("reason", "rate_limited"));
            escalate(run, "runbook '" + run.runbook.id() + "' exceeded its hourly action budget");
            return;
        }
        RemediationStrategy strategy = strategies
                .find(action.strategy())
                .orElseThrow(() -> new IllegalStateException("strategy " + action.strategy() + " vanished"));
        record(
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
        journal.step(
                run.attemptId, AttemptJournal.ACTION_STARTED, index, attempt, null, run.approvedBy, clock.instant());
        ActionRequest request = new ActionRequest(
                run.attemptId,
                run.runbook.id(),
                action.name(),
                action.parameters(),
                run.trigger,
                attempt,
                action.timeout());
        // The call is not abandoned at its timeout and tried again: it may still take effect (a
        // restart sent, a record in the producer's buffer), and a second try would apply it twice.
        // Strategies bound their own I/O by the timeout; one that has not answered a little after
        // it is judged as of unknown outcome, and its late answer is only logged.
        AtomicBoolean settled = new AtomicBoolean();
        long patience = action.timeout().plus(CALL_GRACE).toMillis();
        Scheduler.Timer watchdog = scheduler.schedule(
                () -> {
                    if (settled.compareAndSet(false, true)) {
                        afterAction(
                                run,
                                index,
                                attempt,
                                null,
                                new OutcomeUnknown(
                                        "no answer within " + patience + "ms; the call may still take effect", null));
                    }
                },
                Duration.ofMillis(patience));
        CompletableFuture<ActionOutcome> answer = new CompletableFuture<>();
        scheduler.call(() -> {
            try {
                answer.complete(call(strategy, request));
            } catch (Throwable e) {
                answer.completeExceptionally(e);
            }
        });
        answer.whenComplete((outcome, error) -> {
            if (settled.compareAndSet(false, true)) {
                watchdog.cancel();
                scheduler.execute(() -> afterAction(run, index, attempt, outcome, error));
            } else {
                LOG.infof(
                        "action %s of %s answered after it was judged of unknown outcome: %s",
                        action.name(),
                        run.attemptId,
                        error != null ? AuditRedaction.text(error.toString()) : AuditRedaction.text(outcome.message()));
            }
        });
    }

    private void afterAction(Run run, int index, int attempt, ActionOutcome outcome, Throwable error) {
        ActionSpec action = run.runbook.actions().get(index);
        if (error == null && outcome.succeeded()) {
            record(run, Phase.ACTION_SUCCEEDED, action, attempt, outcome.message(), outcome.details());
            Optional<VerificationSpec> verification = run.runbook.verification();
            if (verification.isEmpty()) {
                releaseTarget(run);
                finish(run, "acted_unverified");
                return;
            }
            scheduleVerification(run, index, attempt, verification.get(), clock.instant());
            return;
        }
        Map<String, String> failure = new LinkedHashMap<>(outcome == null ? Map.of() : outcome.details());
        String message = error != null ? describe(error, action) : outcome.message();
        if (error != null && unwrap(error) instanceof OutcomeUnknown) {
            failure.put("outcome", "unknown");
            record(
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
                    AttemptJournal.RETRY_SCHEDULED,
                    index,
                    attempt + 1,
                    due,
                    run.approvedBy,
                    clock.instant());
            record(run, Phase.ACTION_FAILED, action, attempt, message, failure);
            scheduleTry(run, index, attempt + 1, due);
            return;
        }
        failure.put("triesExhausted", "true");
        record(run, Phase.ACTION_FAILED, action, attempt, message, failure);
        releaseTarget(run);
        next(run, index + 1, "action '" + action.name() + "' failed " + attempt + " time(s): " + message);
    }

    private void scheduleTry(Run run, int index, int attempt, Instant due) {
        scheduler.schedule(() -> runAction(run, index, attempt), Duration.between(clock.instant(), due));
    }

    /**
     * Verification of an action that took effect at {@code actedAt}, judged one window later plus
     * the settle delay: occurrences are placed at ingest time, so the verdict waits for the
     * window's last errors to cross the pipeline before it counts them.
     */
    private void scheduleVerification(Run run, int index, int attempt, VerificationSpec spec, Instant actedAt) {
        Instant due = actedAt.plus(spec.window()).plus(settings.verificationSettle());
        journal.step(run.attemptId, AttemptJournal.VERIFYING, index, attempt, due, run.approvedBy, actedAt);
        scheduler.schedule(() -> verify(run, index, spec, actedAt, actedAt), Duration.between(clock.instant(), due));
    }

    /** Judges the stretch from {@code quietSince} (the action, or the latest error after it) on. */
    private void verify(Run run, int index, VerificationSpec spec, Instant actedAt, Instant quietSince) {
        ActionSpec action = run.runbook.actions().get(index);
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
            releaseTarget(run);
            escalate(
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
                        Duration.between(clock.instant(), next.plus(settings.verificationSettle())));
                return;
            }
        }
        releaseTarget(run);
        if (verdict.passed()) {
            String observation = quietSince.equals(actedAt)
                    ? verdict.observation()
                    : verdict.observation().replace("after the action", "after the group's last error") + " ("
                            + Duration.between(actedAt, quietSince).toMillis() + "ms after the action)";
            record(
                    run,
                    Phase.VERIFICATION_PASSED,
                    action,
                    0,
                    observation,
                    details("actedAt", actedAt.toString(), "quietSince", quietSince.toString()));
            finish(run, "resolved");
            return;
        }
        record(
                run,
                Phase.VERIFICATION_FAILED,
                action,
                0,
                verdict.observation(),
                details("actedAt", actedAt.toString()));
        next(run, index + 1, "the group kept failing after action '" + action.name() + "': " + verdict.observation());
    }

    private void next(Run run, int index, String why) {
        if (index < run.runbook.actions().size()) {
            runAction(run, index, 1);
        } else {
            escalate(run, why);
        }
    }

    private void escalate(Run run, String why) {
        Map<String, String> delivered = new LinkedHashMap<>();
        delivered.put("reason", why);
        String summary = summary(run, why);
        for (String channel : run.runbook.escalation().channels()) {
            delivered.put("notify." + channel, run.dryRun ? "dry run: not sent" : deliver(channel, run, summary));
        }
        record(run, Phase.ESCALATED, null, 0, summary, delivered);
        finish(run, "escalated");
    }

    private String deliver(String channel, Run run, String summary) {
        Trigger t = run.trigger;
        return deliver(
                channel,
                new Notification(
                        run.attemptId,
                        run.runbook.id(),
                        t.groupId(),
                        t.projectId(),
                        t.severity(),
                        t.category(),
                        summary,
                        details("title", t.title(), "environment", t.environment(), "eventId", t.eventId())));
    }

    /** Sends one escalation; the audit trail gets what happened, delivered or failed. */
    private String deliver(String channel, Notification notification) {
        try {
            return "delivered: " + notifier.send(channel, notification, Duration.ofSeconds(10));
        } catch (Exception e) {
            LOG.warnf(
                    "escalation of %s to %s failed: %s",
                    notification.attemptId(), channel, AuditRedaction.text(e.toString()));
            return "failed: " + e.getMessage();
        }
    }

    private String summary(Run run, String why) {
        String custom = run.runbook.escalation().message();
        String title = run.trigger.title() != null ? run.trigger.title() : run.trigger.groupId();
        return (custom != null ? custom + " — " : "Faultline could not resolve \"" + title + "\": ") + why;
    }

    /**
     * Resumes the attempts the previous process left unfinished, each from the last step its
     * journal recorded. Completed actions are never run again. A pending retry or approval waits
     * for what is left of its delay. A verification judges the window after its action, as it
     * would have without the restart: the errors are read back from the classified topic, not
     * from memory. An action that was running when the process died may or
     * may not have taken effect: it is not repeated; its verification judges it, and without one
     * the attempt is escalated to a human.
     */
    private void resumeInterrupted() {
        Instant now = clock.instant();
        for (AttemptJournal.Unfinished u : journal.unfinished()) {
            try {
                resume(u, now);
            } catch (RuntimeException e) {
                LOG.errorf(e, "attempt %s could not be resumed", u.last().attemptId());
                escalateUnresumable(u.last(), "it could not be resumed after a restart: " + e.getMessage());
            }
        }
    }

    private void resume(AttemptJournal.Unfinished u, Instant now) {
        AttemptJournal.Entry last = u.last();
        Optional<Runbook> runbook = catalogue.current().stream()
                .filter(r -> r.id().equals(last.runbookId()))
                .findFirst();
        Trigger trigger = u.claim() == null ? null : u.claim().trigger();
        int index = last.actionIndex() == null ? 0 : last.actionIndex();
        if (trigger == null
                || runbook.isEmpty()
                || index >= runbook.get().actions().size()) {
            escalateUnresumable(
                    last,
                    runbook.isEmpty()
                            ? "the resolver restarted while this attempt ran and runbook '" + last.runbookId()
                                    + "' no longer exists"
                            : "the resolver restarted while this attempt ran and its journal entry cannot be resumed");
            return;
        }
        Run run = new Run(
                last.attemptId(),
                runbook.get(),
                trigger,
                settings.dryRun() || runbook.get().dryRun());
        run.approvedBy = last.approvedBy();
        if (!activate(run)) {
            // two unfinished attempts of one runbook on one group (two windows): resume one only,
            // as one runs at a time, and hand the other to a human rather than leave it in limbo
            escalateUnresumable(
                    last,
                    "the resolver restarted while this attempt ran, and another attempt of runbook '" + last.runbookId()
                            + "' on the same group was resumed instead");
            return;
        }
        int attempt = last.tryNumber() == null ? 1 : last.tryNumber();
        ActionSpec action = run.runbook.actions().get(index);
        String step = last.state();
        Map<String, String> resumed = details(
                "step",
                step,
                "action",
                action.name(),
                "try",
                String.valueOf(attempt),
                "stepAt",
                String.valueOf(last.at()));
        switch (step) {
            case AttemptJournal.CLAIMED -> {
                record(run, Phase.RESUMED, null, 0, "resumed after a restart: no action had run yet", resumed);
                begin(run);
            }
            case AttemptJournal.AWAITING_APPROVAL -> {
                record(run, Phase.RESUMED, null, 0, "resumed after a restart: still waiting for approval", resumed);
                awaitApproval(run, last.dueAt() == null ? now : last.dueAt());
            }
            case AttemptJournal.RETRY_SCHEDULED -> {
                holdTarget(run, action);
                record(
                        run,
                        Phase.RESUMED,
                        action,
                        attempt,
                        "resumed after a restart: try " + attempt + " is due",
                        resumed);
                scheduleTry(run, index, attempt, last.dueAt() == null ? now : last.dueAt());
            }
            case AttemptJournal.VERIFYING -> {
                holdTarget(run, action);
                VerificationSpec spec = run.runbook.verification().orElseThrow();
                record(
                        run,
                        Phase.RESUMED,
                        action,
                        attempt,
                        "resumed after a restart: the action is not repeated; its verification judges the window"
                                + " after it",
                        resumed);
                scheduleVerification(run, index, attempt, spec, last.at() == null ? now : last.at());
            }
            case AttemptJournal.ACTION_STARTED -> {
                if (run.runbook.verification().isPresent()) {
                    holdTarget(run, action);
                }
                record(
                        run,
                        Phase.RESUMED,
                        action,
                        attempt,
                        "resumed after a restart: action '" + action.name() + "' was running and is not run again",
                        resumed);
                judgeUnknown(
                        run,
                        index,
                        attempt,
                        "the resolver stopped while action '" + action.name() + "' ran; it was not run again"
                                + " (it may or may not have taken effect)");
            }
            default -> throw new IllegalStateException("unknown journal step " + step);
        }
    }

    private void holdTarget(Run run, ActionSpec action) {
        String target = renderTarget(action, run);
        if (targets.tryAcquire(target)) {
            run.heldTarget = target;
        }
    }

    /** An attempt whose runbook or trigger is gone: a human is told, nothing runs. */
    private void escalateUnresumable(AttemptJournal.Entry e, String why) {
        Map<String, String> delivered = new LinkedHashMap<>();
        delivered.put("reason", why);
        catalogue.current().stream()
                .filter(r -> r.id().equals(e.runbookId()))
                .findFirst()
                .ifPresent(r -> r.escalation()
                        .channels()
                        .forEach(channel -> delivered.put(
                                "notify." + channel,
                                deliver(
                                        channel,
                                        new Notification(
                                                e.attemptId(),
                                                e.runbookId(),
                                                e.groupId(),
                                                e.projectId(),
                                                e.severity(),
                                                e.category(),
                                                why,
                                                Map.of())))));
        audit.record(new AuditEntry(
                e.attemptId() + ":escalated:interrupted",
                e.attemptId(),
                e.groupId(),
                e.projectId(),
                null,
                clock.instant(),
                Phase.ESCALATED,
                e.runbookId(),
                null,
                null,
                0,
                false,
                e.severity(),
                why,
                delivered));
        journal.finish(e.attemptId(), "interrupted", clock.instant());
    }

    private void finish(Run run, String outcome) {
        journal.finish(run.attemptId, outcome, clock.instant());
        deactivate(run);
    }

    /** Makes the run the active one of its runbook and group, if there is none. */
    private boolean activate(Run run) {
        return active.putIfAbsent(run.activeKey(), run) == null;
    }

    private void deactivate(Run run) {
        active.remove(run.activeKey(), run);
    }

    private void releaseTarget(Run run) {
        if (run.heldTarget != null) {
            targets.release(run.heldTarget);
            run.heldTarget = null;
        }
    }

    private CompletionStage<Void> record(
            Run run, Phase phase, ActionSpec action, int attempt, String message, Map<String, String> details) {
        String actionName = action == null ? null : action.name();
        CompletionStage<Void> stored = audit.record(new AuditEntry(
                run.attemptId + ":" + phase.wireName() + ":" + (actionName == null ? "-" : actionName) + ":" + attempt,
                run.attemptId,
                run.trigger.groupId(),
                run.trigger.projectId(),
                run.trigger.eventId(),
                clock.instant(),
                phase,
                run.runbook.id(),
                actionName,
                action == null ? null : action.strategy(),
                attempt,
                run.dryRun,
                run.trigger.severity(),
                message == null ? "" : message,
                details));
        stored.whenComplete((ok, error) -> {
            if (error != null) {
                LOG.errorf(
                        "audit entry %s of %s was not stored: %s", phase.wireName(), run.attemptId, error.toString());
            }
        });
        return stored;
    }

    private static String renderTarget(ActionSpec action, Run run) {
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

    private static ActionOutcome call(RemediationStrategy strategy, ActionRequest request) {
        try {
            return strategy.execute(request);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new CompletionException(e);
        }
    }

    /**
     * An action that may or may not have taken effect, never run again: its verification judges
     * whether it worked (the run goes on from there as after any action), and without one the
     * attempt is escalated, since nothing can tell.
     */
    private void judgeUnknown(Run run, int index, int attempt, String why) {
        Optional<VerificationSpec> spec = run.runbook.verification();
        if (spec.isEmpty()) {
            releaseTarget(run);
            escalate(run, why + " and no verification can tell");
            return;
        }
        scheduleVerification(run, index, attempt, spec.get(), clock.instant());
    }

    private static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static String describe(Throwable error, ActionSpec action) {
        Throwable cause = unwrap(error);
        if (cause instanceof OutcomeUnknown) {
            return cause.getMessage();
        }
        if (cause instanceof TimeoutException || cause instanceof java.net.http.HttpTimeoutException) {
            return "timed out after " + action.timeout().toMillis() + "ms";
        }
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    /** A map of the non-null pairs (audit details carry no nulls). */
    static Map<String, String> details(String... pairs) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            if (pairs[i + 1] != null) {
                out.put(pairs[i], pairs[i + 1]);
            }
        }
        return out;
    }

    /** One attempt in flight. */
    private static final class Run {
        final String attemptId;
        final Runbook runbook;
        final Trigger trigger;
        final boolean dryRun;
        volatile String heldTarget;
        volatile String approvedBy;
        volatile Scheduler.Timer approvalTimeout;
        /** Verifications of this run whose errors could not be read (one at a time: no race). */
        int unreadVerifications;

        Run(String attemptId, Runbook runbook, Trigger trigger, boolean dryRun) {
            this.attemptId = attemptId;
            this.runbook = runbook;
            this.trigger = trigger;
            this.dryRun = dryRun;
        }

        String activeKey() {
            return runbook.id() + '\0' + trigger.groupId();
        }
    }
}
