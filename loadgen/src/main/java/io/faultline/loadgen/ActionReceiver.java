package io.faultline.loadgen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The webhook the drill's runbook calls ({@code ./faultline drill} writes the runbook): it counts
 * each call by its action step, the attempt id, action name and attempt number the resolver put
 * in the body, so that a step the resolver ran twice (a completed action repeated after a crash,
 * one trigger acted on by two replicas) shows as a step called more than once.
 */
final class ActionReceiver implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final Map<String, AtomicLong> callsPerStep = new ConcurrentHashMap<>();
    private final AtomicLong calls = new AtomicLong();
    private final Map<String, java.util.List<String>> callTimes = new ConcurrentHashMap<>();

    private ActionReceiver(HttpServer server) {
        this.server = server;
    }

    static ActionReceiver start(int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        ActionReceiver receiver = new ActionReceiver(server);
        server.createContext("/drill/action", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                JsonNode body = JSON.readTree(in);
                String step = body.path("attempt").asText() + "|"
                        + body.path("action").asText() + "|"
                        + body.path("number").asText();
                receiver.calls.incrementAndGet();
                receiver.callsPerStep
                        .computeIfAbsent(step, k -> new AtomicLong())
                        .incrementAndGet();
                receiver.callTimes
                        .computeIfAbsent(step, k -> new java.util.concurrent.CopyOnWriteArrayList<>())
                        .add(java.time.Instant.now().toString());
                exchange.sendResponseHeaders(200, -1);
            } catch (IOException | RuntimeException e) {
                exchange.sendResponseHeaders(400, -1);
            } finally {
                exchange.close();
            }
        });
        server.start();
        return receiver;
    }

    long calls() {
        return calls.get();
    }

    /** Action steps called more than once. */
    long repeated() {
        return callsPerStep.values().stream().filter(c -> c.get() > 1).count();
    }

    /** Each step called more than once (attempt|action|number), with the instants of its calls. */
    Map<String, java.util.List<String>> repeatedSteps() {
        Map<String, java.util.List<String>> out = new java.util.TreeMap<>();
        callTimes.forEach((step, times) -> {
            if (times.size() > 1) {
                out.put(step, java.util.List.copyOf(times));
            }
        });
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
