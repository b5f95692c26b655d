package io.faultline.impact.rest;

import io.faultline.impact.model.SlaPeriodReport;
import io.faultline.impact.model.SlaPeriodReport.Point;
import io.faultline.impact.model.SlaPeriodReport.Scope;
import io.faultline.impact.model.SlaReport.Objective;
import io.faultline.impact.model.SlaReport.ResolveTimeCompliance;
import io.faultline.impact.model.SlaReport.Verdict;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The SLA report as one printable page: no script, no external asset (inline CSS, inline SVG), so
 * it can be saved, mailed and printed as it is. Every chart is an image with a title and a
 * description giving each of its values in words, and every verdict is written, not only coloured.
 * All text from the data is escaped: project ids are whatever a client sent.
 */
final class SlaReportHtml {

    private static final DateTimeFormatter DAY =
            DateTimeFormatter.ofPattern("yyyy-MM-dd", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter HOUR =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);

    private static final String STYLE =
            """
            :root { color-scheme: light; }
            body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d2430;
              margin: 2rem auto; max-width: 60rem; padding: 0 1rem; }
            h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
            h2 { font-size: 1.2rem; margin: 1.5rem 0 .4rem; border-bottom: 1px solid #d6dbe3; padding-bottom: .2rem; }
            h3 { font-size: 1rem; margin: 1rem 0 .3rem; }
            .meta, .small { color: #5a6475; font-size: .85rem; }
            table { border-collapse: collapse; width: 100%; margin: .4rem 0 .8rem; font-size: .85rem; }
            th, td { text-align: left; padding: .25rem .45rem; border-bottom: 1px solid #e4e8ee; vertical-align: top; }
            th { background: #f3f5f8; }
            td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
            .verdict { display: inline-block; padding: 0 .4rem; border-radius: .6rem; font-weight: 600;
              font-size: .8rem; border: 1px solid currentColor; white-space: nowrap; }
            .v-compliant { color: #146c2e; } .v-breached { color: #b3261e; } .v-no_data { color: #5a6475; }
            figure { margin: .5rem 0 1rem; }
            figcaption { font-size: .85rem; color: #5a6475; }
            svg { width: 100%; height: auto; max-width: 40rem; display: block; }
            section.scope { break-inside: avoid-page; }
            @page { size: A4; margin: 14mm; }
            @media print {
              body { margin: 0; max-width: none; font-size: 11px; }
              h2 { break-after: avoid; }
              section.scope { break-before: auto; }
              table, figure { break-inside: avoid; }
              * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
            }
            """;

    private final StringBuilder out = new StringBuilder(64 * 1024);
    private final SlaPeriodReport report;
    private int charts;

    private SlaReportHtml(SlaPeriodReport report) {
        this.report = report;
    }

    static String render(SlaPeriodReport report) {
        return new SlaReportHtml(report).page();
    }

    private String page() {
        String period =
                instant(report.from().toString()) + " to " + instant(report.to().toString());
        out.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>Faultline SLA report, ")
                .append(esc(period))
                .append("</title><style>")
                .append(STYLE)
                .append("</style></head><body>\n<header><h1>SLA report</h1><p class=\"meta\">Period ")
                .append(esc(period))
                .append(" (UTC; the end is excluded) · ")
                .append(
                        report.overall().id() == null
                                ? "all projects"
                                : "project " + esc(report.overall().id()))
                .append(" · ")
                .append(report.bucket().equals("day") ? "daily" : "hourly")
                .append(" series · generated ")
                .append(esc(instant(String.valueOf(report.generatedAt().truncatedTo(ChronoUnit.SECONDS)))))
                .append("</p><p>Overall: ");
        verdict(report.overall().sla().verdict());
        if (report.overall().sla().reason() != null) {
            out.append(" <span class=\"small\">")
                    .append(esc(report.overall().sla().reason()))
                    .append("</span>");
        }
        out.append("</p></header>\n");
        summary();
        scope("All projects", report.overall());
        if (!report.projects().isEmpty()) {
            out.append("<h2>Projects</h2>\n");
            for (Scope s : report.projects()) {
                scope("Project " + s.id(), s);
            }
        }
        if (!report.workflows().isEmpty()) {
            out.append("<h2>Workflows</h2>\n");
            for (Scope s : report.workflows()) {
                scope("Workflow " + s.id(), s);
            }
        }
        out.append("<footer class=\"small\"><p>Formulas: docs/impact-model.md, \"SLA report\". A verdict of no data")
                .append(" means nothing in the period could show the target met or missed.</p></footer>")
                .append("</body></html>\n");
        return out.toString();
    }

    private void summary() {
        out.append("<h2>Summary</h2><table><thead><tr><th>Scope</th><th>Verdict</th><th>Breached</th>")
                .append("<th>No data</th></tr></thead><tbody>");
        List<Scope> scopes = new ArrayList<>();
        scopes.add(report.overall());
        scopes.addAll(report.projects());
        scopes.addAll(report.workflows());
        for (Scope s : scopes) {
            out.append("<tr><td>").append(esc(label(s))).append("</td><td>");
            verdict(s.sla().verdict());
            out.append("</td><td>")
                    .append(esc(names(s, Verdict.BREACHED)))
                    .append("</td><td>")
                    .append(esc(names(s, Verdict.NO_DATA)))
                    .append("</td></tr>");
        }
        out.append("</tbody></table>\n");
    }

    private static String label(Scope s) {
        return switch (s.scope()) {
            case "project" -> "Project " + s.id();
            case "workflow" -> "Workflow " + s.id();
            default -> s.id() == null ? "All projects" : "All of project " + s.id();
        };
    }

    private static String names(Scope s, Verdict verdict) {
        List<String> ids = s.sla().objectives().stream()
                .filter(o -> o.verdict() == verdict)
                .map(Objective::id)
                .toList();
        return ids.isEmpty() ? "—" : String.join(", ", ids);
    }

    private void scope(String title, Scope s) {
        out.append("<section class=\"scope\"><h3>").append(esc(title)).append(" ");
        verdict(s.sla().verdict());
        out.append("</h3>");
        if (s.sla().reason() != null) {
            out.append("<p class=\"small\">").append(esc(s.sla().reason())).append("</p>");
        }
        chart(title, s);
        objectives(s);
        timeToResolve(s);
        out.append("</section>\n");
    }

    private void objectives(Scope s) {
        out.append("<table><thead><tr><th>Objective</th><th class=\"num\">Measured</th><th class=\"num\">Target</th>")
                .append("<th>Verdict</th><th class=\"num\">Error budget used</th><th>Reason</th></tr></thead><tbody>");
        for (Objective o : s.sla().objectives()) {
            out.append("<tr><td>")
                    .append(esc(o.name()))
                    .append("</td><td class=\"num\">")
                    .append(esc(value(o, o.actual())))
                    .append("</td><td class=\"num\">")
                    .append(esc(("<=".equals(o.comparison()) ? "≤" : o.comparison()) + " " + value(o, o.target())))
                    .append("</td><td>");
            verdict(o.verdict());
            out.append("</td><td class=\"num\">");
            if (o.budget() == null) {
                out.append("—");
            } else {
                out.append(esc(
                                o.budget().remaining() == null
                                        ? "overspent"
                                        : percent(1 - o.budget().remaining())))
                        .append("<br><span class=\"small\">")
                        .append(esc(amount(o.budget().consumed()) + " of "
                                + amount(o.budget().allowed()) + " "
                                + o.budget().unit()))
                        .append("</span>");
            }
            out.append("</td><td class=\"small\">")
                    .append(o.reason() == null ? "" : esc(o.reason()))
                    .append("</td></tr>");
        }
        out.append("</tbody></table>");
    }

    private void timeToResolve(Scope s) {
        out.append("<table><caption class=\"small\">Time to resolve per priority: groups resolved in the period,")
                .append(" and groups still open past their target at its end</caption><thead><tr><th>Priority</th>")
                .append(
                        "<th class=\"num\">Target</th><th class=\"num\">Resolved</th><th class=\"num\">Open past target</th>")
                .append(
                        "<th class=\"num\">p50</th><th class=\"num\">p95</th><th class=\"num\">Worst</th><th>Verdict</th>")
                .append("</tr></thead><tbody>");
        for (ResolveTimeCompliance t : s.sla().timeToResolve()) {
            out.append("<tr><td>")
                    .append(esc(t.priority()))
                    .append("</td><td class=\"num\">")
                    .append(esc(seconds(t.target().toMillis() / 1000.0)))
                    .append("</td><td class=\"num\">")
                    .append(t.resolved())
                    .append("</td><td class=\"num\">")
                    .append(t.openPastTarget())
                    .append("</td><td class=\"num\">")
                    .append(esc(seconds(t.p50Seconds())))
                    .append("</td><td class=\"num\">")
                    .append(esc(seconds(t.p95Seconds())))
                    .append("</td><td class=\"num\">")
                    .append(esc(seconds(t.worstSeconds())))
                    .append("</td><td>");
            verdict(t.verdict());
            out.append("</td></tr>");
        }
        out.append("</tbody></table>");
    }

    /**
     * A workflow with a success target: its success rate per bucket against that target; any other
     * scope: its error rate against the error-rate target. Bars, one per bucket; the target a dashed
     * line; a bucket without traffic a grey tick. A scope with nothing in any bucket gets a sentence.
     */
    private void chart(String title, Scope s) {
        List<Point> points = s.series();
        if (points.stream().allMatch(p -> p.requests() == 0 && p.errors() == 0)) {
            out.append("<p class=\"small\">No traffic and no errors in the period: nothing to chart.</p>");
            return;
        }
        // a project's report holds every workflow's success objective: only a workflow's is its own
        Objective success = s.sla().objectives().stream()
                .filter(o -> "workflow".equals(s.scope()) && o.id().equals("workflow_success_" + s.id()))
                .findFirst()
                .orElse(null);
        Objective errorRate = s.sla().objectives().stream()
                .filter(o -> o.id().equals("error_rate"))
                .findFirst()
                .orElse(null);
        boolean higherIsBetter = success != null;
        double target = success != null ? success.target() : errorRate == null ? 0.001 : errorRate.target();
        List<Double> values = points.stream()
                .map(p -> higherIsBetter ? p.successRate() : p.errorRate())
                .toList();
        double max = target;
        double min = target;
        for (Double v : values) {
            if (v != null) {
                max = Math.max(max, v);
                min = Math.min(min, v);
            }
        }
        // error rates from 0 up to a little over the worst; success rates from a little under the
        // worst up to 100 %, else every bar would look full
        double lo = higherIsBetter ? Math.max(0, Math.floor((min - 0.01) * 20) / 20) : 0;
        double hi = higherIsBetter ? 1 : Math.max(max * 1.15, target * 2);
        String what = (higherIsBetter ? "Success rate" : "Error rate") + " per " + report.bucket();
        String id = "chart-" + (++charts);
        int width = 640;
        int height = 200;
        int left = 56;
        int right = 12;
        int top = 12;
        int bottom = 28;
        double plotW = width - left - right;
        double plotH = height - top - bottom;
        double step = plotW / points.size();
        java.util.function.DoubleUnaryOperator y = v -> top + plotH * (1 - (v - lo) / (hi - lo));

        StringBuilder words = new StringBuilder();
        words.append(what)
                .append(higherIsBetter ? ", target above " : ", target below ")
                .append(percent(target))
                .append(". ");
        int missed = 0;
        int empty = 0;
        for (int i = 0; i < points.size(); i++) {
            Double v = values.get(i);
            words.append(bucketLabel(points.get(i))).append(": ");
            if (v == null) {
                words.append(
                        points.get(i).errors() > 0 ? points.get(i).errors() + " errors, no traffic" : "no traffic");
                empty++;
            } else {
                boolean met = higherIsBetter ? v > target : v < target;
                missed += met ? 0 : 1;
                words.append(percent(v)).append(met ? "" : " (misses the target)");
            }
            words.append(i + 1 < points.size() ? "; " : ".");
        }
        String summary = points.size() + " " + report.bucket() + "s; " + missed + " miss the target; " + empty
                + " without traffic.";

        out.append("<figure><svg viewBox=\"0 0 ")
                .append(width)
                .append(' ')
                .append(height)
                .append("\" role=\"img\" aria-labelledby=\"")
                .append(id)
                .append("-title ")
                .append(id)
                .append("-desc\" xmlns=\"http://www.w3.org/2000/svg\"><title id=\"")
                .append(id)
                .append("-title\">")
                .append(esc(what + ", " + title))
                .append("</title><desc id=\"")
                .append(id)
                .append("-desc\">")
                .append(esc(words.toString()))
                .append("</desc>");
        // axes and their labels
        out.append("<g font-size=\"10\" fill=\"#5a6475\">")
                .append(text(left - 4, y.applyAsDouble(hi) + 4, "end", percent(hi)))
                .append(text(left - 4, y.applyAsDouble(lo) + 4, "end", percent(lo)))
                .append(text(left, height - 8, "start", bucketLabel(points.get(0))))
                .append(text(width - right, height - 8, "end", bucketLabel(points.get(points.size() - 1))))
                .append("</g><line x1=\"")
                .append(left)
                .append("\" x2=\"")
                .append(width - right)
                .append("\" y1=\"")
                .append(fmt(top + plotH))
                .append("\" y2=\"")
                .append(fmt(top + plotH))
                .append("\" stroke=\"#9aa3b2\"/>");
        for (int i = 0; i < points.size(); i++) {
            Double v = values.get(i);
            double x = left + i * step + step * 0.15;
            double w = Math.max(0.5, step * 0.7);
            if (v == null) {
                out.append("<rect x=\"")
                        .append(fmt(x))
                        .append("\" y=\"")
                        .append(fmt(top + plotH - 2))
                        .append("\" width=\"")
                        .append(fmt(w))
                        .append("\" height=\"2\" fill=\"#c3c9d3\"/>");
                continue;
            }
            boolean met = higherIsBetter ? v > target : v < target;
            double barTop = y.applyAsDouble(Math.max(lo, Math.min(hi, v)));
            out.append("<rect x=\"")
                    .append(fmt(x))
                    .append("\" y=\"")
                    .append(fmt(barTop))
                    .append("\" width=\"")
                    .append(fmt(w))
                    .append("\" height=\"")
                    .append(fmt(Math.max(0.5, top + plotH - barTop)))
                    .append("\" fill=\"")
                    .append(met ? "#3a8f5c" : "#c8453c")
                    .append("\"/>");
        }
        double ty = y.applyAsDouble(target);
        out.append("<line x1=\"")
                .append(left)
                .append("\" x2=\"")
                .append(width - right)
                .append("\" y1=\"")
                .append(fmt(ty))
                .append("\" y2=\"")
                .append(fmt(ty))
                .append("\" stroke=\"#1d2430\" stroke-dasharray=\"4 3\"/>")
                .append("<g font-size=\"10\" fill=\"#1d2430\">")
                .append(text(width - right, ty - 3, "end", "target " + percent(target)))
                .append("</g></svg><figcaption>")
                .append(esc(what + ": " + summary))
                .append("</figcaption></figure>");
    }

    private static String text(double x, double y, String anchor, String content) {
        return "<text x=\"" + fmt(x) + "\" y=\"" + fmt(y) + "\" text-anchor=\"" + anchor + "\">" + esc(content)
                + "</text>";
    }

    private String bucketLabel(Point p) {
        return (report.bucket().equals("day") ? DAY : HOUR).format(p.start());
    }

    private void verdict(Verdict verdict) {
        String id = SlaReportCsv.verdict(verdict);
        out.append("<span class=\"verdict v-")
                .append(id)
                .append("\">")
                .append(id.equals("no_data") ? "no data" : id)
                .append("</span>");
    }

    private static String value(Objective o, Double v) {
        if (v == null) {
            return "—";
        }
        if (o.id().startsWith("time_to_resolve")) {
            return seconds(v);
        }
        if (o.id().equals("revenue_blocking_errors")) {
            return Long.toString(Math.round(v));
        }
        return percent(v);
    }

    static String percent(double fraction) {
        if (Double.isNaN(fraction) || Double.isInfinite(fraction)) {
            return "—";
        }
        return new BigDecimal(fraction * 100)
                        .round(new MathContext(3))
                        .stripTrailingZeros()
                        .toPlainString() + " %";
    }

    static String seconds(Double s) {
        if (s == null) {
            return "—";
        }
        if (s < 120) {
            return amount(s) + " s";
        }
        if (s < 7200) {
            return amount(s / 60) + " min";
        }
        return amount(s / 3600) + " h";
    }

    private static String amount(double value) {
        return new BigDecimal(value)
                .round(new MathContext(4))
                .stripTrailingZeros()
                .toPlainString();
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static String instant(String iso) {
        return iso.replace('T', ' ').replace("Z", "");
    }

    static String esc(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder escaped = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
