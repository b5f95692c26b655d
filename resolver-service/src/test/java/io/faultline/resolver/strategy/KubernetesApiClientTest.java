package io.faultline.resolver.strategy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client against a local HTTP server standing in for the Kubernetes API server. */
class KubernetesApiClientTest {

    /** One request the fake API server got. */
    record Patch(String method, String path, String contentType, String authorization, String body) {}

    private final List<Patch> received = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private KubernetesApiClient client;

    @TempDir
    Path dir;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                received.add(new Patch(
                        exchange.getRequestMethod(),
                        exchange.getRequestURI().getPath(),
                        exchange.getRequestHeaders().getFirst("Content-Type"),
                        exchange.getRequestHeaders().getFirst("Authorization"),
                        new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            }
            String path = exchange.getRequestURI().getPath();
            boolean missing = path.contains("/missing");
            String json = missing ? "{\"reason\":\"NotFound\"}" : "{}";
            if (path.equals("/api/v1/namespaces/shop")) {
                json = "{\"metadata\":{\"name\":\"shop\",\"labels\":{\"faultline.io/remediation\":\"enabled\"}}}";
            } else if (path.startsWith("/api/v1/namespaces/")) {
                json = "{\"metadata\":{\"name\":\"other\",\"labels\":{\"team\":\"billing\"}}}";
            }
            byte[] answer = json.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(missing ? 404 : 200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        Path token = Files.writeString(dir.resolve("token"), "sa-token\n");
        client = new KubernetesApiClient(
                "http://127.0.0.1:" + server.getAddress().getPort(),
                token,
                dir.resolve("no-ca.crt"),
                Clock.fixed(Instant.parse("2026-11-30T10:00:00Z"), ZoneOffset.UTC));
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void rolloutRestartPatchesThePodTemplateLikeKubectl() throws Exception {
        assertThat(client.rolloutRestart("shop", "payments-adapter"))
                .isEqualTo("restarted deployment shop/payments-adapter");

        assertThat(received)
                .containsExactly(
                        OPT_IN_CHECK,
                        new Patch(
                                "PATCH",
                                "/apis/apps/v1/namespaces/shop/deployments/payments-adapter",
                                "application/strategic-merge-patch+json",
                                "Bearer sa-token",
                                "{\"spec\":{\"template\":{\"metadata\":{\"annotations\":"
                                        + "{\"kubectl.kubernetes.io/restartedAt\":\"2026-11-30T10:00:00Z\"}}}}}"));
    }

    @Test
    void scalePatchesTheScaleSubresource() throws Exception {
        client.scale("shop", "checkout", 6);

        assertThat(received)
                .containsExactly(
                        OPT_IN_CHECK,
                        new Patch(
                                "PATCH",
                                "/apis/apps/v1/namespaces/shop/deployments/checkout/scale",
                                "application/merge-patch+json",
                                "Bearer sa-token",
                                "{\"spec\":{\"replicas\":6}}"));
    }

    private static final Patch OPT_IN_CHECK = new Patch("GET", "/api/v1/namespaces/shop", null, "Bearer sa-token", "");

    @Test
    void aNamespaceWithoutTheOptInLabelIsNeverPatched() {
        assertThatThrownBy(() -> client.rolloutRestart("billing", "invoices"))
                .hasMessageContaining("namespace 'billing' has not opted in")
                .hasMessageContaining("faultline.io/remediation=enabled");
        assertThatThrownBy(() -> client.scale("billing", "invoices", 3)).hasMessageContaining("has not opted in");

        assertThat(received).extracting(Patch::method).containsOnly("GET");
    }

    @Test
    void namesFromEventTagsMustBeKubernetesNames() {
        assertThatThrownBy(() -> client.rolloutRestart("shop/../kube-system", "x"))
                .hasMessage("'shop/../kube-system' is not a namespace name");
        assertThatThrownBy(() -> client.scale("shop", "../../namespaces/kube-system", 1))
                .hasMessage("'../../namespaces/kube-system' is not a deployment name");

        assertThat(received).isEmpty();
    }

    @Test
    void anErrorStatusFailsTheActionWithTheApiServersAnswer() {
        assertThatThrownBy(() -> client.rolloutRestart("shop", "missing"))
                .hasMessageContaining("Kubernetes API answered 404")
                .hasMessageContaining("NotFound");
    }
}
