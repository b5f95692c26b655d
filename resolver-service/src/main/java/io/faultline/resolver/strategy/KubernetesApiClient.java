package io.faultline.resolver.strategy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Talks to the Kubernetes API server directly with the pod's service-account token: the two
 * patches below are all the resolver needs, and this keeps a cluster client (and its
 * configuration discovery) out of the service and its tests. The service account needs
 * {@code patch} on {@code deployments} and {@code deployments/scale}, and {@code get} on
 * {@code namespaces}.
 *
 * <p>Before it patches anything it checks that the namespace opted in: RBAC cannot grant by label,
 * so a RoleBinding left in a namespace without {@code faultline.io/remediation=enabled} would
 * otherwise be acted on. Names are checked as Kubernetes names first: a runbook may take them
 * from an event's tags, and {@code ../} in a path must not reach the API server.
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

    /** The label a namespace carries when its workloads may be remediated. */
    public static final String OPT_IN_LABEL = "faultline.io/remediation";

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern DNS_SUBDOMAIN =
            Pattern.compile("(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String rolloutRestart(String namespace, String deployment) throws Exception {
        requireOptIn(namespace, deployment);
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
        requireOptIn(namespace, deployment);
        patch(
                "/apis/apps/v1/namespaces/" + namespace + "/deployments/" + deployment + "/scale",
                "application/merge-patch+json",
                "{\"spec\":{\"replicas\":" + replicas + "}}");
        return "scaled deployment " + namespace + "/" + deployment + " to " + replicas;
    }

    private void requireOptIn(String namespace, String deployment) throws Exception {
        if (namespace == null || !DNS_LABEL.matcher(namespace).matches()) {
            throw new IllegalArgumentException("'" + namespace + "' is not a namespace name");
        }
        if (deployment == null || !DNS_SUBDOMAIN.matcher(deployment).matches()) {
            throw new IllegalArgumentException("'" + deployment + "' is not a deployment name");
        }
        String body = send("GET", "/api/v1/namespaces/" + namespace, null, null);
        JsonNode label = JSON.readTree(body).path("metadata").path("labels").path(OPT_IN_LABEL);
        if (!"enabled".equals(label.asText(null))) {
            throw new IllegalStateException("namespace '" + namespace + "' has not opted in to remediation:"
                    + " label it " + OPT_IN_LABEL + "=enabled (docs/operations.md)");
        }
    }

    private void patch(String path, String contentType, String body) throws Exception {
        send("PATCH", path, contentType, body);
    }

    private String send(String method, String path, String contentType, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(apiUrl + path))
                .timeout(Duration.ofSeconds(10))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (Files.isReadable(tokenFile)) {
            // re-read each time: projected service-account tokens are rotated by the kubelet
            request.header(
                    "Authorization", "Bearer " + Files.readString(tokenFile).trim());
        }
        HttpResponse<String> response;
        try {
            response = client().send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.net.http.HttpConnectTimeoutException notConnected) {
            throw notConnected; // nothing was sent: safe to try again
        } catch (java.net.http.HttpTimeoutException e) {
            if (method.equals("GET")) {
                throw e;
            }
            throw new OutcomeUnknown(method + " " + path + " sent, the API server did not answer in time", e);
        }
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("Kubernetes API answered " + response.statusCode() + " for " + method + " "
                    + path + ": " + WebhookStrategy.excerpt(response.body()));
        }
        return response.body();
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
