package io.faultline.resolver.strategy;

import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * Calls an HTTP endpoint of the application, e.g. "reset the payments circuit breaker" or "switch
 * to the cache fallback". Parameters: {@code url} (required), {@code method} (POST), {@code body}
 * (JSON placeholders are JSON-escaped), {@code contentType} (application/json) and
 * {@code header.<Name>}. Any 2xx status is success.
 */
@ApplicationScoped
public class WebhookStrategy implements RemediationStrategy {

    private static final int BODY_EXCERPT = 300;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Override
    public String name() {
        return "webhook";
    }

    @Override
    public ActionOutcome execute(ActionRequest request) throws Exception {
        Map<String, String> vars = request.variables();
        String url = TemplateRenderer.render(request.required("url"), vars, TemplateRenderer.URL);
        String method = request.optional("method", "POST").toUpperCase();
        String contentType = request.optional("contentType", "application/json");
        String body = request.parameters().containsKey("body")
                ? TemplateRenderer.render(
                        request.parameters().get("body"),
                        vars,
                        contentType.contains("json") ? TemplateRenderer.JSON : TemplateRenderer.PLAIN)
                : null;
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url))
                .timeout(request.timeout())
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            builder.header("Content-Type", contentType);
        }
        builder.header("X-Faultline-Attempt-Id", request.attemptId());
        request.parameters().forEach((key, value) -> {
            if (key.startsWith("header.")) {
                builder.header(
                        key.substring("header.".length()),
                        TemplateRenderer.render(value, vars, TemplateRenderer.PLAIN));
            }
        });
        HttpResponse<String> response;
        try {
            response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.net.http.HttpConnectTimeoutException notConnected) {
            throw notConnected; // nothing was sent: safe to try again
        } catch (java.net.http.HttpTimeoutException e) {
            throw new OutcomeUnknown(
                    method + " " + url + " sent, no answer within "
                            + request.timeout().toMillis() + "ms",
                    e);
        }
        int status = response.statusCode();
        Map<String, String> details = Map.of(
                "url", url, "method", method, "status", Integer.toString(status), "response", excerpt(response.body()));
        return status / 100 == 2
                ? ActionOutcome.success(method + " " + url + " answered " + status, details)
                : ActionOutcome.failure(method + " " + url + " answered " + status, details);
    }

    static String excerpt(String body) {
        if (body == null) {
            return "";
        }
        return body.length() <= BODY_EXCERPT ? body : body.substring(0, BODY_EXCERPT) + "...";
    }
}
