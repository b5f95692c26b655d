package io.faultline.classifier.grouping.fingerprint;

import java.util.List;

/**
 * What one strategy contributed: the components that identify the group, each a readable
 * {@code name=value}, so that the answer to "why are these two events in one group?" is "because
 * these lines are equal".
 *
 * @param strategy the name recorded with the group, e.g. {@code exception-stack}
 * @param template the message template behind the group, when a template decided it; nullable
 * @param title a title the strategy imposes (an operator rule may name its group); nullable
 */
public record Contribution(String strategy, List<String> components, String template, String title) {

    public Contribution {
        components = List.copyOf(components);
    }

    public Contribution(String strategy, List<String> components, String template) {
        this(strategy, components, template, null);
    }

    static String component(String name, String value) {
        return name + "=" + value;
    }
}
