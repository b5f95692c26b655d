package io.faultline.dashboard.rest;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * An HTTP stand-in for the impact-service, answering its overview and groups paths with fixed JSON and
 * echoing the query it got, so the dashboard's auth and proxying are tested without the whole
 * stack (the system tests run the real one).
 */
public class StubImpactService implements QuarkusTestResourceLifecycleManager {

    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        answer("/api/v1/overview", "\"totalEvents\":3,\"groupCount\":1,\"groups\":[]");
        answer("/api/v1/groups", "\"items\":[],\"nextCursor\":null");
        // the impact-service's report shapes, trimmed
        answer(
                "/api/v1/workflows/impact",
                "\"revenueLoss\":1250.5,\"healthScore\":0.93,\"workflows\":[{\"workflow\":\"checkout\","
                        + "\"requests\":1200,\"errors\":36,\"errorRate\":0.03,\"successRate\":0.97,"
                        + "\"revenueLoss\":1250.5,\"weight\":1.0},"
                        // errors reported, no traffic posted: there is no rate to show
                        + "{\"workflow\":\"onboarding\",\"requests\":0,\"errors\":4,\"errorRate\":0.0,"
                        + "\"successRate\":1.0,\"revenueLoss\":0,\"weight\":0.5}]");
        answer(
                "/api/v1/sla",
                "\"compliant\":false,\"errorRate\":{\"rate\":0.03,\"target\":0.01,\"compliant\":false},"
                        + "\"autoResolution\":{\"rate\":0.5,\"target\":0.6,\"compliant\":false},"
                        + "\"revenueBlockingErrors\":{\"count\":3,\"target\":0,\"compliant\":false},"
                        + "\"errorBudgets\":[{\"objective\":\"checkout availability\",\"remaining\":0.25}]");
        answer(
                "/api/v1/incidents",
                "\"items\":[{\"incidentId\":\"inc-1\",\"projectId\":\"1\",\"scope\":\"workflow\","
                        + "\"workflow\":\"checkout\",\"trigger\":\"slo_burn\",\"severity\":\"high\","
                        + "\"title\":\"checkout burns its error budget 14x\",\"status\":\"open\","
                        + "\"openedAt\":\"2026-11-30T06:00:00Z\",\"eventCount\":36,\"signalCount\":2}],"
                        + "\"nextCursor\":null");
        // no /api/v1/resolutions: stands for an impact-service that does not offer it (yet)
        server.start();
        return Map.of(
                "quarkus.rest-client.impact.url",
                "http://127.0.0.1:" + server.getAddress().getPort(),
                "faultline.admin-token",
                "test-admin-token");
    }

    /** Answers the path with the JSON members given plus {@code "query"}: the query string it got. */
    private void answer(String path, String members) {
        server.createContext(path, exchange -> {
            if (!exchange.getRequestURI().getPath().equals(path)) {
                exchange.sendResponseHeaders(404, -1);
                exchange.close();
                return;
            }
            String query = exchange.getRequestURI().getRawQuery();
            byte[] body = ("{" + members + ",\"query\":\"" + (query == null ? "" : query) + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
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
