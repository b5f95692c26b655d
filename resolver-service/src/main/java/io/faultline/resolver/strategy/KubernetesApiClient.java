package io.faultline.resolver.strategy;

import io.faultline.resolver.config.ResolverConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Talks to the Kubernetes API server directly with the pod's service-account token: the two
 * patches below are all the resolver needs, and this keeps a cluster client (and its
 * configuration discovery) out of the service and its tests. The service account needs
 * {@code patch} on {@code deployments} and {@code deployments/scale}.
 */
@ApplicationScoped
public class KubernetesApiClient implements ClusterClient {

    private final String apiUrl;
    private final Path tokenFile;
    private final Path caFile;
    private final Clock clock;
    private volatile HttpClient http;

    @Inject
    public KubernetesApiClient(ResolverConfig config) {
        this(
                config.kubernetes().apiUrl(),
                Path.of(config.kubernetes().tokenFile()),
                Path.of(config.kubernetes().caFile()),
                Clock.systemUTC());
    }

    KubernetesApiClient(String apiUrl, Path tokenFile, Path caFile, Clock clock) {
        this.apiUrl = apiUrl;
        this.tokenFile = tokenFile;
        this.caFile = caFile;
        this.clock = clock;
    }

    @Override
    public String rolloutRestart(String namespace, String deployment) throws Exception {
        String patch = "{\"spec\":{\"template\":{\"metadata\":{\"annotations\":"
                + "{\"kubectl.kubernetes.io/restartedAt\":\"" + clock.instant() + "\"}}}}}";
        patch(
                "/apis/apps/v1/namespaces/" + namespace + "/deployments/" + deployment,
                "application/strategic-merge-patch+json",
                patch);
        return "restarted deployment " + namespace + "/" + deployment;
    }

    @Override
    public String scale(String namespace, String deployment, int replicas) throws Exception {
        patch(
                "/apis/apps/v1/namespaces/" + namespace + "/deployments/" + deployment + "/scale",
                "application/merge-patch+json",
                "{\"spec\":{\"replicas\":" + replicas + "}}");
        return "scaled deployment " + namespace + "/" + deployment + " to " + replicas;
    }

    private void patch(String path, String contentType, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(apiUrl + path))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", contentType)
                .method("PATCH", HttpRequest.BodyPublishers.ofString(body));
        if (Files.isReadable(tokenFile)) {
            // re-read each time: projected service-account tokens are rotated by the kubelet
            request.header(
                    "Authorization", "Bearer " + Files.readString(tokenFile).trim());
        }
        HttpResponse<String> response = client().send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("Kubernetes API answered " + response.statusCode() + " for PATCH " + path
                    + ": " + WebhookStrategy.excerpt(response.body()));
        }
    }

    private HttpClient client() throws Exception {
        if (http == null) {
            HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
            if (apiUrl.startsWith("https") && Files.isReadable(caFile)) {
                builder.sslContext(trusting(caFile));
            }
            http = builder.build();
        }
        return http;
    }

    private static SSLContext trusting(Path caFile) throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        try (InputStream in = Files.newInputStream(caFile)) {
            int i = 0;
            for (Certificate cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("ca-" + i++, cert);
            }
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return ssl;
    }
}
