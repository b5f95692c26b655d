package io.faultline.resolver.runbook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.faultline.schemas.Vocabulary;
import java.util.Iterator;
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

    static MatchCriteria read(JsonNode node, RunbookFields f) {
        if (node == null || node.isNull()) {
            node = JsonNodeFactory.instance.objectNode();
        }
        f.object(node, MATCH_KEYS);
        if (node.has("message") && node.has("messageRegex")) {
            throw f.error("messageRegex", "give either 'message' (a glob) or 'messageRegex', not both");
        }
        Pattern message = null;
        if (node.has("message")) {
            message = Glob.compile(f.requiredText(node, "message"));
        } else if (node.has("messageRegex")) {
            message = f.regex(node, "messageRegex");
        }
        Map<String, Pattern> tags = new LinkedHashMap<>();
        if (node.has("tags")) {
            JsonNode t = node.get("tags");
            if (!t.isObject()) {
                throw f.error("tags", "must be a map of tag name to value pattern");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = t.properties().iterator(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                    throw f.error("tags." + e.getKey(), "must be a value pattern");
                }
                tags.put(e.getKey(), Glob.compile(e.getValue().asText()));
            }
        }
        return new MatchCriteria(
                Set.copyOf(f.texts(node, "groupIds")),
                Set.copyOf(f.texts(node, "projects")),
                globs(f.texts(node, "fingerprint")),
                Set.copyOf(f.vocabulary(node, "categories", "category", CATEGORIES)),
                Set.copyOf(f.vocabulary(node, "severities", "severity", SEVERITIES)),
                Set.copyOf(f.vocabulary(node, "businessImpacts", "business impact", BUSINESS_IMPACTS)),
                Set.copyOf(f.texts(node, "workflows")),
                globs(f.texts(node, "releases")),
                globs(f.texts(node, "environments")),
                globs(f.texts(node, "exceptionTypes")),
                message,
                tags,
                Set.copyOf(f.texts(node, "signalTypes")));
    }

    private static List<Pattern> globs(List<String> values) {
        return values.stream().map(Glob::compile).toList();
    }
}
