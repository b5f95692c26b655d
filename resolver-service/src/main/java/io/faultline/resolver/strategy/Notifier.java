package io.faultline.resolver.strategy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.faultline.resolver.config.ResolverConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;

/**
 * Delivers notifications to the configured channels: {@code slack} (an incoming-webhook
 * payload, which Mattermost, Rocket.Chat and Teams' Slack-compatible hooks accept too) and
 * {@code pagerduty} (Events API v2, deduplicated on the attempt id so repeated escalations of one
 * attempt are one incident).
 */
@ApplicationScoped
public class Notifier implements NotificationSender {

    public static final Set<String> CHANNELS = Set.of("slack", "pagerduty");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ResolverConfig.Notify config;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public Notifier(ResolverConfig config) {
        this.config = config.notifications();
    }

    @Override
    public String send(String channel, Notification n, Duration timeout) throws Exception {
        return switch (channel) {
            case "slack" -> post(
                    "Slack",
                    config.slackUrl()
                            .orElseThrow(() -> new IllegalStateException("faultline.notify.slack.url is not set")),
                    slackPayload(n),
                    timeout);
            case "pagerduty" -> post("PagerDuty", config.pagerdutyUrl(), pagerDutyPayload(n, routingKey()), timeout);
            default -> throw new IllegalArgumentException("unknown channel '" + channel + "'");
        };
    }

    private String routingKey() {
        return config.pagerdutyRoutingKey()
                .orElseThrow(() -> new IllegalStateException("faultline.notify.pagerduty.routing-key is not set"));
    }

    static String slackPayload(Notification n) {
        ObjectNode root = JSON.createObjectNode();
        String text = ":rotating_light: *" + n.summary() + "*\n"
                + "group `" + n.groupId() + "` (project " + n.projectId() + "), severity " + n.severity()
                + ", runbook `" + n.runbookId() + "`, attempt `" + n.attemptId() + "`";
        root.put("text", text);
        ObjectNode section = root.putArray("blocks").addObject();
        section.put("type", "section");
        section.putObject("text").put("type", "mrkdwn").put("text", text);
        return root.toString();
    }

    static String pagerDutyPayload(Notification n, String routingKey) {
        ObjectNode root = JSON.createObjectNode();
        root.put("routing_key", routingKey);
        root.put("event_action", "trigger");
        root.put("dedup_key", n.attemptId());
        ObjectNode payload = root.putObject("payload");
        String summary = n.summary();
        payload.put("summary", summary.length() > 1024 ? summary.substring(0, 1024) : summary);
        payload.put("source", "faultline/project-" + n.projectId());
        payload.put("severity", pagerDutySeverity(n.severity()));
        payload.put("component", n.groupId());
        payload.put("group", n.runbookId());
        payload.put("class", n.category());
        ObjectNode custom = payload.putObject("custom_details");
        n.details().forEach(custom::put);
        custom.put("attempt_id", n.attemptId());
        return root.toString();
    }

    /** PagerDuty knows critical, error, warning and info. */
    static String pagerDutySeverity(String severity) {
        if (severity == null) {
            return "error";
        }
        return switch (severity) {
            case "critical" -> "critical";
            case "high" -> "error";
            case "medium" -> "warning";
            default -> "info";
        };
    }

    /** Posts to the channel; what it returns or throws names the channel, never its URL (a credential for Slack). */
    private String post(String channel, String url, String body, Duration timeout) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(timeout)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(
                    channel + " answered " + response.statusCode() + ": " + WebhookStrategy.excerpt(response.body()));
        }
        return channel + " answered " + response.statusCode();
    }
}
