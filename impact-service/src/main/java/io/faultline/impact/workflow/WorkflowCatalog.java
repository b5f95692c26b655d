package io.faultline.impact.workflow;

import io.faultline.schemas.rulefile.Glob;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The configured workflows and the attribution of errors and traffic to them. An explicit
 * workflow (classification or {@code workflow} tag) always wins; otherwise the first workflow in
 * file order whose transaction pattern matches, then whose service matches, then whose category
 * matches. Unattributable records count under {@link #UNATTRIBUTED}.
 */
public final class WorkflowCatalog {

    /** Errors and traffic that no workflow claims still count towards the project's totals. */
    public static final String UNATTRIBUTED = "(none)";

    private final List<Workflow> workflows;
    private final Map<String, Workflow> byName;
    /** Each workflow's transaction globs, compiled once: attribution runs for every event. */
    private final List<List<Glob>> transactionGlobs;

    public WorkflowCatalog(List<Workflow> workflows) {
        this.workflows = List.copyOf(workflows);
        this.transactionGlobs = this.workflows.stream()
                .map(w -> w.transactions().stream().map(Glob::of).toList())
                .toList();
        this.byName =
                this.workflows.stream().collect(Collectors.toUnmodifiableMap(Workflow::name, Function.identity()));
    }

    public List<Workflow> workflows() {
        return workflows;
    }

    public Optional<Workflow> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** The longest workflow name stored (VARCHAR(64) in every table that has one). */
    public static final int MAX_NAME = 64;

    /** @return the workflow name, never null ({@link #UNATTRIBUTED} when nothing matches) */
    public String attribute(String explicitWorkflow, String transaction, String service, String category) {
        if (explicitWorkflow != null && !explicitWorkflow.isBlank()) {
            // a tag's value, of any length: cut to the column every table keeps workflows in
            return explicitWorkflow.length() > MAX_NAME ? explicitWorkflow.substring(0, MAX_NAME) : explicitWorkflow;
        }
        if (transaction != null) {
            for (int i = 0; i < workflows.size(); i++) {
                for (Glob glob : transactionGlobs.get(i)) {
                    if (glob.matches(transaction)) {
                        return workflows.get(i).name();
                    }
                }
            }
        }
        if (service != null) {
            for (Workflow w : workflows) {
                if (w.services().contains(service)) {
                    return w.name();
                }
            }
        }
        if (category != null) {
            for (Workflow w : workflows) {
                if (w.categories().contains(category)) {
                    return w.name();
                }
            }
        }
        return UNATTRIBUTED;
    }
}
