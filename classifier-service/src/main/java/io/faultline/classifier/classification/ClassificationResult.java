package io.faultline.classifier.classification;

import io.faultline.schemas.Classification;
import java.util.List;

/**
 * The labels given to one event and, for each, the rule that decided it. {@code rules} holds one
 * entry per field, as {@code field=ruleId}, in the order severity, category, businessImpact,
 * workflow, so "why is this critical?" is answered by the first entry.
 *
 * @param workflow null when no rule tied the event to a workflow
 */
public record ClassificationResult(
        Severity severity, Category category, BusinessImpact businessImpact, String workflow, List<String> rules) {

    public ClassificationResult {
        rules = List.copyOf(rules);
    }

    /** The id of the rule that decided {@code field} (severity, category, businessImpact or workflow). */
    public String ruleFor(String field) {
        String prefix = field + "=";
        return rules.stream()
                .filter(r -> r.startsWith(prefix))
                .map(r -> r.substring(prefix.length()))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no such field: " + field));
    }

    public Classification toAvro() {
        return Classification.newBuilder()
                .setSeverity(severity.wireName())
                .setCategory(category.wireName())
                .setBusinessImpact(businessImpact.wireName())
                .setWorkflow(workflow)
                .setRules(rules)
                .build();
    }
}
