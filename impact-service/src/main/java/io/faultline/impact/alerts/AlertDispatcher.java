package io.faultline.impact.alerts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.faultline.impact.repository.AlertOutbox;
import io.faultline.impact.repository.AlertOutbox.Claimed;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Delivers the outbox ({@code alert_deliveries}) after the consumers committed it. Each run claims
 * the due alerts with {@code FOR UPDATE SKIP LOCKED} (several instances never send one twice) and
 * leases them for two minutes by moving their next try forward, so an instance that dies mid-send
 * leaves them to be tried again. A failed try is recorded and retried with doubling waits up to
 * {@code faultline.alerts.max-attempts}; then the alert is {@code failed}. Sending is at least once:
 * a receiver that took the alert but whose answer was lost gets it again (PagerDuty's dedup key and
 * the webhook body's {@code alertId} let it tell).
 */
@ApplicationScoped
public class AlertDispatcher {

    private static final Logger LOG = Logger.getLogger(AlertDispatcher.class);
    static final String SIGNATURE_HEADER = "X-Faultline-Signature";

    private final AlertOutbox outbox;
    private final ObjectMapper json;
    private final int maxAttempts;
    private final Duration firstRetry;
    private final String pagerDutyUrl;
    private final Optional<String> dashboardUrl;
    private final Optional<String> smtpHost;
    private final SmtpMailer.Settings smtp;
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    public AlertDispatcher(
            AlertOutbox outbox,
            ObjectMapper json,
            @ConfigProperty(name = "faultline.alerts.max-attempts", defaultValue = "8") int maxAttempts,
            @ConfigProperty(name = "faultline.alerts.first-retry", defaultValue = "2s") Duration firstRetry,
            @ConfigProperty(
                            name = "faultline.alerts.pagerduty-url",
                            defaultValue = "https://events.pagerduty.com/v2/enqueue")
                    String pagerDutyUrl,
            @ConfigProperty(name = "faultline.alerts.dashboard-url") Optional<String> dashboardUrl,
            @ConfigProperty(name = "faultline.alerts.smtp.host") Optional<String> smtpHost,
            @ConfigProperty(name = "faultline.alerts.smtp.port", defaultValue = "25") int smtpPort,
            @ConfigProperty(name = "faultline.alerts.smtp.from", defaultValue = "faultline@localhost") String smtpFrom,
            @ConfigProperty(name = "faultline.alerts.smtp.starttls", defaultValue = "false") boolean startTls) {
        this.outbox = outbox;
        this.json = json;
        this.maxAttempts = maxAttempts;
        this.firstRetry = firstRetry;
        this.pagerDutyUrl = pagerDutyUrl;
        this.dashboardUrl = dashboardUrl;
        this.smtpHost = smtpHost;
        this.smtp = new SmtpMailer.Settings(smtpHost.orElse(""), smtpPort, smtpFrom, startTls, 10_000);
    }

    @Scheduled(
            identity = "alert-dispatch",
            every = "${faultline.alerts.every:1s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> dispatch() {
        return outbox.claim(50)
                .chain(claimed -> {
                    if (claimed.isEmpty()) {
                        return Uni.createFrom().voidItem();
                    }
                    List<Uni<Void>> sends = new ArrayList<>();
                    for (Claimed c : claimed) {
                        sends.add(send(c).onItemOrFailure()
                                .transformToUni((detail, failure) -> settle(c, detail, failure)));
                    }
                    return Uni.join().all(sends).andCollectFailures().replaceWithVoid();
                })
                .onFailure()
                .invoke(f -> LOG.warnf("alert delivery run failed (the alerts stay pending): %s", f))
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
    }

    /** Records the try: delivered, or failed and retried later, or failed for good. */
    private Uni<Void> settle(Claimed c, String detail, Throwable failure) {
        if (failure == null) {
            return outbox.delivered(c.alertId(), c.attempt(), detail);
        }
        String reason = String.valueOf(failure.getMessage() != null ? failure.getMessage() : failure);
        boolean last = c.attempt() >= maxAttempts;
        long waitMillis = firstRetry.toMillis() << Math.min(c.attempt() - 1, 16);
        long wait = Math.min(waitMillis, Duration.ofMinutes(10).toMillis());
        if (last) {
            LOG.warnf(
                    "alert %d of rule %d failed for good after %d tries: %s",
                    c.alertId(), c.ruleId(), c.attempt(), reason);
        }
        return outbox.failed(c.alertId(), c.attempt(), clip(reason, 1000), last, wait);
    }

    /** One try; @return what the receiver said. */
    Uni<String> send(Claimed c) {
        String type = c.channel().path("type").asText();
        try {
            return switch (type) {
                case "slack" -> post(c.channel().path("url").asText(), slack(c), null);
                case "pagerduty" -> post(c.channel().path("url").asText(pagerDutyUrl), pagerDuty(c), null);
                case "webhook" -> {
                    byte[] body = json.writeValueAsBytes(webhook(c));
                    yield post(
                            c.channel().path("url").asText(),
                            body,
                            sign(c.channel().path("secret").asText(), body));
                }
                case "email" -> email(c);
                default -> Uni.createFrom().failure(new IllegalStateException("unknown channel type " + type));
            };
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
    }

    private Uni<String> post(String url, Object body, String signature) throws JsonProcessingException {
        byte[] bytes = body instanceof byte[] b ? b : json.writeValueAsBytes(body);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .header("User-Agent", "Faultline-Alerts/1")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
        if (signature != null) {
            request.header(SIGNATURE_HEADER, signature);
        }
        return Uni.createFrom()
                .completionStage(() -> http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()))
                .map(response -> {
                    // a 204 has no body: "HTTP 204", not "HTTP 204 " in the history
                    String answer = ("HTTP " + response.statusCode() + " " + clip(response.body(), 200)).strip();
                    if (response.statusCode() / 100 != 2) {
                        throw new IllegalStateException(answer);
                    }
                    return answer;
                });
    }

    private Uni<String> email(Claimed c) {
        if (smtpHost.isEmpty()) {
            return Uni.createFrom()
                    .failure(new IllegalStateException("no SMTP server: set faultline.alerts.smtp.host"));
        }
        List<String> to = new ArrayList<>();
        JsonNode t = c.channel().path("to");
        if (t.isArray()) {
            t.forEach(a -> to.add(a.asText()));
        } else {
            to.add(t.asText());
        }
        return Uni.createFrom()
                .item(() -> {
                    try {
                        new SmtpMailer(smtp).send(to, "[Faultline] " + c.title(), text(c));
                        return "accepted by " + smtp.host() + ":" + smtp.port();
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e.getMessage(), e);
                    }
                })
                // a socket and its waits: never on the event loop
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    String text(Claimed c) {
        StringBuilder s = new StringBuilder("[Faultline] ").append(c.title()).append('\n');
        s.append("rule: ").append(c.ruleName());
        if (c.project() != null) {
            s.append(" · project ").append(c.project());
        }
        if (c.workflow() != null) {
            s.append(" · workflow ").append(c.workflow());
        }
        if (c.severity() != null) {
            s.append(" · severity ").append(c.severity());
        }
        if (c.group() != null) {
            s.append("\ngroup ").append(c.group());
            dashboardUrl.ifPresent(
                    u -> s.append(": ").append(u).append("/#/group/").append(c.group()));
        }
        return s.toString();
    }

    private ObjectNode slack(Claimed c) {
        ObjectNode body = json.createObjectNode();
        body.put("text", text(c));
        return body;
    }

    /** PagerDuty Events v2: one incident per rule and key, so repeats and the resolve land on it. */
    private ObjectNode pagerDuty(Claimed c) {
        ObjectNode body = json.createObjectNode();
        body.put("routing_key", c.channel().path("routingKey").asText());
        body.put("event_action", "resolve".equals(c.action()) ? "resolve" : "trigger");
        body.put("dedup_key", dedupKey(c.ruleId(), c.key()));
        if (!"resolve".equals(c.action())) {
            ObjectNode payload = body.putObject("payload");
            payload.put("summary", clip(c.title(), 1024));
            payload.put("source", c.project() == null ? "faultline" : c.project());
            payload.put(
                    "severity",
                    switch (c.severity() == null ? "" : c.severity()) {
                        case "critical" -> "critical";
                        case "high" -> "error";
                        case "medium" -> "warning";
                        case "low" -> "info";
                        default -> "error";
                    });
            if (c.workflow() != null) {
                payload.put("component", c.workflow());
            }
            if (c.group() != null) {
                payload.put("group", c.group());
            }
            payload.putObject("custom_details").put("rule", c.ruleName()).put("trigger", c.trigger());
        }
        return body;
    }

    static String dedupKey(long ruleId, String key) {
        return clip("faultline-" + ruleId + "-" + key, 255);
    }

    private ObjectNode webhook(Claimed c) {
        ObjectNode body = json.createObjectNode();
        body.put("alertId", c.alertId());
        body.put("action", c.action());
        body.putObject("rule").put("id", c.ruleId()).put("name", c.ruleName());
        body.put("trigger", c.trigger());
        body.put("key", c.key());
        body.put("project", c.project());
        body.put("group", c.group());
        body.put("workflow", c.workflow());
        body.put("severity", c.severity());
        body.put("title", c.title());
        body.put("firedAt", String.valueOf(c.firedAt()));
        return body;
    }

    /** {@code sha256=<hex HMAC-SHA256 of the body under the rule's secret>}, as GitHub's webhooks sign. */
    static String sign(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String clip(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
