package io.faultline.resolver.runbook;

import io.faultline.schemas.rulefile.Glob;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a trigger must look like for a runbook to apply. Every criterion that is set must hold
 * (and); within one criterion any listed value may match (or). An empty criterion matches
 * anything. A runbook that names signal types applies to detector signals only; one that does
 * not applies to classified errors only.
 *
 * @param fingerprint patterns over the grouping components ({@code name=value}); each pattern
 *     must match at least one component
 * @param message a glob over the message template, or null
 * @param messageRegex an operator's regular expression over the message template, or null; at
 *     most one of the two is set
 * @param tags tag name to value pattern; every named tag must be present and match
 *     <p>Everything but {@code messageRegex} is a {@link Glob}, decided in linear time: the values
 *     come from clients.
 */
public record MatchCriteria(
        Set<String> groupIds,
        Set<String> projects,
        List<Glob> fingerprint,
        Set<String> categories,
        Set<String> severities,
        Set<String> businessImpacts,
        Set<String> workflows,
        List<Glob> releases,
        List<Glob> environments,
        List<Glob> exceptionTypes,
        Glob message,
        Pattern messageRegex,
        Map<String, Glob> tags,
        Set<String> signalTypes) {

    public MatchCriteria {
        groupIds = Set.copyOf(groupIds);
        projects = Set.copyOf(projects);
        fingerprint = List.copyOf(fingerprint);
        categories = Set.copyOf(categories);
        severities = Set.copyOf(severities);
        businessImpacts = Set.copyOf(businessImpacts);
        workflows = Set.copyOf(workflows);
        releases = List.copyOf(releases);
        environments = List.copyOf(environments);
        exceptionTypes = List.copyOf(exceptionTypes);
        tags = Map.copyOf(tags);
        signalTypes = Set.copyOf(signalTypes);
    }
}
