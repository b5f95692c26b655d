package io.faultline.resolver.engine;

import io.faultline.resolver.runbook.ActionSpec;
import io.faultline.resolver.strategy.ActionOutcome;
import io.faultline.resolver.strategy.ActionRequest;
import io.faultline.resolver.strategy.OutcomeUnknown;
import io.faultline.resolver.strategy.RemediationStrategy;
import io.faultline.resolver.strategy.StrategyRegistry;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Calls a strategy under a watchdog. The call is not abandoned at its timeout and tried again: it
 * may still take effect (a restart sent, a record in the producer's buffer), and a second try
 * would apply it twice. Strategies bound their own I/O by the timeout; one that has not answered
 * a little after it is judged as of unknown outcome, and its late answer is only logged.
 */
final class ActionInvoker {

    private static final Logger LOG = Logger.getLogger(ActionInvoker.class);

    /** How long past its timeout an action's call may take before its outcome is judged unknown. */
    static final Duration CALL_GRACE = Duration.ofSeconds(5);

    /** The answer of a call, or its error; exactly one per call. */
    interface Answer {
        void accept(ActionOutcome outcome, Throwable error);
    }

    private final StrategyRegistry strategies;
    private final Scheduler scheduler;

    ActionInvoker(StrategyRegistry strategies, Scheduler scheduler) {
        this.strategies = strategies;
        this.scheduler = scheduler;
    }

    RemediationStrategy strategy(ActionSpec action) {
        return strategies
                .find(action.strategy())
                .orElseThrow(() -> new IllegalStateException("strategy " + action.strategy() + " vanished"));
    }

    /** Calls the strategy; {@code then} runs on a worker with its answer or the watchdog's verdict. */
    void invoke(RemediationStrategy strategy, ActionRequest request, ActionSpec action, Answer then) {
        AtomicBoolean settled = new AtomicBoolean();
        long patience = action.timeout().plus(CALL_GRACE).toMillis();
        Scheduler.Timer watchdog = scheduler.schedule(
                () -> {
                    if (settled.compareAndSet(false, true)) {
                        then.accept(
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
                scheduler.execute(() -> then.accept(outcome, error));
            } else {
                LOG.infof(
                        "action %s of %s answered after it was judged of unknown outcome: %s",
                        action.name(),
                        request.attemptId(),
                        error != null ? AuditRedaction.text(error.toString()) : AuditRedaction.text(outcome.message()));
            }
        });
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

    static boolean unknown(Throwable error) {
        return error != null && unwrap(error) instanceof OutcomeUnknown;
    }

    /** The error as the audit trail names it. */
    static String describe(Throwable error, ActionSpec action) {
        Throwable cause = unwrap(error);
        if (cause instanceof OutcomeUnknown) {
            return cause.getMessage();
        }
        if (cause instanceof TimeoutException || cause instanceof java.net.http.HttpTimeoutException) {
            return "timed out after " + action.timeout().toMillis() + "ms";
        }
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    private static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
