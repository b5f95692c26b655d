package io.faultline.dashboard.rest;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An HTTP stand-in for the impact-service, answering its read paths with fixed JSON and
 * echoing the query it got, so the dashboard's auth and proxying are tested without the whole
 * stack (the system tests run the real one).
 */
public class StubImpactService implements QuarkusTestResourceLifecycleManager {

    private static final Pattern STUB_STATUS = Pattern.compile("(?:^|&)stub-status=(\\d{3})");
    private static final Pattern FROM = Pattern.compile("(?:^|&)from=([^&]*)");

    private HttpServer server;

    /** The two groups a search for "bulk" lists, for the bulk actions' browser test. */
    public static final List<String> BULK_GROUPS = List.of("group-bulk-1", "group-bulk-2");

    private static String bulkGroups() {
        return BULK_GROUPS.stream()
                .map(id -> "{\"groupId\":\"" + id + "\",\"projectId\":\"1\",\"title\":\"Bulk " + id
                        + "\",\"severity\":\"medium\",\"category\":\"database\",\"businessImpact\":"
                        + "\"degraded\",\"workflow\":null,\"status\":\"unresolved\",\"count\":1,"
                        + "\"firstSeen\":\"2026-11-30T05:10:00Z\",\"lastSeen\":\"2026-11-30T07:12:00Z\","
                        + "\"usersAffected\":0,\"priority\":10}")
                .collect(java.util.stream.Collectors.joining(",", "\"items\":[", "],\"nextCursor\":null"));
    }

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        answer("/api/v1/overview", "\"totalEvents\":3,\"groupCount\":1,\"groups\":[]");
        // a search (query=) finds the browser test's group; the plain list stays empty
        answer(
                "/api/v1/groups",
                query -> query != null && query.contains("query=bulk")
                        ? bulkGroups()
                        : query != null && query.contains("query=")
                                ? "\"items\":[{\"groupId\":\"group-stack\",\"projectId\":\"1\",\"title\":\""
                                        + SEARCH_HIT
                                        + "\",\"severity\":\"critical\",\"category\":\"database\",\"businessImpact\":"
                                        + "\"revenue_blocking\",\"workflow\":\"checkout\",\"status\":\"unresolved\",\"count\":2,"
                                        + "\"firstSeen\":\"2026-11-30T05:10:00Z\",\"lastSeen\":\"2026-11-30T07:12:00Z\","
                                        + "\"usersAffected\":7,\"priority\":45}],\"nextCursor\":null"
                                : "\"items\":[],\"nextCursor\":null");
        // an impact-service that fails this one group's read (the bulk test's mid-way failure)
        server.createContext("/api/v1/groups/group-impact-down/tags", exchange -> {
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
        });
        answer(
                "/api/v1/groups/group-stack/tags",
                "\"groupId\":\"group-stack\",\"usersAffected\":7,\"firstRelease\":\"shop@1.4.1\","
                        + "\"lastRelease\":\"shop@1.4.2\",\"tags\":[{\"key\":\"release\",\"events\":4,"
                        + "\"distinctValues\":3,\"top\":[{\"value\":\"shop@1.4.2\",\"count\":3,\"share\":0.75},"
                        + "{\"value\":\"" + HOSTILE + "\",\"count\":1,\"share\":0.25}]}]");
        // the impact-service's report shapes, trimmed
        answer(
                "/api/v1/workflows/impact",
                // healthScore is on a 0..100 scale: 0.75 is a very sick project, not 75 %
                "\"revenueLoss\":1250.55,\"healthScore\":0.75,\"workflows\":[{\"workflow\":\"checkout\","
                        + "\"requests\":1200,\"errors\":36,\"errorRate\":0.03,\"successRate\":0.97,"
                        + "\"noTraffic\":false,\"revenueLoss\":1250.5,\"weight\":1.0},"
                        // docs/impact-model.md's example: 20 errors in 1000 requests cost $0.05
                        + "{\"workflow\":\"booking\",\"requests\":1000,\"errors\":20,\"errorRate\":0.02,"
                        + "\"successRate\":0.98,\"noTraffic\":false,\"revenueLoss\":0.05,\"weight\":1.0},"
                        // errors reported, no traffic posted: there is no rate to show
                        + "{\"workflow\":\"onboarding\",\"requests\":0,\"errors\":4,\"errorRate\":null,"
                        + "\"successRate\":null,\"noTraffic\":true,\"revenueLoss\":0,\"weight\":0.5}]");
        // errors in the last day but no traffic posted in it, and no runbook matched anything: the
        // rates are null, and the server alone knows which of those objectives are met
        answer(
                "/api/v1/sla",
                "\"compliant\":false,\"verdict\":\"breached\","
                        + "\"reason\":\"breached: error_rate, revenue_blocking_errors\","
                        + "\"errorRate\":{\"errors\":4,\"requests\":0,\"rate\":null,\"target\":0.001,"
                        + "\"compliant\":false,\"verdict\":\"breached\",\"reason\":\"4 errors and no traffic"
                        + " reported: without traffic only zero complies\"},"
                        + "\"criticalErrorRate\":{\"errors\":0,\"requests\":0,\"rate\":null,"
                        + "\"target\":0.0001,\"compliant\":false,\"verdict\":\"no_data\","
                        + "\"reason\":\"no traffic and no critical errors in the window\"},"
                        + "\"revenueBlockingErrors\":{\"count\":3,\"target\":0,\"compliant\":false,"
                        + "\"verdict\":\"breached\",\"reason\":\"3 revenue-blocking errors, 0 allowed\"},"
                        + "\"timeToResolve\":[],"
                        + "\"autoResolution\":{\"actionableGroups\":0,\"autoResolvedGroups\":0,\"rate\":null,"
                        + "\"target\":0.8,\"compliant\":false,\"verdict\":\"no_data\",\"reason\":\"nothing"
                        + " actionable in the window: no runbook matched a group\",\"errors\":4,"
                        + "\"autoResolvedErrors\":0,\"errorShare\":0.0},"
                        // the 30-day budget window still holds last week's traffic
                        + "\"errorBudgets\":[{\"objective\":\"error_rate\",\"target\":0.001,\"requests\":120000,"
                        + "\"allowedErrors\":120.0,\"consumedErrors\":90,\"remaining\":0.25,\"burnRate\":0.75,"
                        + "\"burnRateLastHour\":null},{\"objective\":\"critical_error_rate\",\"target\":1.0E-4,"
                        + "\"requests\":120000,\"allowedErrors\":12.0,\"consumedErrors\":14,"
                        + "\"remaining\":-0.16666666666666674,\"burnRate\":1.1666666666666667,"
                        + "\"burnRateLastHour\":null}],"
                        // a few of the objectives, one of each verdict
                        + "\"objectives\":[{\"id\":\"error_rate\",\"name\":\"Error rate\",\"verdict\":\"breached\","
                        + "\"reason\":\"4 errors and no traffic reported: without traffic only zero complies\","
                        + "\"actual\":null,\"target\":0.001,\"comparison\":\"<\",\"budget\":{\"unit\":\"errors\","
                        + "\"allowed\":0.0,\"consumed\":4.0,\"remaining\":null}},"
                        + "{\"id\":\"time_to_resolve_low\",\"name\":\"Time to resolve, low\","
                        + "\"verdict\":\"no_data\",\"reason\":\"no low-priority group was resolved in the window"
                        + " or open past its 2h target at its end\",\"actual\":null,\"target\":7200.0,"
                        + "\"comparison\":\"<=\",\"budget\":{\"unit\":\"groups past target\",\"allowed\":0.0,"
                        + "\"consumed\":0.0,\"remaining\":1.0}},"
                        + "{\"id\":\"workflow_success_booking\",\"name\":\"Success rate, booking\","
                        + "\"verdict\":\"compliant\",\"reason\":null,\"actual\":0.98,\"target\":0.95,"
                        + "\"comparison\":\">\",\"budget\":{\"unit\":\"failed requests\",\"allowed\":50.0,"
                        + "\"consumed\":20.0,\"remaining\":0.6}}]");
        // the group the browser test opens, in the impact-service's GroupDetail shape: its hourly
        // counts and latest events sit next to the group, not inside it
        answer(
                "/api/v1/groups/group-browser",
                "\"group\":{\"groupId\":\"group-browser\",\"projectId\":\"1\","
                        + "\"title\":\"Connection is not available\",\"severity\":\"critical\","
                        + "\"category\":\"database\",\"businessImpact\":\"revenue_blocking\","
                        + "\"workflow\":\"checkout\",\"status\":\"unresolved\",\"count\":3,"
                        + "\"firstSeen\":\"2026-11-30T05:10:00Z\",\"lastSeen\":\"2026-11-30T07:12:00Z\"},"
                        + "\"culprit\":\"com.example.PaymentGateway.charge\",\"strategy\":\"exception-type\","
                        + "\"resolvedAt\":null,\"resolutions\":[],"
                        + "\"hourlyCounts\":[{\"hour\":\"2026-11-30T05:00:00Z\",\"count\":1},"
                        + "{\"hour\":\"2026-11-30T07:00:00Z\",\"count\":2}],"
                        + "\"recentEvents\":[{\"eventId\":\"5f0c2a9e4b7d41c3a8e6d2f1b0c9a7e3\","
                        + "\"occurredAt\":\"2026-11-30T07:12:00Z\",\"release\":\"shop@2.4.1\","
                        + "\"environment\":\"production\",\"message\":\"Connection is not available\"}]");
        // a group the template miner merged into group-browser: its events count there now
        answer(
                "/api/v1/groups/group-merged",
                "\"group\":{\"groupId\":\"group-merged\",\"projectId\":\"1\","
                        + "\"title\":\"Connection to db-2 is not available\",\"severity\":\"critical\","
                        + "\"category\":\"database\",\"businessImpact\":\"revenue_blocking\","
                        + "\"workflow\":\"checkout\",\"status\":\"merged\",\"count\":0,"
                        + "\"firstSeen\":\"2026-11-30T05:00:00Z\",\"lastSeen\":\"2026-11-30T05:01:00Z\"},"
                        + "\"culprit\":null,\"strategy\":\"message-template\",\"resolvedAt\":null,"
                        + "\"resolutions\":[],\"hourlyCounts\":[],\"recentEvents\":[],"
                        + "\"mergedInto\":\"group-browser\"");
        answer(
                "/api/v1/incidents",
                "\"items\":[{\"incidentId\":\"inc-1\",\"projectId\":\"1\",\"scope\":\"workflow\","
                        + "\"workflow\":\"checkout\",\"trigger\":\"slo_burn\",\"severity\":\"high\","
                        + "\"title\":\"checkout burns its error budget 14x\",\"status\":\"open\","
                        + "\"openedAt\":\"2026-11-30T06:00:00Z\",\"eventCount\":36,\"signalCount\":2}],"
                        + "\"nextCursor\":null");
        // group-stack: two stored events, the newer one recommended (the browser test walks them)
        answer("/api/v1/groups/group-stack", groupMembers("group-stack", "Connection is not available"));
        answer("/api/v1/groups/group-stack/events", "\"items\":[],\"nextCursor\":null");
        String newer = event(NEWER_EVENT, null, OLDER_EVENT, "group-stack", 42, "Connection is not available");
        String older = event(OLDER_EVENT, NEWER_EVENT, null, "group-stack", 40, "Connection is not available");
        answer("/api/v1/groups/group-stack/events/recommended", newer);
        answer("/api/v1/groups/group-stack/events/latest", newer);
        answer("/api/v1/groups/group-stack/events/oldest", older);
        answer("/api/v1/events/" + NEWER_EVENT, newer);
        answer("/api/v1/events/" + OLDER_EVENT, older);
        // group-hostile: an event whose every text field holds markup, as anyone with a DSN may send
        // group-js: a browser error whose frame a source map resolved, the minified frame beside it
        answer("/api/v1/groups/group-js", groupMembers("group-js", "TypeError: booking is null"));
        answer("/api/v1/groups/group-js/events", "\"items\":[],\"nextCursor\":null");
        for (String pick : List.of("recommended", "latest", "oldest")) {
            answer("/api/v1/groups/group-js/events/" + pick, sourceMappedEvent());
        }
        answer("/api/v1/groups/group-hostile", groupMembers("group-hostile", HOSTILE));
        answer(
                "/api/v1/groups/group-hostile/events/recommended",
                event(HOSTILE_EVENT, null, null, "group-hostile", 7, HOSTILE));
        // no /api/v1/resolutions: stands for an impact-service that does not offer it (yet)
        alertRules();
        slaReport();
        sentryUpload();
        server.start();
        return Map.of(
                "quarkus.rest-client.impact.url",
                "http://127.0.0.1:" + server.getAddress().getPort(),
                "faultline.admin-token",
                "test-admin-token");
    }

    /** The title of the group a search finds. */
    public static final String SEARCH_HIT = "Connection is not available (searched)";

    public static final String NEWER_EVENT = "2b7e151628aed2a6abf7158809cf4f3c";
    public static final String OLDER_EVENT = "1a0e151628aed2a6abf7158809cf4f3c";
    public static final String HOSTILE_EVENT = "3c9e151628aed2a6abf7158809cf4f3c";
    /** Markup that runs if it is ever parsed as HTML; no double quote, so it goes into JSON as is. */
    public static final String HOSTILE = "<img src=x onerror=window.__pwned=1><script>window.__pwned=2</script>";

    /** Sentry's upload API: echoes what reached it (method, type, body size, forwarded host). */
    private void sentryUpload() {
        server.createContext("/api/0/organizations/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String json = "{\"method\":\"" + exchange.getRequestMethod() + "\",\"path\":\""
                    + exchange.getRequestURI().getPath() + "\",\"contentType\":\""
                    + exchange.getRequestHeaders().getFirst("Content-Type") + "\",\"bodyBytes\":" + body.length
                    + ",\"forwardedHost\":\"" + exchange.getRequestHeaders().getFirst("X-Forwarded-Host")
                    + "\",\"authorization\":\"" + exchange.getRequestHeaders().getFirst("Authorization") + "\"}";
            byte[] out = json.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, out.length);
            exchange.getResponseBody().write(out);
            exchange.close();
        });
    }

    /** A JavaScript event as the impact-service serves it once a source map resolved its frame. */
    private static String sourceMappedEvent() {
        return "\"eventId\":\"4d0e151628aed2a6abf7158809cf4f3c\",\"groupId\":\"group-js\",\"projectId\":\"1\","
                + "\"occurredAt\":\"2026-11-30T07:12:00Z\",\"title\":\"TypeError: booking is null\",\"culprit\":null,"
                + "\"classification\":null,\"olderEventId\":null,\"newerEventId\":null,"
                + "\"event\":{\"eventId\":\"4d0e151628aed2a6abf7158809cf4f3c\",\"level\":\"error\","
                + "\"platform\":\"javascript\",\"exceptions\":[{\"type\":\"TypeError\",\"value\":\"booking is null\","
                + "\"frames\":[{\"filename\":\"src/App.tsx\",\"absPath\":\"~/src/App.tsx\",\"function\":\"BrokenWidget\","
                + "\"lineno\":5,\"colno\":22,\"inApp\":true,\"contextLine\":\"  return <p>{booking.slot(id)}</p>;\","
                + "\"preContext\":[\"export function BrokenWidget({ id }) {\",\"  const booking = null;\"],"
                + "\"postContext\":[\"}\"],\"sourcemap\":\"~/assets/index-abc.js.map\","
                + "\"minified\":{\"filename\":\"/assets/index-abc.js\",\"absPath\":\"https://shop.example/assets/index-abc.js\","
                + "\"function\":\"a\",\"lineno\":1,\"colno\":35,\"contextLine\":null}}]}],"
                + "\"tags\":{},\"contexts\":{},\"extra\":{},\"breadcrumbs\":[]}";
    }

    private static String groupMembers(String groupId, String title) {
        return "\"group\":{\"groupId\":\"" + groupId + "\",\"projectId\":\"1\",\"title\":\"" + title + "\","
                + "\"severity\":\"critical\",\"category\":\"database\",\"businessImpact\":\"revenue_blocking\","
                + "\"workflow\":\"checkout\",\"status\":\"unresolved\",\"count\":2,"
                + "\"firstSeen\":\"2026-11-30T05:10:00Z\",\"lastSeen\":\"2026-11-30T07:12:00Z\"},"
                + "\"culprit\":null,\"strategy\":\"exception-type\",\"resolvedAt\":null,\"resolutions\":[],"
                // a group seen within one hour: its chart has a single point to draw
                + "\"hourlyCounts\":[{\"hour\":\"2026-11-30T07:00:00Z\",\"count\":2}],\"recentEvents\":[]";
    }

    /**
     * An event in the impact-service's EventDetail shape: a Java exception whose crashing frames are
     * a connection pool's, under the application's PaymentGateway.charge at {@code line}, under a
     * web server's, and a React component stack; {@code text} in every free-text field.
     */
    private static String event(String id, String newerId, String olderId, String groupId, int line, String text) {
        String system = "{\"module\":\"%s\",\"function\":\"%s\",\"lineno\":%d,\"inApp\":false}";
        return "\"eventId\":\"" + id + "\",\"groupId\":\"" + groupId + "\",\"projectId\":\"1\","
                + "\"occurredAt\":\"2026-11-30T07:12:00Z\",\"title\":\"" + text + "\",\"culprit\":null,"
                + "\"classification\":{\"severity\":\"critical\",\"category\":\"database\","
                + "\"businessImpact\":\"revenue_blocking\",\"workflow\":\"checkout\"},"
                + "\"olderEventId\":" + quoted(olderId) + ",\"newerEventId\":" + quoted(newerId) + ","
                + "\"event\":{\"eventId\":\"" + id + "\",\"level\":\"error\",\"platform\":\"java\","
                + "\"release\":\"shop@2.4.1\",\"environment\":\"production\",\"message\":\"" + text + "\","
                + "\"logentry\":null,\"exceptions\":[{\"type\":\"java.sql.SQLTransientConnectionException\","
                + "\"value\":\"" + text + "\",\"mechanism\":{\"type\":\"generic\",\"handled\":false},\"frames\":["
                + String.format(system, "org.eclipse.jetty.server.HttpChannel", "handle", 479) + ","
                + String.format(system, "org.eclipse.jetty.server.Server", "handle", 516) + ","
                + String.format(system, "org.springframework.web.servlet.DispatcherServlet", "doDispatch", 1089) + ","
                + "{\"module\":\"com.example.PaymentGateway\",\"function\":\"charge\",\"lineno\":" + line
                + ",\"inApp\":true,\"contextLine\":\"Connection c = pool.getConnection(); // " + text + "\"},"
                + String.format(system, "com.zaxxer.hikari.pool.HikariPool", "getConnection", 181) + ","
                + String.format(system, "com.zaxxer.hikari.pool.HikariPool", "createTimeoutException", 696) + "]}],"
                + "\"request\":{\"method\":\"POST\",\"url\":\"https://shop.example/checkout\","
                + "\"headers\":{\"User-Agent\":\"" + text + "\"}},"
                + "\"user\":{\"id\":\"sha256:9f86d081884c7d65\",\"segment\":\"" + text + "\"},"
                + "\"tags\":{\"browser\":\"Chrome 131\",\"custom\":\"" + text + "\"},"
                // React's component stack as @sentry/react's error boundary sends it: innermost first,
                // each line indented, a newline before the first
                + "\"contexts\":{\"os\":{\"name\":\"Linux\"},\"react\":{\"componentStack\":"
                + "\"\\n    at CheckoutForm (https://shop.example/assets/index.js:1:2)\\n    at " + text
                + "\\n    at ErrorBoundary\"}},\"extra\":{},"
                + "\"sdk\":{\"name\":\"sentry.java\",\"version\":\"7.14.0\"},"
                // the second crumb's year is past what a browser's Date reads (an SDK that sent
                // milliseconds for seconds): the view once threw on it and showed no event at all
                + "\"breadcrumbs\":[{\"category\":\"http\",\"message\":\"" + text + "\"},"
                + "{\"timestamp\":\"+33658-09-27T01:46:40Z\",\"category\":\"query\",\"message\":\"late\"},"
                // an http crumb says what it says in its data alone, as SDKs send it
                + "{\"type\":\"http\",\"category\":\"xhr\",\"data\":{\"method\":\"POST\","
                + "\"url\":\"https://shop.example/api/pay\",\"status_code\":\"502\",\"note\":\"" + text + "\"}}]}";
    }

    private static String quoted(String id) {
        return id == null ? "null" : "\"" + id + "\"";
    }

    /**
     * Answers the path with the JSON members given plus {@code "query"}: the query string it got.
     * Like the impact-service, it refuses a {@code from} that is no four-digit-year instant with a
     * 400 naming it; {@code stub-status=NNN} makes it answer NNN, as a problem naming "stub".
     */
    private void answer(String path, String members) {
        answer(path, query -> members);
    }

    /** As above, the members chosen by the query string (null when there is none). */
    private void answer(String path, java.util.function.UnaryOperator<String> membersFor) {
        server.createContext(path, exchange -> {
            if (!exchange.getRequestURI().getPath().equals(path)) {
                exchange.sendResponseHeaders(404, -1);
                exchange.close();
                return;
            }
            String query = exchange.getRequestURI().getRawQuery();
            Matcher asked = STUB_STATUS.matcher(query == null ? "" : query);
            Matcher from = FROM.matcher(query == null ? "" : query);
            int status = asked.find()
                    ? Integer.parseInt(asked.group(1))
                    : from.find() && !from.group(1).matches("\\d{4}-.*") ? 400 : 200;
            String field = status == 400 ? "from" : "stub";
            byte[] body = (status == 200
                            ? "{" + membersFor.apply(query) + ",\"query\":\"" + (query == null ? "" : query) + "\"}"
                            : "{\"type\":\"https://faultline.io/problems/invalid-query\",\"title\":\"Invalid query"
                                    + " parameters\",\"status\":" + status + ",\"detail\":\"1 parameter(s) rejected\","
                                    + "\"errors\":[{\"field\":\"" + field + "\",\"reason\":\"refused by the stub\"}]}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders()
                    .add("Content-Type", status == 200 ? "application/json" : "application/problem+json");
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
    }

    /**
     * The alert rules: a list, and a create that answers 201 with the rule and an id, or, for a rule
     * without a name, the impact-service's 400 problem naming it.
     */
    private void alertRules() {
        server.createContext("/api/v1/alert-rules", exchange -> {
            String sent = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            int status;
            String body;
            if ("POST".equals(exchange.getRequestMethod())) {
                boolean named = sent.contains("\"name\"");
                status = named ? 201 : 400;
                body = named
                        ? "{\"id\":7," + sent.substring(sent.indexOf('{') + 1)
                        : "{\"type\":\"https://faultline.io/problems/invalid-alert-rule\",\"title\":\"Invalid alert"
                                + " rule\",\"status\":400,\"detail\":\"1 field(s) rejected\","
                                + "\"errors\":[{\"field\":\"name\",\"reason\":\"required\"}]}";
            } else {
                status = 200;
                body = "{\"items\":[]}";
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders()
                    .add("Content-Type", status == 400 ? "application/problem+json" : "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
    }

    /** The stub's CSV report, as the impact-service shapes it: a header, CRLF, a quoted reason. */
    public static final String SLA_CSV = "scope,scope_id,objective,verdict,reason\r\n"
            + "all,,error_rate,breached,\"rate 0.02 is not below 0.001, 4 errors\"\r\n";

    /**
     * The SLA report: JSON (with the query and the Accept header it got), CSV or HTML by {@code
     * format} else by Accept, each with the headers the impact-service sends; a 400 naming
     * {@code from} when the query has none.
     */
    private void slaReport() {
        server.createContext("/api/v1/sla/report", exchange -> {
            String query = exchange.getRequestURI().getRawQuery() == null
                    ? ""
                    : exchange.getRequestURI().getRawQuery();
            String accept = String.valueOf(exchange.getRequestHeaders().getFirst("Accept"));
            String format = query.contains("format=csv")
                            || (!query.contains("format=") && accept.startsWith("text/csv"))
                    ? "csv"
                    : query.contains("format=html") || (!query.contains("format=") && accept.startsWith("text/html"))
                            ? "html"
                            : "json";
            int status = 200;
            String type;
            String body;
            if (!query.contains("from=")) {
                status = 400;
                type = "application/problem+json";
                body = "{\"type\":\"https://faultline.io/problems/invalid-query\",\"title\":\"Invalid query"
                        + " parameters\",\"status\":400,\"detail\":\"1 parameter(s) rejected\","
                        + "\"errors\":[{\"field\":\"from\",\"reason\":\"is required\"}]}";
            } else if (format.equals("csv")) {
                type = "text/csv; charset=utf-8; header=present";
                body = SLA_CSV;
                exchange.getResponseHeaders().add("Content-Disposition", "attachment; filename=\"sla.csv\"");
            } else if (format.equals("html")) {
                type = "text/html; charset=utf-8";
                body = "<!DOCTYPE html><html><head><title>SLA report</title></head><body><svg role=\"img\"></svg>"
                        + "</body></html>";
                exchange.getResponseHeaders()
                        .add("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
            } else {
                type = "application/json";
                body = "{\"bucket\":\"day\",\"query\":\"" + query + "\",\"accept\":\"" + accept + "\"}";
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", type);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
