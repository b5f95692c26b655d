package io.faultline.resolver;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A local HTTP receiver (the JDK's server) standing in for the application the runbooks act on
 * and for Slack and PagerDuty, plus a runbook file pointing at it and a fresh state directory.
 * Paths under {@code /fail/} answer 500, everything else 200.
 */
public class ResolverTestEnvironment implements QuarkusTestResourceLifecycleManager {

    public static final String ADMIN_TOKEN = "test-admin-token";

    /** One request the receiver got. */
    public record Received(String method, String path, String body, Map<String, List<String>> headers) {}

    private static final ConcurrentLinkedQueue<Received> RECEIVED = new ConcurrentLinkedQueue<>();
    private HttpServer server;
    private Path dir;

    public static List<Received> received(String pathPrefix) {
        return RECEIVED.stream().filter(r -> r.path().startsWith(pathPrefix)).toList();
    }

    public static Path runbookFile() {
        return Path.of(System.getProperty("resolver-test.runbooks"));
    }

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", exchange -> {
                try (InputStream in = exchange.getRequestBody()) {
                    RECEIVED.add(new Received(
                            exchange.getRequestMethod(),
                            exchange.getRequestURI().getRawPath(),
                            new String(in.readAllBytes(), StandardCharsets.UTF_8),
                            Map.copyOf(exchange.getRequestHeaders())));
                }
                if (exchange.getRequestURI().getPath().startsWith("/slow/")) {
                    try {
                        Thread.sleep(3_000); // an application that acts, but answers after the caller's timeout
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                boolean fail = exchange.getRequestURI().getPath().startsWith("/fail/");
                byte[] answer = (fail ? "broken" : "ok").getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(fail ? 500 : 200, answer.length);
                exchange.getResponseBody().write(answer);
                exchange.close();
            });
            server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
            server.start();
            String receiver = "http://127.0.0.1:" + server.getAddress().getPort();
            dir = Files.createTempDirectory("faultline-resolver-");
            Path runbooks = dir.resolve("runbooks.yaml");
            String template;
            try (InputStream in = getClass().getClassLoader().getResourceAsStream("test-runbooks.yaml")) {
                template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            Files.writeString(runbooks, template.replace("{{receiver}}", receiver));
            System.setProperty("resolver-test.runbooks", runbooks.toString());
            return Map.of(
                    "faultline.runbooks.file",
                    runbooks.toString(),
                    "faultline.runbooks.watch-interval",
                    "0s",
                    "faultline.admin-token",
                    ADMIN_TOKEN,
                    "faultline.resolver.state-dir",
                    dir.resolve("state").toString(),
                    "faultline.notify.slack.url",
                    receiver + "/slack",
                    "faultline.notify.pagerduty.url",
                    receiver + "/pagerduty",
                    "faultline.notify.pagerduty.routing-key",
                    "test-routing-key");
        } catch (IOException e) {
            throw new IllegalStateException("test environment did not start", e);
        }
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
        if (dir != null) {
            try (var paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // a leftover temp directory is not worth failing a test run for
            }
        }
    }
}
