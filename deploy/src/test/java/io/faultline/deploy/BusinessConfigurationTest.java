package io.faultline.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The rule, workflow and runbook files shipped in the ConfigMaps hold together. */
class BusinessConfigurationTest {

    private static final Path CONFIG = Overlays.BASE.resolve("config");

    private final Map<String, Object> workflows = YamlDocuments.readOne(CONFIG.resolve("workflows.yaml"));
    private final Map<String, Object> rules = YamlDocuments.readOne(CONFIG.resolve("classification-rules.yaml"));
    private final Map<String, Object> runbooks = YamlDocuments.readOne(CONFIG.resolve("runbooks.yaml"));

    @Test
    void workflowsAreTheFirstUsersSeven() {
        Map<String, List<Number>> byId = Tree.maps(workflows, "workflows").stream()
                .collect(Collectors.toMap(
                        w -> Tree.text(w, "id"),
                        w -> List.of((Number) w.get("weight"), (Number) w.get("hourlyValue"))));

        assertThat(byId)
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "booking", List.of(0.25, 150),
                        "payment_processing", List.of(0.25, 200),
                        "client_management", List.of(0.15, 75),
                        "revenue_tracking", List.of(0.10, 25),
                        "brand_building", List.of(0.10, 50),
                        "efficiency_optimization", List.of(0.10, 100),
                        "professional_growth", List.of(0.05, 30)));
        double total =
                byId.values().stream().mapToDouble(v -> v.get(0).doubleValue()).sum();
        assertThat(total).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void classificationRulesAssignOnlyConfiguredWorkflows() {
        Set<String> ids = Tree.maps(workflows, "workflows").stream()
                .map(w -> Tree.text(w, "id"))
                .collect(Collectors.toSet());
        assertThat(Tree.list(rules, "workflows")).containsExactlyInAnyOrderElementsOf(ids);

        Set<String> ruleIds = new HashSet<>();
        for (Map<String, Object> rule : Tree.maps(rules, "rules")) {
            assertThat(ruleIds.add(Tree.text(rule, "id")))
                    .as("duplicate rule " + rule.get("id"))
                    .isTrue();
            assertThat(Tree.map(rule, "set")).as(Tree.text(rule, "id")).isNotEmpty();
            String workflow = Tree.text(rule, "set", "workflow");
            if (workflow != null) {
                assertThat(ids).contains(workflow);
            }
        }
        assertThat(Tree.map(rules, "defaults")).containsKeys("severity", "category", "businessImpact");
    }

    @Test
    void runbooksHaveUniqueIdsAndActions() {
        Set<String> ids = new HashSet<>();
        for (Map<String, Object> runbook : Tree.maps(runbooks, "runbooks")) {
            assertThat(ids.add(Tree.text(runbook, "id"))).isTrue();
            assertThat(Tree.map(runbook, "match")).as(Tree.text(runbook, "id")).isNotEmpty();
            assertThat(Tree.maps(runbook, "actions"))
                    .as(Tree.text(runbook, "id"))
                    .isNotEmpty();
        }
    }
}
