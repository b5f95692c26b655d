package io.faultline.impact.rest;

import io.faultline.impact.model.SlaPeriodReport;
import io.faultline.impact.model.SlaPeriodReport.Scope;
import io.faultline.impact.model.SlaReport.Objective;
import io.faultline.impact.model.SlaReport.ResolveTimeCompliance;
import io.faultline.impact.model.SlaReport.Verdict;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;

/**
 * The SLA report as CSV (RFC 4180: a header row, CRLF after every record, a field holding a comma,
 * quote or line break quoted with inner quotes doubled): one row per scope and objective, the
 * time-to-resolve rows with their p50, p95, worst, resolved and still-open-past-target figures.
 */
final class SlaReportCsv {

    static final List<String> HEADER = List.of(
            "from",
            "to",
            "scope",
            "scope_id",
            "objective",
            "name",
            "verdict",
            "reason",
            "actual",
            "target",
            "comparison",
            "budget_unit",
            "budget_allowed",
            "budget_consumed",
            "budget_remaining",
            "resolved",
            "open_past_target",
            "p50_seconds",
            "p95_seconds",
            "worst_seconds");

    private SlaReportCsv() {}

    static String render(SlaPeriodReport report) {
        StringBuilder out = new StringBuilder(
                256 * 16 * (2 + report.projects().size() + report.workflows().size()));
        record(out, HEADER);
        List<Scope> scopes = new ArrayList<>();
        scopes.add(report.overall());
        scopes.addAll(report.projects());
        scopes.addAll(report.workflows());
        for (Scope scope : scopes) {
            for (Objective o : scope.sla().objectives()) {
                ResolveTimeCompliance ttr = scope.sla().timeToResolve().stream()
                        .filter(t -> o.id().equals("time_to_resolve_" + t.priority()))
                        .findFirst()
                        .orElse(null);
                List<String> row = new ArrayList<>(HEADER.size());
                row.add(report.from().toString());
                row.add(report.to().toString());
                row.add(scope.scope());
                row.add(text(scope.id()));
                row.add(o.id());
                row.add(text(o.name()));
                row.add(verdict(o.verdict()));
                row.add(text(o.reason()));
                row.add(number(o.actual()));
                row.add(number(o.target()));
                row.add(o.comparison());
                row.add(o.budget() == null ? "" : o.budget().unit());
                row.add(o.budget() == null ? "" : number(o.budget().allowed()));
                row.add(o.budget() == null ? "" : number(o.budget().consumed()));
                row.add(o.budget() == null ? "" : number(o.budget().remaining()));
                row.add(ttr == null ? "" : Long.toString(ttr.resolved()));
                row.add(ttr == null ? "" : Long.toString(ttr.openPastTarget()));
                row.add(ttr == null ? "" : number(ttr.p50Seconds()));
                row.add(ttr == null ? "" : number(ttr.p95Seconds()));
                row.add(ttr == null ? "" : number(ttr.worstSeconds()));
                record(out, row);
            }
        }
        return out.toString();
    }

    static String verdict(Verdict verdict) {
        return switch (verdict) {
            case COMPLIANT -> "compliant";
            case BREACHED -> "breached";
            case NO_DATA -> "no_data";
        };
    }

    /**
     * Ten significant digits in plain notation: a spreadsheet reads 0.945, not 0.9450000000000001 or
     * 1.0E-4; empty for no figure.
     */
    static String number(Double value) {
        if (value == null || value.isNaN() || value.isInfinite()) {
            return "";
        }
        return new BigDecimal(value)
                .round(new MathContext(10))
                .stripTrailingZeros()
                .toPlainString();
    }

    /**
     * Free text (names, reasons, project ids, which anyone with a DSN chooses): a cell a spreadsheet
     * would run as a formula (=, +, -, @, tab, CR first) gets a leading apostrophe, as OWASP's CSV
     * injection advice has it.
     */
    static String text(String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        char first = value.charAt(0);
        return first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r'
                ? "'" + value
                : value;
    }

    private static void record(StringBuilder out, List<String> fields) {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            String field = fields.get(i) == null ? "" : fields.get(i);
            if (field.indexOf(',') >= 0
                    || field.indexOf('"') >= 0
                    || field.indexOf('\n') >= 0
                    || field.indexOf('\r') >= 0) {
                out.append('"').append(field.replace("\"", "\"\"")).append('"');
            } else {
                out.append(field);
            }
        }
        out.append("\r\n");
    }
}
