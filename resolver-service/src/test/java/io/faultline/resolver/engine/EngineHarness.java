package io.faultline.resolver.engine;

import io.faultline.resolver.config.ResolverConfig;
import io.faultline.resolver.runbook.Runbook;
import io.faultline.resolver.runbook.RunbookParser;
import io.faultline.resolver.runbook.Trigger;
import io.faultline.resolver.strategy.ActionOutcome;
import io.faultline.resolver.strategy.ActionRequest;
import io.faultline.resolver.strategy.Notification;
import io.faultline.resolver.strategy.RemediationStrategy;
import io.faultline.resolver.strategy.StrategyRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link ResolutionEngine} with a manual clock and scheduler and in-memory stand-ins for the
 * strategies, the notification channels, the audit trail and the classified topic: a test moves
 * time and sees every step the engine takes, on its own thread.
 */
final class EngineHarness {

    /** What Kafka answers at start-up about a claim's trigger: by default, nothing to ask. */
    CommittedOffsets offsets = CommittedOffsets.NONE;

    static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");
    static final Duration SETTLE = Duration.ofSeconds(2);
    static final Duration APPROVAL_TIMEOUT = Duration.ofMinutes(30);

    final ManualClock clock = new ManualClock(T0);
    final ManualScheduler scheduler = new ManualScheduler(clock);
    final List<AuditEntry> trail = Collections.synchronizedList(new ArrayList<>());
    final List<ActionRequest> calls = Collections.synchronizedList(new ArrayList<>());
    final List<String> notified = Collections.synchronizedList(new ArrayList<>());
    /** What the next calls of an action answer (by action name); an empty script succeeds. */
    final Map<String, Deque<Boolean>> script = new HashMap<>();

    final Occurrences occurrences = new Occurrences();
    final Path stateDir;
    final List<Runbook> runbooks;
    ResolutionEngine engine;

    EngineHarness(Path stateDir, String runbooksYaml) {
        this.stateDir = stateDir;
        this.runbooks = new RunbookParser(Set.of("fake"), Set.of("slack", "pagerduty")).parse(runbooksYaml, "test");
    }

    /** Starts the engine (and so its recovery of the journal in {@code stateDir}). */
    EngineHarness start() {
        RemediationStrategy fake = new RemediationStrategy() {
            @Override
            public String name() {
                return "fake";
            }

            @Override
            public ActionOutcome execute(ActionRequest request) {
                calls.add(request);
                Boolean succeeds = script.getOrDefault(request.actionName(), new ArrayDeque<>())
                        .poll();
                return succeeds == null || succeeds
                        ? ActionOutcome.success("done", Map.of())
                        : ActionOutcome.failure("refused", Map.of("status", "503"));
            }
        };
        engine = new ResolutionEngine(
                () -> runbooks,
                new StrategyRegistry(List.of(fake)),
                this::send,
                entry -> {
                    trail.add(entry);
                    return CompletableFuture.completedFuture(null);
                },
                occurrences,
                settings(stateDir),
                new EngineRuntime(clock, scheduler, () -> 0.5),
                offsets);
        engine.start();
        scheduler.runReady();
        return this;
    }

    void stop() {
        if (engine != null) {
            engine.stop();
            engine = null;
        }
    }

    /** The journal's last word on the attempt, read as a restart would (stops the engine). */
    Optional<String> journalled(String attemptId) {
        stop();
        try (AttemptJournal journal = new AttemptJournal(stateDir, Duration.ofDays(2), clock.instant())) {
            return journal.state(attemptId);
        }
    }

    /** The next calls of the action answer these verdicts, in order. */
    void answers(String action, Boolean... succeeded) {
        script.computeIfAbsent(action, k -> new ArrayDeque<>()).addAll(List.of(succeeded));
    }

    /** One classified error of the group, now; the engine's steps due now have run. */
    String error(String group) {
        engine.onTrigger(trigger(group, clock.instant())).toCompletableFuture().join();
        scheduler.runReady();
        return attemptOf(group);
    }

    String attemptOf(String group) {
        return entries(group).get(0).attemptId();
    }

    List<AuditEntry> entries(String group) {
        synchronized (trail) {
            return trail.stream().filter(e -> e.groupId().equals(group)).toList();
        }
    }

    /** The group's trail as phase names, with the action and try where there is one. */
    List<String> steps(String group) {
        return entries(group).stream()
                .map(e -> e.phase().wireName() + (e.action() == null ? "" : " " + e.action() + "#" + e.attempt()))
                .toList();
    }

    AuditEntry last(String group) {
        List<AuditEntry> entries = entries(group);
        return entries.get(entries.size() - 1);
    }

    private String send(String channel, Notification n, Duration timeout) {
        notified.add(channel + ": " + n.summary());
        return channel + " answered 200";
    }

    static Trigger trigger(String group, Instant at) {
        return new Trigger(
                Trigger.Source.CLASSIFIED_ERROR,
                group,
                "1",
                "evt-" + group + "-" + at.toEpochMilli(),
                at,
                List.of(),
                "database",
                "high",
                "user_blocking",
                null,
                null,
                "production",
                List.of("java.sql.SQLTransientConnectionException"),
                null,
                "connection refused",
                "Connection refused",
                Map.of(),
                Map.of(),
                null,
                at);
    }

    static ResolverConfig.Resolver settings(Path stateDir) {
        return new ResolverConfig.Resolver() {
            @Override
            public boolean dryRun() {
                return false;
            }

            @Override
            public int maxConcurrentPerTarget() {
                return 1;
            }

            @Override
            public String stateDir() {
                return stateDir.toString();
            }

            @Override
            public int workers() {
                return 1;
            }

            @Override
            public Duration verificationSettle() {
                return SETTLE;
            }

            @Override
            public Duration approvalTimeout() {
                return APPROVAL_TIMEOUT;
            }
        };
    }

    /** The classified topic as the verifications read it: errors by group, or out of reach. */
    static final class Occurrences implements OccurrenceSource {
        private final List<Map.Entry<String, Instant>> errors = Collections.synchronizedList(new ArrayList<>());
        int reads;
        int unreadable;

        void error(String group, Instant at) {
            errors.add(Map.entry(group, at));
        }

        @Override
        public OccurrenceLog read(Trigger trigger, Instant from, Instant to) {
            reads++;
            if (unreadable > 0) {
                unreadable--;
                throw new OccurrencesUnavailable("broker unreachable", null);
            }
            OccurrenceLog log = new OccurrenceLog(Duration.ofDays(1));
            synchronized (errors) {
                errors.stream()
                        .filter(e -> e.getKey().equals(trigger.groupId()))
                        .forEach(e -> log.record(trigger.groupId(), e.getKey() + e.getValue(), e.getValue()));
            }
            return log;
        }
    }
}
