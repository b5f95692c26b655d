package io.faultline.impact.workflow;

import java.util.List;
import java.util.regex.Pattern;

/**
 * A business workflow as configured: its share of the health score, the revenue it carries and
 * the rules that attribute errors and traffic without an explicit workflow to it. {@code
 * successTarget}, when set, is an SLA target: the share of the workflow's requests that must succeed
 * (strictly more; booking 0.95, payment 0.98 in the first user's table).
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

    /** Whether a transaction or route name matches one of this workflow's glob patterns. */
    public boolean matchesTransaction(String transaction) {
        return transaction != null && transactions.stream().anyMatch(glob -> globMatches(glob, transaction));
    }

    /**
     * Globs rather than regular expressions: operators write route names, and {@code *} / {@code ?}
     * cannot produce a catastrophically backtracking pattern.
     */
    static boolean globMatches(String glob, String value) {
        StringBuilder regex = new StringBuilder();
        for (char ch : glob.toCharArray()) {
            switch (ch) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(ch)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL).matcher(value).matches();
    }
}
