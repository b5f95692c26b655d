package io.faultline.impact.workflow;

import io.faultline.schemas.rulefile.RuleFault;
import io.faultline.schemas.rulefile.RuleNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
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

    private static final Set<String> ENTRY_FIELDS =
            Set.of("name", "weight", "revenuePerHour", "successTarget", "match");
    private static final Set<String> MATCH_FIELDS = Set.of("transactions", "services", "categories");

    private WorkflowFileParser() {}

    /** @throws InvalidWorkflowFileException naming the source, the entry and the field */
    public static WorkflowCatalog parse(InputStream in, String source) {
        String text;
        try {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InvalidWorkflowFileException(source + ": cannot be read: " + e.getMessage());
        }
        RuleNode workflowsNode = RuleNode.read(text, at(source)).get("workflows");
        if (!workflowsNode.isList() || workflowsNode.items().isEmpty()) {
            throw workflowsNode.fault("must be a non-empty list");
        }
        List<Workflow> workflows = new ArrayList<>();
        Set<String> names = new HashSet<>();
        List<RuleNode> entries = workflowsNode.items();
        for (int index = 0; index < entries.size(); index++) {
            workflows.add(entry(entries.get(index), source + ": workflows[" + index + "]", names));
        }
        return new WorkflowCatalog(workflows);
    }

    /** Faults worded as {@code where: field 'path': problem}. */
    private static RuleFault.Reporter at(String where) {
        return f -> new InvalidWorkflowFileException(
                where + ": " + (f.field().isEmpty() ? "" : "field '" + f.field() + "': ") + f.problem());
    }

    private static Workflow entry(RuleNode item, String at, Set<String> names) {
        RuleNode entry = item.within(at(at));
        if (!entry.isMapping()) {
            throw entry.fault("must be a mapping with name, weight, revenuePerHour");
        }
        String name = entry.get("name").requiredString();
        entry = item.within(at(at + " (" + name + ")"));
        RuleNode nameNode = entry.get("name");
        if (name.length() > 64 || name.equals(WorkflowCatalog.UNATTRIBUTED)) {
            throw nameNode.fault("must be at most 64 characters and not '" + WorkflowCatalog.UNATTRIBUTED + "'");
        }
        if (!names.add(name)) {
            throw nameNode.fault("duplicates an earlier workflow");
        }
        entry.mapping(ENTRY_FIELDS);
        double weight = number(entry.get("weight"), 0, 1);
        double revenue = number(entry.get("revenuePerHour"), 0, Double.MAX_VALUE);
        Double successTarget = entry.has("successTarget") ? number(entry.get("successTarget"), 0, 1) : null;
        RuleNode match = entry.get("match");
        if (!match.isMissing()) {
            match.mapping(MATCH_FIELDS);
        }
        return new Workflow(
                name,
                weight,
                revenue,
                strings(match.get("transactions")),
                strings(match.get("services")),
                strings(match.get("categories")),
                successTarget);
    }

    private static double number(RuleNode node, double min, double max) {
        double value = node.requiredNumber();
        if (!(value >= min && value <= max)) {
            throw node.fault("must be " + (max == Double.MAX_VALUE ? ">= " + min : "between " + min + " and " + max)
                    + ", was " + value);
        }
        return value;
    }

    private static List<String> strings(RuleNode node) {
        List<String> values = node.texts();
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i).isEmpty()) {
                throw (node.isList() ? node.items().get(i) : node).fault("must not be empty");
            }
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
