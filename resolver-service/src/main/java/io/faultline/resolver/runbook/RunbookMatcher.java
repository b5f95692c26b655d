package io.faultline.resolver.runbook;

import io.faultline.schemas.rulefile.Glob;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Picks the runbook for a trigger: the first enabled runbook, in file order, whose criteria all
 * hold. File order is the priority, so an operator puts specific runbooks above general ones.
 */
public final class RunbookMatcher {

    private RunbookMatcher() {}

    public static Optional<Runbook> firstMatch(List<Runbook> runbooks, Trigger trigger) {
        return runbooks.stream()
                .filter(Runbook::enabled)
                .filter(r -> matches(r.match(), trigger))
                .findFirst();
    }

    public static boolean matches(MatchCriteria c, Trigger t) {
        boolean signalRunbook = !c.signalTypes().isEmpty();
        if (signalRunbook != (t.source() == Trigger.Source.SIGNAL)) {
            return false;
        }
        return oneOf(c.signalTypes(), t.signalType())
                && oneOf(c.groupIds(), t.groupId())
                && oneOf(c.projects(), t.projectId())
                && oneOf(c.categories(), t.category())
                && oneOf(c.severities(), t.severity())
                && oneOf(c.businessImpacts(), t.businessImpact())
                && oneOf(c.workflows(), t.workflow())
                && anyPattern(c.releases(), t.release())
                && anyPattern(c.environments(), t.environment())
                && anyPatternOverAny(c.exceptionTypes(), t.exceptionTypes())
                && everyPatternOverAny(c.fingerprint(), t.fingerprint())
                && messageMatches(c, t.matchableMessage())
                && tagsMatch(c.tags(), t.tags());
    }

    private static boolean oneOf(Set<String> allowed, String value) {
        return allowed.isEmpty() || (value != null && allowed.contains(value));
    }

    private static boolean messageMatches(MatchCriteria c, String message) {
        if (c.message() == null && c.messageRegex() == null) {
            return true;
        }
        return message != null
                && (c.message() != null
                        ? c.message().matches(message)
                        : c.messageRegex().matcher(message).matches());
    }

    private static boolean anyPattern(List<Glob> patterns, String value) {
        return patterns.isEmpty() || (value != null && patterns.stream().anyMatch(p -> p.matches(value)));
    }

    private static boolean anyPatternOverAny(List<Glob> patterns, Collection<String> values) {
        return patterns.isEmpty() || values.stream().anyMatch(v -> anyPattern(patterns, v));
    }

    private static boolean everyPatternOverAny(List<Glob> patterns, Collection<String> values) {
        return patterns.stream().allMatch(p -> values.stream().anyMatch(p::matches));
    }

    private static boolean tagsMatch(Map<String, Glob> wanted, Map<String, String> tags) {
        return wanted.entrySet().stream().allMatch(e -> {
            String value = tags.get(e.getKey());
            return value != null && e.getValue().matches(value);
        });
    }
}
