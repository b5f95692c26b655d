package io.faultline.impact.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a workflows file (YAML, or JSON which is valid YAML). Every mistake is reported with the
 * entry and the field it is in, because an operator edits this file by hand and the service must
 * refuse to start on it rather than silently mis-attribute revenue.
 */
public final class WorkflowFileParser {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> ENTRY_FIELDS =
            Set.of("name", "weight", "revenuePerHour", "successTarget", "match");
    private static final Set<String> MATCH_FIELDS = Set.of("transactions", "services", "categories");

    private WorkflowFileParser() {}

    /** @throws InvalidWorkflowFileException naming the source, the entry and the field */
    public static WorkflowCatalog parse(InputStream in, String source) {
        JsonNode root;
        try {
            root = YAML.readTree(in);
        } catch (IOException e) {
            throw new InvalidWorkflowFileException(source + ": not valid YAML: " + e.getMessage());
        }
        if (root == null
                || !root.path("workflows").isArray()
                || root.path("workflows").isEmpty()) {
            throw new InvalidWorkflowFileException(source + ": field 'workflows' must be a non-empty list");
        }
        List<Workflow> workflows = new ArrayList<>();
        Set<String> names = new HashSet<>();
        int index = 0;
        for (JsonNode entry : root.get("workflows")) {
            workflows.add(entry(entry, source, index++, names));
        }
        return new WorkflowCatalog(workflows);
    }

    private static Workflow entry(JsonNode entry, String source, int index, Set<String> names) {
        String at = source + ": workflows[" + index + "]";
        if (!entry.isObject()) {
            throw new InvalidWorkflowFileException(at + ": must be a mapping with name, weight, revenuePerHour");
        }
        JsonNode nameNode = entry.get("name");
        if (nameNode == null || !nameNode.isTextual() || nameNode.asText().isBlank()) {
            throw new InvalidWorkflowFileException(at + ": field 'name' is required and must be a non-empty string");
        }
        String name = nameNode.asText();
        at = at + " (" + name + ")";
        if (name.length() > 64 || name.equals(WorkflowCatalog.UNATTRIBUTED)) {
            throw new InvalidWorkflowFileException(
                    at + ": field 'name' must be at most 64 characters and not '" + WorkflowCatalog.UNATTRIBUTED + "'");
        }
        if (!names.add(name)) {
            throw new InvalidWorkflowFileException(at + ": field 'name' duplicates an earlier workflow");
        }
        for (var it = entry.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!ENTRY_FIELDS.contains(field)) {
                throw new InvalidWorkflowFileException(
                        at + ": unknown field '" + field + "' (expected one of " + ENTRY_FIELDS + ")");
            }
        }
        double weight = number(entry, "weight", at, 0, 1);
        double revenue = number(entry, "revenuePerHour", at, 0, Double.MAX_VALUE);
        Double successTarget = entry.has("successTarget") ? number(entry, "successTarget", at, 0, 1) : null;
        JsonNode match = entry.path("match");
        if (!match.isMissingNode() && !match.isObject()) {
            throw new InvalidWorkflowFileException(at + ": field 'match' must be a mapping");
        }
        for (var it = match.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!MATCH_FIELDS.contains(field)) {
                throw new InvalidWorkflowFileException(
                        at + ": unknown field 'match." + field + "' (expected one of " + MATCH_FIELDS + ")");
            }
        }
        return new Workflow(
                name,
                weight,
                revenue,
                strings(match, "transactions", at),
                strings(match, "services", at),
                strings(match, "categories", at),
                successTarget);
    }

    private static double number(JsonNode entry, String field, String at, double min, double max) {
        JsonNode node = entry.get(field);
        if (node == null || !node.isNumber()) {
            throw new InvalidWorkflowFileException(at + ": field '" + field + "' is required and must be a number");
        }
        double value = node.asDouble();
        if (!(value >= min && value <= max)) {
            throw new InvalidWorkflowFileException(at + ": field '" + field + "' must be "
                    + (max == Double.MAX_VALUE ? ">= " + min : "between " + min + " and " + max) + ", was " + value);
        }
        return value;
    }

    private static List<String> strings(JsonNode match, String field, String at) {
        JsonNode node = match.get(field);
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new InvalidWorkflowFileException(at + ": field 'match." + field + "' must be a list of strings");
        }
        List<String> values = new ArrayList<>();
        for (JsonNode item : node) {
            if (!item.isTextual() || item.asText().isEmpty()) {
                throw new InvalidWorkflowFileException(
                        at + ": field 'match." + field + "' must contain only non-empty strings");
            }
            values.add(item.asText());
        }
        return values;
    }

    /** A workflows file the service refuses to start with. */
    public static final class InvalidWorkflowFileException extends IllegalStateException {
        public InvalidWorkflowFileException(String message) {
            super(message);
        }
    }
}
