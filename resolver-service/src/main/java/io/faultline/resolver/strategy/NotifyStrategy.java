package io.faultline.resolver.strategy;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;

/**
 * Notification as a runbook action (e.g. "tell the on-call channel before restarting"); the
 * escalation path uses the same {@link Notifier}. Parameters: {@code channel} (slack or
 * pagerduty), {@code message} (placeholders allowed; default the group title).
 */
@ApplicationScoped
public class NotifyStrategy implements RemediationStrategy {

    private final Notifier notifier;

    public NotifyStrategy(Notifier notifier) {
        this.notifier = notifier;
    }

    @Override
    public String name() {
        return "notify";
    }

    @Override
    public ActionOutcome execute(ActionRequest request) throws Exception {
        String channel = request.required("channel");
        String summary = TemplateRenderer.render(
                request.optional("message", "${title}"), request.variables(), TemplateRenderer.PLAIN);
        var t = request.trigger();
        String delivery = notifier.send(
                channel,
                new Notification(
                        request.attemptId(),
                        request.runbookId(),
                        t.groupId(),
                        t.projectId(),
                        t.severity(),
                        t.category(),
                        summary,
                        Map.of("action", request.actionName())),
                request.timeout());
        return ActionOutcome.success(delivery, Map.of("channel", channel));
    }
}
