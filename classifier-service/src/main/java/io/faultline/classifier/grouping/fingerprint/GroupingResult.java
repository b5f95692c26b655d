package io.faultline.classifier.grouping.fingerprint;

import io.faultline.schemas.GroupingInfo;
import java.util.List;
import java.util.Objects;

/**
 * The group an event belongs to and why.
 *
 * @param groupId stable across restarts and instances; derived from project, strategy and components
 * @param strategy which strategy decided, e.g. {@code exception-stack}, {@code fingerprint-rule}
 * @param components the readable {@code name=value} lines the group id was computed from, e.g.
 *     {@code type=java.sql.SQLException}, {@code frame=com.example.BookingService.book}, {@code
 *     rule=db-down}: two events share a group exactly when these (and project and strategy) are equal
 * @param template the message template behind the group; nullable
 * @param title what the group is called on screen, e.g. {@code SQLException: connection refused}
 * @param culprit where it broke, the crashing in-app frame or the transaction; nullable
 */
public record GroupingResult(
        String groupId, String strategy, List<String> components, String template, String title, String culprit) {

    public GroupingResult {
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(title, "title");
        components = List.copyOf(components);
    }

    /** The explanation as carried on {@code faultline.errors.classified.v1} (the group id travels beside it). */
    public GroupingInfo toGroupingInfo() {
        return GroupingInfo.newBuilder()
                .setStrategy(strategy)
                .setComponents(components)
                .setTemplate(template)
                .setTitle(title)
                .setCulprit(culprit)
                .build();
    }
}
