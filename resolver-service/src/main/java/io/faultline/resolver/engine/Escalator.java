package io.faultline.resolver.engine;

import io.faultline.resolver.runbook.RunbooksInForce;
import io.faultline.resolver.runbook.Trigger;
import io.faultline.resolver.strategy.Notification;
import io.faultline.resolver.strategy.NotificationSender;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Hands an attempt to a human when automation is out of options: every channel of the runbook's
 * escalation is notified, and the audit trail records what each delivery did.
 */
final class Escalator {

    private static final Logger LOG = Logger.getLogger(Escalator.class);
    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(10);

    private final RunbooksInForce runbooks;
    private final NotificationSender notifier;
    private final AuditRecorder audit;
    private final ActiveAttempts active;
    private final AttemptJournal journal;
    private final Clock clock;

    Escalator(
            RunbooksInForce runbooks,
            NotificationSender notifier,
            AuditRecorder audit,
            ActiveAttempts active,
            AttemptJournal journal,
            Clock clock) {
        this.runbooks = runbooks;
        this.notifier = notifier;
        this.audit = audit;
        this.active = active;
        this.journal = journal;
        this.clock = clock;
    }

    /** Ends the attempt as escalated; a dry run records the notifications it would have sent. */
    void escalate(Attempt run, String why) {
        Map<String, String> delivered = new LinkedHashMap<>();
        delivered.put("reason", why);
        String summary = summary(run, why);
        for (String channel : run.runbook.escalation().channels()) {
            delivered.put("notify." + channel, run.dryRun ? "dry run: not sent" : deliver(channel, run, summary));
        }
        audit.record(run, Phase.ESCALATED, null, 0, summary, delivered);
        active.finish(run, AttemptOutcome.ESCALATED);
    }

    /** An attempt whose runbook or trigger is gone: a human is told, nothing runs. */
    void escalateUnresumable(AttemptJournal.Entry e, String why) {
        Map<String, String> delivered = new LinkedHashMap<>();
        delivered.put("reason", why);
        runbooks.current().stream()
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
        audit.interrupted(e, why, delivered);
        journal.finish(e.attemptId(), AttemptOutcome.INTERRUPTED, clock.instant());
    }

    private String deliver(String channel, Attempt run, String summary) {
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
                        AuditRecorder.details(
                                "title", t.title(), "environment", t.environment(), "eventId", t.eventId())));
    }

    /** Sends one escalation; the audit trail gets what happened, delivered or failed. */
    private String deliver(String channel, Notification notification) {
        try {
            return "delivered: " + notifier.send(channel, notification, DELIVERY_TIMEOUT);
        } catch (Exception e) {
            LOG.warnf(
                    "escalation of %s to %s failed: %s",
                    notification.attemptId(), channel, AuditRedaction.text(e.toString()));
            return "failed: " + e.getMessage();
        }
    }

    private static String summary(Attempt run, String why) {
        String custom = run.runbook.escalation().message();
        String title = run.trigger.title() != null ? run.trigger.title() : run.trigger.groupId();
        return (custom != null ? custom + " — " : "Faultline could not resolve \"" + title + "\": ") + why;
    }
}
