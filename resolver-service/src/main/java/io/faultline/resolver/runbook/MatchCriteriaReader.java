package io.faultline.resolver.runbook;

import io.faultline.schemas.Vocabulary;
import io.faultline.schemas.rulefile.Glob;
import io.faultline.schemas.rulefile.RuleNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads a runbook's {@code match:} criteria, of which every one set must hold. */
final class MatchCriteriaReader {

    private static final Set<String> MATCH_KEYS = Set.of(
            "groupIds",
            "projects",
            "fingerprint",
            "categories",
            "severities",
            "businessImpacts",
            "workflows",
            "releases",
            "environments",
            "exceptionTypes",
            "message",
            "messageRegex",
            "tags",
            "signalTypes");

    /*
     * The classifier's vocabulary (docs/architecture.md, io.faultline.classifier.classification).
     * A value outside it can never match, so a runbook naming one would silently never act.
     */
    static final List<String> CATEGORIES = Vocabulary.CATEGORIES;
    static final List<String> SEVERITIES = Vocabulary.SEVERITIES;
    static final List<String> BUSINESS_IMPACTS = Vocabulary.BUSINESS_IMPACTS;

    private MatchCriteriaReader() {}

    static MatchCriteria read(RuleNode node) {
        if (!node.isAbsent()) {
            node.mapping(MATCH_KEYS);
        }
        if (node.has("message") && node.has("messageRegex")) {
            throw node.get("messageRegex").fault("give either 'message' (a glob) or 'messageRegex', not both");
        }
        Glob message = node.has("message") ? node.get("message").glob(false) : null;
        Pattern messageRegex =
                node.has("messageRegex") ? node.get("messageRegex").regex(Pattern.DOTALL) : null;
        Map<String, Glob> tags = new LinkedHashMap<>();
        RuleNode tagsNode = node.get("tags");
        if (!tagsNode.isAbsent() && !tagsNode.isMapping()) {
            throw tagsNode.fault("must be a map of tag name to value pattern");
        }
        tagsNode.fields().forEach((tag, value) -> {
            if (!value.isValue()) {
                throw value.fault("must be a value pattern");
            }
            tags.put(tag, Glob.of(value.text()));
        });
        return new MatchCriteria(
                Set.copyOf(node.get("groupIds").texts()),
                Set.copyOf(node.get("projects").texts()),
                globs(node.get("fingerprint")),
                Set.copyOf(vocabulary(node.get("categories"), "category", CATEGORIES)),
                Set.copyOf(vocabulary(node.get("severities"), "severity", SEVERITIES)),
                Set.copyOf(vocabulary(node.get("businessImpacts"), "business impact", BUSINESS_IMPACTS)),
                Set.copyOf(node.get("workflows").texts()),
                globs(node.get("releases")),
                globs(node.get("environments")),
                globs(node.get("exceptionTypes")),
                message,
                messageRegex,
                tags,
                Set.copyOf(node.get("signalTypes").texts()));
    }

    /** {@link RuleNode#texts}, each of which must be one of {@code allowed}. */
    private static List<String> vocabulary(RuleNode node, String what, List<String> allowed) {
        List<String> values = node.texts();
        for (String v : values) {
            if (!allowed.contains(v)) {
                throw node.fault("unknown " + what + " '" + v + "' (allowed: " + String.join(", ", allowed) + ")");
            }
        }
        return values;
    }

    private static List<Glob> globs(RuleNode node) {
        return node.globs(false);
    }
}
