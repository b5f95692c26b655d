package io.faultline.resolver.strategy;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;

/**
 * Re-drives the failed work: publishes the event's retry payload to a retry topic the
 * application consumes. The payload comes from the event's {@code extra.retry_payload} (or tag
 * {@code retry_payload}), put there by the application when the work failed. Parameters:
 * {@code topic} (default {@value #DEFAULT_TOPIC}), {@code key} (default the event id).
 */
@ApplicationScoped
public class RedriveStrategy implements RemediationStrategy {

    public static final String DEFAULT_TOPIC = "faultline.retries.v1";
    static final String PAYLOAD_KEY = "retry_payload";

    private final RetryPublisher publisher;

    public RedriveStrategy(RetryPublisher publisher) {
        this.publisher = publisher;
    }

    @Override
    public String name() {
        return "redrive";
    }

    @Override
    public ActionOutcome execute(ActionRequest request) throws Exception {
        String payload = request.trigger().extra().get(PAYLOAD_KEY);
        if (payload == null) {
            payload = request.trigger().tags().get(PAYLOAD_KEY);
        }
        if (payload == null) {
            return ActionOutcome.failure(
                    "the event carries no " + PAYLOAD_KEY + " (extra or tag) to re-drive", Map.of());
        }
        Map<String, String> vars = request.variables();
        String topic = TemplateRenderer.render(request.optional("topic", DEFAULT_TOPIC), vars, TemplateRenderer.PLAIN);
        String key = TemplateRenderer.render(request.optional("key", "${event.id}"), vars, TemplateRenderer.PLAIN);
        String landed = publisher.publish(
                topic,
                key,
                payload,
                Map.of(
                        "faultline.attempt-id", request.attemptId(),
                        "faultline.event-id", String.valueOf(request.trigger().eventId()),
                        "faultline.group-id", request.trigger().groupId()),
                request.timeout());
        return ActionOutcome.success(
                "re-drove the retry payload to " + landed, Map.of("topic", topic, "record", landed));
    }
}
