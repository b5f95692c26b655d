package io.faultline.impact.workflow;

import java.util.List;

/**
 * A business workflow as configured: its share of the health score, the revenue it carries and
 * the rules that attribute errors and traffic without an explicit workflow to it ({@code
 * transactions} are globs, matched by {@link WorkflowCatalog#attribute}). {@code successTarget},
 * when set, is an SLA target: the share of the workflow's requests that must succeed (strictly
 * more; booking 0.95, payment 0.98 in the first user's table).
 */
public record Workflow(
        String name,
        double weight,
        double revenuePerHour,
        List<String> transactions,
        List<String> services,
        List<String> categories,
        Double successTarget) {

    /** A workflow without a success target of its own. */
    public Workflow(
            String name,
            double weight,
            double revenuePerHour,
            List<String> transactions,
            List<String> services,
            List<String> categories) {
        this(name, weight, revenuePerHour, transactions, services, categories, null);
    }

    public Workflow {
        transactions = List.copyOf(transactions);
        services = List.copyOf(services);
        categories = List.copyOf(categories);
    }
}
