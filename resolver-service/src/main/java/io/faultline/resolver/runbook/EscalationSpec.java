package io.faultline.resolver.runbook;

import java.util.List;

/**
 * What happens when automation gives up: the channels notified (names of notification targets,
 * e.g. {@code slack}, {@code pagerduty}) and the message sent.
 */
public record EscalationSpec(List<String> channels, String message) {

    public static final EscalationSpec NONE = new EscalationSpec(List.of(), null);

    public EscalationSpec {
        channels = List.copyOf(channels);
    }
}
