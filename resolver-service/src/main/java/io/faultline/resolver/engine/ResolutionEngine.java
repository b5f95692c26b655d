package io.faultline.resolver.engine;

import io.faultline.resolver.config.ResolverConfig;
import io.faultline.resolver.runbook.RunbooksInForce;
import io.faultline.resolver.runbook.Trigger;
import io.faultline.resolver.strategy.NotificationSender;
import io.faultline.resolver.strategy.StrategyRegistry;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Runs remediation attempts: match a runbook, claim the attempt, (wait for approval,) run the
 * actions with retries and backoff, verify from the group's later errors, try the next action on
 * failure, escalate when automation is out of options. Every step is an {@link AuditEntry}. See
 * docs/resolver.md for the state machine, its journal and recovery.
 *
 * <p>This is the engine's face to the rest of the service; its parts are {@link Admission}
 * (which trigger starts an attempt), {@link AttemptFlow} (the state machine of an attempt), {@link
 * Approvals}, {@link SafetyGate}, {@link ActionInvoker}, {@link Verifier}, {@link Escalator},
 * {@link Recovery} (resuming after a restart) and {@link AuditRecorder}. Time, threads and jitter
 * come from the injected {@link EngineRuntime}.
 */
@Startup
@ApplicationScoped
public class ResolutionEngine {

    private static final Duration JOURNAL_RETENTION = Duration.ofDays(2);
    private static final Duration PRUNE_EVERY = Duration.ofMinutes(1);

    /** How an approval request ended. */
    public enum ApprovalResult {
        APPROVED,
        REJECTED,
        NOT_PENDING
    }

    private final RunbooksInForce runbooks;
    private final StrategyRegistry strategies;
    private final NotificationSender notifier;
    private final AuditTrail trail;
    private final OccurrenceSource occurrences;
    private final ResolverConfig.Resolver settings;
    private final EngineRuntime runtime;
    private final CommittedOffsets offsets;
    private AttemptJournal journal;
    private Admission admission;
    private Approvals approvals;

    @Inject
    public ResolutionEngine(
            RunbooksInForce runbooks,
            StrategyRegistry strategies,
            NotificationSender notifier,
            AuditTrail trail,
            OccurrenceSource occurrences,
            ResolverConfig config,
            EngineRuntime runtime,
            CommittedOffsets offsets) {
        this(runbooks, strategies, notifier, trail, occurrences, config.resolver(), runtime, offsets);
    }

    ResolutionEngine(
            RunbooksInForce runbooks,
            StrategyRegistry strategies,
            NotificationSender notifier,
            AuditTrail trail,
            OccurrenceSource occurrences,
            ResolverConfig.Resolver settings,
            EngineRuntime runtime,
            CommittedOffsets offsets) {
        this.runbooks = runbooks;
        this.strategies = strategies;
        this.notifier = notifier;
        this.trail = trail;
        this.occurrences = occurrences;
        this.settings = settings;
        this.runtime = runtime;
        this.offsets = offsets;
    }

    @PostConstruct
    void start() {
        journal = new AttemptJournal(
                Path.of(settings.stateDir()), JOURNAL_RETENTION, runtime.clock().instant());
        AuditRecorder audit = new AuditRecorder(trail, runtime.clock());
        ActiveAttempts active = new ActiveAttempts(journal, runtime.clock());
        Escalator escalator = new Escalator(runbooks, notifier, audit, active, journal, runtime.clock());
        AttemptFlow flow = new AttemptFlow(
                settings,
                runtime,
                journal,
                audit,
                active,
                new ActionInvoker(strategies, runtime.scheduler()),
                escalator,
                occurrences);
        approvals = flow.approvals();
        admission = new Admission(runbooks, settings.dryRun(), runtime, journal, audit, active, flow);
        Recovery recovery =
                new Recovery(runbooks, settings.dryRun(), runtime.clock(), journal, audit, active, escalator, flow);
        // before any trigger is consumed: a redelivered trigger of a dropped claim must find it gone
        List<AttemptJournal.Unfinished> unfinished = recovery.handOverUncommitted(offsets);
        schedulePrune();
        runtime.scheduler().execute(() -> recovery.resumeInterrupted(unfinished));
    }

    @PreDestroy
    void stop() {
        runtime.scheduler().shutdown();
        journal.close();
    }

    /** A long-running resolver forgets finished attempts past the retention, as a restart would. */
    private void schedulePrune() {
        runtime.scheduler()
                .schedule(
                        () -> {
                            journal.prune(JOURNAL_RETENTION, runtime.clock().instant());
                            schedulePrune();
                        },
                        PRUNE_EVERY);
    }

    /**
     * Handles one trigger. The returned stage completes once the decision is durable (attempt
     * claimed, audit entry acknowledged): only then may the triggering record be acknowledged. A
     * claimed attempt runs nothing until the transport has committed its trigger ({@link
     * Claim#start()}), so that no other resolver is ever redelivered it.
     */
    public CompletionStage<Claim> admit(Trigger trigger) {
        return admission.admit(trigger, null);
    }

    /** {@link #admit(Trigger)} of a trigger read from {@code record}, which a restart asks Kafka about. */
    public CompletionStage<Claim> admit(Trigger trigger, TriggerRecord record) {
        return admission.admit(trigger, record);
    }

    /**
     * {@link #admit} for a trigger that cannot reach another resolver: a claimed attempt starts at
     * once. Tests only: a transport must commit its trigger before the attempt starts.
     */
    CompletionStage<Void> onTrigger(Trigger trigger) {
        return admission.admit(trigger, null).thenAccept(Claim::start);
    }

    /** An operator's answer to a pending approval. */
    public ApprovalResult decide(String attemptId, boolean approve, String operator) {
        return approvals.decide(attemptId, approve, operator);
    }

    /** Attempt ids waiting for an operator. */
    public List<String> pendingApprovals() {
        return approvals.pending();
    }
}
